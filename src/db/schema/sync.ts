import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Operator settings that change without a restart (auto sync on/off …), one JSON value per key. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type SyncObjectCounts = Record<
  string,
  { seen: number; created: number; updated: number; skipped: number }
>;

/**
 * One backfill from Stripe. `cursor` holds, per object type, the last id fully applied, so a run
 * that died resumes where it stopped instead of starting over.
 */
export const syncRuns = pgTable(
  'sync_runs',
  {
    id: text('id').primaryKey(),
    mode: text('mode', { enum: ['full', 'incremental'] }).notNull(),
    trigger: text('trigger', { enum: ['schedule', 'manual', 'cli'] }).notNull(),
    objects: jsonb('objects').$type<string[]>().notNull(),
    status: text('status', { enum: ['running', 'succeeded', 'failed', 'interrupted'] }).notNull(),
    counts: jsonb('counts').$type<SyncObjectCounts>().notNull().default({}),
    cursor: jsonb('cursor').$type<Record<string, string | null>>().notNull().default({}),
    /** Lower bound of `created` for an incremental run: the start of the last successful one. */
    since: timestamp('since', { withTimezone: true }),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('sync_runs_started').on(t.startedAt)],
);
