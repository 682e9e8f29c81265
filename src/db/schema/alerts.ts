import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

export const ALERT_RULES = [
  'dead_letters',
  'signature_failures',
  'processing_lag',
  'sync_failed',
  'payment_failure_rate',
  'dispute',
  'app_webhook_failing',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/**
 * One incident of an alert rule: opened when the rule's condition became true for its subject (`key`,
 * '' for a rule with one subject) and resolved once the condition is false again. At most one open
 * incident per rule and key (a unique index), so several evaluators can never open it twice.
 */
export const alertIncidents = pgTable(
  'alert_incidents',
  {
    id: text('id').primaryKey(),
    rule: text('rule', { enum: ALERT_RULES }).notNull(),
    key: text('key').notNull().default(''),
    status: text('status', { enum: ['open', 'resolved'] })
      .notNull()
      .default('open'),
    /** One line for a person: what is wrong, with the figures that made the rule fire. */
    summary: text('summary').notNull(),
    /** The figures themselves (counts, rates, ids); never a secret or personal data. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    /** The last evaluation that still found the condition true. */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('alert_incidents_open').on(t.rule, t.key).where(sql`${t.status} = 'open'`),
    index('alert_incidents_opened').on(t.openedAt),
  ],
);

export const ALERT_CHANNELS = ['email', 'webhook'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

/**
 * The alert outbox: one row per incident, message (`opened`, `resolved`) and channel, written in the
 * evaluation's transaction and sent afterwards under a lease, so a restart neither loses nor repeats one.
 */
export const alertMessages = pgTable(
  'alert_messages',
  {
    id: text('id').primaryKey(),
    incidentId: text('incident_id')
      .notNull()
      .references(() => alertIncidents.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['opened', 'resolved'] }).notNull(),
    channel: text('channel', { enum: ALERT_CHANNELS }).notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('alert_messages_once').on(t.incidentId, t.kind, t.channel),
    index('alert_messages_due').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * Counts of a signal (a refused webhook signature …) per 10-second bucket, shared by every process:
 * a burst spread over several instances behind a load balancer is still one burst.
 */
export const alertSignalCounts = pgTable(
  'alert_signal_counts',
  {
    signal: text('signal').notNull(),
    bucketStart: timestamp('bucket_start', { withTimezone: true }).notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.signal, t.bucketStart] })],
);
