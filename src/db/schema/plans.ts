import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** A benefit's value: a flag (true), a number limit (seats: 5) or a text ("email support"). */
export type BenefitValue = boolean | number | string;
/** When a metered limit's count starts again: UTC calendar periods, the subscription's own, or never. */
export const USAGE_RESETS = ['day', 'week', 'month', 'year', 'billing_period', 'never'] as const;
export type UsageReset = (typeof USAGE_RESETS)[number];
/** What happens beyond a metered limit: refuse, bill through a Stripe meter, or draw credits. */
export const OVERAGE_RULES = ['block', 'bill', 'credits'] as const;
export type OverageRule = (typeof OVERAGE_RULES)[number];

/** A metered limit: `value` units per period; its overage rule says what happens beyond. */
export interface UsageLimit {
  reset: UsageReset;
  overage: OverageRule;
  /** With `overage: bill`: the price of a unit beyond the limit, one per currency of the plan. */
  overagePrices?: OveragePrice[];
}

/** The price of overage in one currency: per unit, or tiered over the units beyond the limit. */
export interface OveragePrice {
  currency: string;
  unitAmount: number | null;
  tiersMode: 'graduated' | 'volume' | null;
  tiers: PriceTier[] | null;
}

/** Credits a plan grants: each period for a recurring plan, once for a one-time purchase. */
export interface CreditGrantRule {
  /** Unused credits carry over to the next period (else they expire at its end). */
  rollover: boolean;
  /** Days after the grant when its credits expire; null: never (or at period end without rollover). */
  expiresAfterDays: number | null;
}

/**
 * A benefit: a flag, a number or a text. A metered limit (`limit`) has its limit as `value`; a credit
 * grant (`credits`) has the number of credits as `value`. Both are usage features of the same key.
 */
export interface Benefit {
  key: string;
  value: BenefitValue;
  limit?: UsageLimit;
  credits?: CreditGrantRule;
}

export interface PriceTier {
  /** Inclusive upper bound of the tier; null for the last, open-ended tier. */
  upTo: number | null;
  unitAmount: number | null;
  flatAmount: number | null;
}

export const PLAN_KINDS = ['base', 'add_on', 'one_time'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];
/** A recurring price's billing interval; a one-time price has none. */
export const PRICE_INTERVALS = ['day', 'week', 'month', 'year'] as const;
export type PriceInterval = (typeof PRICE_INTERVALS)[number];

export const plans = pgTable(
  'plans',
  {
    id: text('id').primaryKey(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    benefits: jsonb('benefits').$type<Benefit[]>().notNull().default([]),
    trialDays: integer('trial_days').notNull().default(0),
    /**
     * `base`: at most one live per payer; `add_on`: bought on top of a base plan; `one_time`: bought
     * once through Checkout in payment mode (a credit pack, a lifetime deal), never subscribed to.
     */
    kind: text('kind', { enum: PLAN_KINDS }).notNull().default('base'),
    /** For an add-on: the base plans (ids) it may be bought with; empty means any. */
    requiresPlans: jsonb('requires_plans').$type<string[]>().notNull().default([]),
    /** The price is per seat: the subscription's quantity is its number of seats. */
    perSeat: boolean('per_seat').notNull().default(false),
    status: text('status', { enum: ['active', 'archived'] })
      .notNull()
      .default('active'),
    stripeProductId: text('stripe_product_id').notNull(),
    /** Stripe's `updated` of the product when it was last written here, so older snapshots never win. */
    stripeUpdatedAt: timestamp('stripe_updated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('plans_key_unique').on(t.key),
    uniqueIndex('plans_stripe_product_id_unique').on(t.stripeProductId),
    index('plans_status_created').on(t.status, t.createdAt),
  ],
);

export const planPrices = pgTable(
  'plan_prices',
  {
    id: text('id').primaryKey(),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    stripePriceId: text('stripe_price_id').notNull(),
    currency: text('currency').notNull(),
    /** Minor units; null for tiered prices. */
    unitAmount: integer('unit_amount'),
    billingScheme: text('billing_scheme', { enum: ['per_unit', 'tiered'] }).notNull(),
    tiersMode: text('tiers_mode', { enum: ['graduated', 'volume'] }),
    tiers: jsonb('tiers').$type<PriceTier[]>(),
    /** Null for a one-time price (a `one_time` plan's): Stripe's price then has no `recurring`. */
    interval: text('interval', { enum: PRICE_INTERVALS }),
    intervalCount: integer('interval_count').notNull().default(1),
    lookupKey: text('lookup_key'),
    active: boolean('active').notNull().default(true),
    /** The price this one replaced when an amount was edited (prices are immutable in Stripe). */
    replacesPriceId: text('replaces_price_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('plan_prices_stripe_price_id_unique').on(t.stripePriceId),
    uniqueIndex('plan_prices_lookup_key_unique').on(t.lookupKey).where(sql`${t.lookupKey} is not null`),
    index('plan_prices_plan').on(t.planId),
  ],
);
