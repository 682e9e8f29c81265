import { sql } from 'drizzle-orm';
import { boolean, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { PriceTier } from './plans.js';
import { plans } from './plans.js';

/**
 * One Stripe Billing Meter per usage feature billed beyond its limit (`overage: bill`): made once,
 * the first time a plan needs it, and reused by every plan and price of that feature.
 */
export const usageMeters = pgTable('usage_meters', {
  feature: text('feature').primaryKey(),
  stripeMeterId: text('stripe_meter_id').notNull().unique(),
  /** The meter's `event_name`: the meter events Recur sends for the feature carry it. */
  eventName: text('event_name').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A plan's metered price for one feature's overage, one per licensed price slot (currency and
 * interval) of the plan: subscriptions to the plan carry it as an extra item without a quantity.
 * Prices are immutable in Stripe: a new overage price archives the old row and adds a new one.
 */
export const planMeteredPrices = pgTable(
  'plan_metered_prices',
  {
    id: text('id').primaryKey(),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    feature: text('feature').notNull(),
    stripePriceId: text('stripe_price_id').notNull(),
    stripeMeterId: text('stripe_meter_id').notNull(),
    currency: text('currency').notNull(),
    interval: text('interval', { enum: ['day', 'week', 'month', 'year'] }).notNull(),
    intervalCount: integer('interval_count').notNull().default(1),
    /** Minor units per unit beyond the limit; null for tiered prices. */
    unitAmount: integer('unit_amount'),
    tiersMode: text('tiers_mode', { enum: ['graduated', 'volume'] }),
    tiers: jsonb('tiers').$type<PriceTier[]>(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('plan_metered_prices_stripe_price').on(t.stripePriceId),
    uniqueIndex('plan_metered_prices_slot')
      .on(t.planId, t.feature, t.currency, t.interval, t.intervalCount)
      .where(sql`${t.active}`),
  ],
);
