import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** When a migration moves a subscription to the new price. */
export const MIGRATION_TIMINGS = ['renewal', 'now_prorated', 'now_unprorated'] as const;
export type MigrationTiming = (typeof MIGRATION_TIMINGS)[number];

export const MIGRATION_STATUSES = ['running', 'completed', 'undone'] as const;
export type MigrationStatus = (typeof MIGRATION_STATUSES)[number];

/**
 * Where one subscription of a migration stands. `pending`: not tried yet; `processing`: a try began
 * (Stripe may have taken part of it: the next try repeats it with the same idempotency keys);
 * `scheduled`: moves at its renewal; `moved`: on the new price now; `skipped`: left as it was,
 * with the reason; `failed`: Stripe refused, with its reason; `undone`: the scheduled move was released.
 */
export const MIGRATION_ITEM_STATUSES = [
  'pending',
  'processing',
  'scheduled',
  'moved',
  'skipped',
  'failed',
  'undone',
] as const;
export type MigrationItemStatus = (typeof MIGRATION_ITEM_STATUSES)[number];

/**
 * A price migration: subscribers on the old prices moved to the new one, at each one's renewal
 * (a subscription schedule) or now. Its subscriptions are fixed when it is created; a runner works
 * through them in the background and, holding a lease, resumes an unfinished one after a crash.
 */
export const priceMigrations = pgTable(
  'price_migrations',
  {
    id: text('id').primaryKey(),
    fromPriceIds: jsonb('from_price_ids').$type<string[]>().notNull(),
    toPriceId: text('to_price_id').notNull(),
    currency: text('currency').notNull(),
    timing: text('timing', { enum: MIGRATION_TIMINGS }).notNull(),
    notifyCustomers: boolean('notify_customers').notNull(),
    status: text('status', { enum: MIGRATION_STATUSES }).notNull().default('running'),
    /** MRR in minor units of the subscriptions taken, on their old prices and on the new one. */
    mrrBefore: integer('mrr_before').notNull(),
    mrrAfter: integer('mrr_after').notNull(),
    /** A runner working on it holds it until then; a crashed runner's lease runs out. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    undoneAt: timestamp('undone_at', { withTimezone: true }),
  },
  (t) => [
    index('price_migrations_created').on(t.createdAt),
    index('price_migrations_running').on(t.id).where(sql`${t.status} = 'running'`),
  ],
);

export const priceMigrationItems = pgTable(
  'price_migration_items',
  {
    migrationId: text('migration_id')
      .notNull()
      .references(() => priceMigrations.id, { onDelete: 'cascade' }),
    subscriptionId: text('subscription_id').notNull(),
    customerId: text('customer_id').notNull(),
    /** The order the runner takes them in. */
    position: integer('position').notNull(),
    fromPriceId: text('from_price_id').notNull(),
    quantity: integer('quantity').notNull(),
    /** Per billing interval, minor units: the old price's and the new price's amount × quantity. */
    amountBefore: integer('amount_before').notNull(),
    amountAfter: integer('amount_after').notNull(),
    status: text('status', { enum: MIGRATION_ITEM_STATUSES }).notNull().default('pending'),
    /** Why it was skipped or failed, in words. */
    reason: text('reason'),
    scheduleId: text('schedule_id'),
    /** When the new price applies (the renewal, or the moment it was moved). */
    effectiveAt: timestamp('effective_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.migrationId, t.subscriptionId] }),
    index('price_migration_items_order').on(t.migrationId, t.position),
  ],
);
