import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const NOTIFICATION_KINDS = [
  'payment_failed',
  'payment_action_required',
  'payment_recovered',
  'trial_will_end',
  'subscription_cancelled',
  'price_change',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * The notification outbox: written in the same transaction as the event that causes it, sent
 * afterwards by a sender (log or SMTP) with retries. The recipient is the customer, looked up when
 * sending, so no address is copied here.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    kind: text('kind', { enum: NOTIFICATION_KINDS }).notNull(),
    /** One notification per cause (e.g. the event id): a replayed event notifies once. */
    dedupeKey: text('dedupe_key').notNull().unique(),
    /** What the message needs (amounts, dates, ids); never an email address or card data. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
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
    index('notifications_due').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('notifications_customer').on(t.customerId, t.createdAt),
  ],
);
