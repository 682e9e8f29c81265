import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * Webhooks to the host app (Standard Webhooks). The outbox mirrors the Stripe inbox: a message is
 * written in the transaction of the change it announces, one delivery row per endpoint that wants
 * it, and a dispatcher sends the deliveries afterwards, logging every attempt.
 */
export const appWebhookEndpoints = pgTable(
  'app_webhook_endpoints',
  {
    id: text('id').primaryKey(),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    /** The message types this endpoint receives; null receives every type. */
    eventTypes: text('event_types').array(),
    enabled: boolean('enabled').notNull().default(true),
    /** `whsec_…`, encrypted at rest like customers' names (shared/crypto.ts). */
    secretEncrypted: text('secret_encrypted').notNull(),
    /** After a rotation the old secret keeps signing beside the new one until this time. */
    previousSecretEncrypted: text('previous_secret_encrypted'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true }),
    /** Why the endpoint was disabled (`failing` when Recur gave up on it, `manual`), null when enabled. */
    disabledReason: text('disabled_reason'),
    /** The first failed attempt since the last success; five days of failures disable the endpoint. */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('app_webhook_endpoints_created').on(t.createdAt)],
);

/** One announced change: its id is the `webhook-id` every delivery of it carries. */
export const appWebhookMessages = pgTable(
  'app_webhook_messages',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    /** What the message is about (`user:…`, `subscription:sub_…`): the unit of the sequence number. */
    subject: text('subject').notNull(),
    /** Grows by one per message of the subject, so a receiver can drop a stale update. */
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    /** One message per cause (e.g. the Stripe event and the type): a replayed event announces once. */
    dedupeKey: text('dedupe_key').notNull(),
    /** The body exactly as signed and sent. */
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('app_webhook_messages_dedupe').on(t.dedupeKey),
    index('app_webhook_messages_created').on(t.createdAt),
    // A subject's newest message of a type: the set the host app last heard (entitlements).
    index('app_webhook_messages_subject').on(t.subject, t.type, t.sequence),
  ],
);

export const APP_WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type AppWebhookDeliveryStatus = (typeof APP_WEBHOOK_DELIVERY_STATUSES)[number];

/** A message on its way to one endpoint: deliveries to different endpoints never wait on each other. */
export const appWebhookDeliveries = pgTable(
  'app_webhook_deliveries',
  {
    id: text('id').primaryKey(),
    messageId: text('message_id')
      .notNull()
      .references(() => appWebhookMessages.id, { onDelete: 'cascade' }),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => appWebhookEndpoints.id, { onDelete: 'cascade' }),
    /** `pending` until a 2xx (`succeeded`) or until the retries run out (`failed`). */
    status: text('status', { enum: APP_WEBHOOK_DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** When the next attempt is due; a dispatcher that claims it moves it forward by its lease. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('app_webhook_deliveries_message_endpoint').on(t.messageId, t.endpointId),
    index('app_webhook_deliveries_due').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('app_webhook_deliveries_endpoint').on(t.endpointId, t.createdAt),
  ],
);

/** Every attempt to deliver, for the console: status, duration and the start of the answer. */
export const appWebhookAttempts = pgTable(
  'app_webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => appWebhookDeliveries.id, { onDelete: 'cascade' }),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** The HTTP status, or null when no answer came (timeout, refused connection …). */
    statusCode: integer('status_code'),
    /** The first 1 KB of the answer's body. */
    responseBody: text('response_body'),
    /** Why no answer came, or why the target was refused. */
    error: text('error'),
    succeeded: boolean('succeeded').notNull(),
  },
  (t) => [index('app_webhook_attempts_delivery').on(t.deliveryId, t.attemptedAt)],
);

/** The last sequence number given per subject. */
export const appWebhookSequences = pgTable('app_webhook_sequences', {
  subject: text('subject').primaryKey(),
  sequence: bigint('sequence', { mode: 'number' }).notNull(),
});
