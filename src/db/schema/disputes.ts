import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Mirrored like every Stripe object: see `billing.ts`. */
const mirrored = {
  stripeEventAt: timestamp('stripe_event_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

/** The payment a dispute or warning concerns, and whose it is. */
const concerned = {
  chargeId: text('charge_id').notNull(),
  paymentIntentId: text('payment_intent_id'),
  customerId: text('customer_id'),
  subscriptionId: text('subscription_id'),
  invoiceId: text('invoice_id'),
};

/**
 * Stripe's disputes of charges, with the subscription and customer whose payment they contest
 * (found through the charge's invoice payment when the dispute is first seen, and kept).
 */
export const disputes = pgTable(
  'disputes',
  {
    id: text('id').primaryKey(),
    ...concerned,
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    reason: text('reason').notNull(),
    /** Stripe's: warning_needs_response, warning_under_review, warning_closed, needs_response, under_review, won, lost, prevented. */
    status: text('status').notNull(),
    evidenceDueBy: timestamp('evidence_due_by', { withTimezone: true }),
    isChargeRefundable: boolean('is_charge_refundable').notNull(),
    /**
     * Whether this dispute suspends its subscription's entitlements now: decided by the dispute
     * policy when the state is written (see disputes/policy.ts), read by every entitlement check.
     */
    accessFrozen: boolean('access_frozen').notNull().default(false),
    ...mirrored,
  },
  (t) => [
    index('disputes_created').on(t.createdAt, t.id),
    index('disputes_charge').on(t.chargeId),
    // Only the few frozen ones: the entitlement check looks a subscription up here on every call.
    index('disputes_frozen_subscription').on(t.subscriptionId).where(sql`${t.accessFrozen}`),
  ],
);

/** Radar's early fraud warnings: an issuer's report that a charge looks fraudulent, before any dispute. */
export const earlyFraudWarnings = pgTable(
  'early_fraud_warnings',
  {
    id: text('id').primaryKey(),
    ...concerned,
    fraudType: text('fraud_type').notNull(),
    /** False once the charge is refunded in full or disputed: there is nothing left to act on. */
    actionable: boolean('actionable').notNull(),
    ...mirrored,
  },
  (t) => [index('early_fraud_warnings_created').on(t.createdAt, t.id)],
);

/**
 * What Recur did about a dispute or a warning, one row per action and source: the unique key makes
 * every action happen once however often, and in whatever order, the events are delivered.
 */
export const disputeActions = pgTable(
  'dispute_actions',
  {
    id: text('id').primaryKey(),
    /** The dispute (`dp_…`) or early fraud warning (`issfr_…`). */
    sourceId: text('source_id').notNull(),
    action: text('action', {
      enum: ['access_suspended', 'access_restored', 'subscription_canceled', 'charge_refunded'],
    }).notNull(),
    subscriptionId: text('subscription_id'),
    /** What Stripe made of it: the refund's id for a refund. */
    resultId: text('result_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('dispute_actions_source_action').on(t.sourceId, t.action)],
);
