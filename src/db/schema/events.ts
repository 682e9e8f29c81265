import { sql } from 'drizzle-orm';
import { bigserial, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** `discarded`: a dead letter an admin chose not to apply (it can still be replayed). */
export const EVENT_STATUSES = [
  'received',
  'processing',
  'processed',
  'failed',
  'dead',
  'ignored',
  'discarded',
] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/**
 * The inbox: every event Recur was handed, stored once by (source, external id) before it is
 * acknowledged. It is the source of truth; the queue only carries its ids.
 */
export const events = pgTable(
  'events',
  {
    id: text('id').primaryKey(),
    /** `stripe`, `payment_provider` (the generic payment webhook) or `recur` (events Recur raises itself). */
    source: text('source').notNull(),
    externalId: text('external_id').notNull(),
    type: text('type').notNull(),
    /** The id of the object the event is about (cus_…, sub_…), the unit of ordering and locking. */
    objectId: text('object_id'),
    objectType: text('object_type'),
    livemode: text('livemode'),
    apiVersion: text('api_version'),
    /** The event as received, encrypted at rest (it carries emails and names): see shared/crypto.ts. */
    payload: text('payload').notNull(),
    /** When the source says the event happened (Stripe's `created`). */
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    status: text('status', { enum: EVENT_STATUSES }).notNull().default('received'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Null until the relay has handed the id to the broker; the relay re-sends rows left null. */
    publishedAt: timestamp('published_at', { withTimezone: true }),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [
    uniqueIndex('events_source_external_id').on(t.source, t.externalId),
    index('events_due').on(t.nextAttemptAt).where(sql`${t.status} in ('received', 'failed')`),
    index('events_unpublished').on(t.receivedAt).where(sql`${t.publishedAt} is null`),
    index('events_status_received').on(t.status, t.receivedAt),
    index('events_type_received').on(t.type, t.receivedAt),
    index('events_object').on(t.objectId, t.occurredAt),
    // The admin log's sort keys, each with the id that breaks its ties.
    index('events_received').on(t.receivedAt, t.id),
    index('events_occurred').on(t.occurredAt, t.id),
  ],
);

/** One row per processing attempt, for the admin timeline and the dead-letter view. */
export const eventAttempts = pgTable(
  'event_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
    outcome: text('outcome', { enum: ['processed', 'ignored', 'failed', 'dead'] }).notNull(),
    error: text('error'),
  },
  (t) => [index('event_attempts_event').on(t.eventId, t.attempt)],
);
