import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/**
 * The reports' own tables, written by the worker in the same transaction as the subscription row
 * they follow (reports/movement-repository.ts) and rebuilt from the mirror by `recur reports rebuild`.
 * Money is in minor units of `currency`; MRR is normalised to a month and excludes discounts (the
 * mirror does not hold them).
 */

export const MOVEMENT_KINDS = ['new', 'expansion', 'contraction', 'churned', 'reactivated'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** One row per change of a subscription's MRR. */
export const mrrMovements = pgTable(
  'mrr_movements',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    subscriptionId: text('subscription_id').notNull(),
    customerId: text('customer_id').notNull(),
    /** The plan after the change; for a churn, the plan that was left. */
    planId: text('plan_id'),
    currency: text('currency').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    kind: text('kind', { enum: MOVEMENT_KINDS }).notNull(),
    mrrDelta: bigint('mrr_delta', { mode: 'number' }).notNull(),
    mrrAfter: bigint('mrr_after', { mode: 'number' }).notNull(),
    /** A churn because payments failed (Stripe gave up: `unpaid`, or cancelled for `payment_failed`). */
    involuntary: boolean('involuntary').notNull().default(false),
  },
  (t) => [
    index('mrr_movements_subscription').on(t.subscriptionId, t.at),
    index('mrr_movements_kind_at').on(t.kind, t.at),
    // The payment-health report's involuntary churn: a small slice of the movements, read by month.
    index('mrr_movements_involuntary_churn')
      .on(t.at, t.currency, t.planId)
      .where(sql`${t.kind} = 'churned' and ${t.involuntary}`),
  ],
);

/** Where each subscription's MRR stands: the "before" of its next movement, and its cohort. */
export const subscriptionMrr = pgTable(
  'subscription_mrr',
  {
    subscriptionId: text('subscription_id').primaryKey(),
    customerId: text('customer_id').notNull(),
    planId: text('plan_id'),
    currency: text('currency').notNull(),
    mrr: bigint('mrr', { mode: 'number' }).notNull(),
    /** The month of its first MRR (null until it pays), and its plan then: its cohort. */
    cohortMonth: date('cohort_month', { mode: 'string' }),
    cohortPlanId: text('cohort_plan_id'),
    trialStart: timestamp('trial_start', { withTimezone: true }),
    /** When MRR first arrived after a trial. */
    convertedAt: timestamp('converted_at', { withTimezone: true }),
    trialEnd: timestamp('trial_end', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // The trials report counts from this index alone (an index-only scan): a range of start times,
    // then the currency, the plans and the outcome columns it counts by.
    index('subscription_mrr_trials')
      .on(t.trialStart, t.currency, t.convertedAt, t.trialEnd, t.cohortPlanId, t.planId)
      .where(sql`${t.trialStart} is not null`),
  ],
);

/**
 * Movements summed per month, currency and plan ('' for none): MRR at a month's end is the running
 * sum of every month's net change. A plan change moves the old MRR from one plan to the other
 * (`transfer_*`), which cancels out across plans.
 */
export const mrrMonths = pgTable(
  'mrr_months',
  {
    month: date('month', { mode: 'string' }).notNull(),
    currency: text('currency').notNull(),
    planId: text('plan_id').notNull(),
    newMrr: bigint('new_mrr', { mode: 'number' }).notNull().default(0),
    expansionMrr: bigint('expansion_mrr', { mode: 'number' }).notNull().default(0),
    contractionMrr: bigint('contraction_mrr', { mode: 'number' }).notNull().default(0),
    churnedMrr: bigint('churned_mrr', { mode: 'number' }).notNull().default(0),
    reactivatedMrr: bigint('reactivated_mrr', { mode: 'number' }).notNull().default(0),
    transferMrr: bigint('transfer_mrr', { mode: 'number' }).notNull().default(0),
    newCount: integer('new_count').notNull().default(0),
    churnedCount: integer('churned_count').notNull().default(0),
    reactivatedCount: integer('reactivated_count').notNull().default(0),
    transferCount: integer('transfer_count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.month, t.currency, t.planId] })],
);

/**
 * Cohort retention as counts: `joined` at months_after 0, then subscriptions that left (churned,
 * less those that came back) by whole months after their cohort month.
 */
export const mrrCohorts = pgTable(
  'mrr_cohorts',
  {
    cohortMonth: date('cohort_month', { mode: 'string' }).notNull(),
    currency: text('currency').notNull(),
    planId: text('plan_id').notNull(),
    monthsAfter: integer('months_after').notNull(),
    joined: integer('joined').notNull().default(0),
    left: integer('left').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.cohortMonth, t.currency, t.planId, t.monthsAfter] })],
);

/**
 * Invoices and refunds summed per UTC month, currency and plan ('' for none), kept by difference in
 * the transaction that writes an invoice, refund or subscription row (reports/revenue-rollup.ts), so
 * the revenue and payment-health reports read a few hundred rows rather than every invoice.
 *
 * An invoice counts under its subscription's plan of today (as the reports have always filtered it),
 * so a plan change moves its subscription's invoices. From the month it was created: `invoiced`
 * (finalised: open, paid, uncollectible) and, for a subscription invoice with a payment attempt,
 * `attempted`, `failed` (retried or not paid), `recovered` (paid after a retry) and the seconds from
 * creation to payment of the recovered ones. From the month it was paid: `collected`. The tax
 * inside an invoice's total (Stripe Tax) is summed beside each: `invoiced_tax`, `collected_tax`. Refunds
 * (succeeded or pending) count in the month they were made, under no plan: the mirror does not link
 * them to an invoice. The `*_count` columns say whether any row was there at all, as the reports
 * list a currency that had only zero-amount invoices.
 */
export const revenueMonths = pgTable(
  'revenue_months',
  {
    month: date('month', { mode: 'string' }).notNull(),
    currency: text('currency').notNull(),
    planId: text('plan_id').notNull(),
    invoiced: bigint('invoiced', { mode: 'number' }).notNull().default(0),
    /** The tax inside `invoiced`: revenue net of tax is `invoiced - invoiced_tax`. */
    invoicedTax: bigint('invoiced_tax', { mode: 'number' }).notNull().default(0),
    invoicedCount: integer('invoiced_count').notNull().default(0),
    collected: bigint('collected', { mode: 'number' }).notNull().default(0),
    /** The tax of the invoices paid, inside `collected`. */
    collectedTax: bigint('collected_tax', { mode: 'number' }).notNull().default(0),
    collectedCount: integer('collected_count').notNull().default(0),
    refunded: bigint('refunded', { mode: 'number' }).notNull().default(0),
    refundedCount: integer('refunded_count').notNull().default(0),
    attempted: integer('attempted').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    recovered: integer('recovered').notNull().default(0),
    /** Stripe's times are whole seconds, so whole seconds lose nothing. */
    recoverySeconds: bigint('recovery_seconds', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.month, t.currency, t.planId] })],
);
