import { index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { plans } from './plans.js';
import { PAYER_KINDS } from './usage.js';

export const PURCHASE_STATUSES = ['paid', 'refunded'] as const;
export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];

/**
 * A one-time plan bought through Checkout in `payment` mode: one row per paid Checkout Session.
 * While `paid`, the plan's flag, number and text benefits are the payer's for good and its credits
 * were granted (lots with source `purchase`, source reference the session id); a full refund makes
 * it `refunded`, which takes both back.
 */
export const purchases = pgTable(
  'purchases',
  {
    id: text('id').primaryKey(),
    payerKind: text('payer_kind', { enum: PAYER_KINDS }).notNull(),
    payerId: text('payer_id').notNull(),
    /** The Stripe customer that paid. */
    customerId: text('customer_id').notNull(),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id),
    checkoutSessionId: text('checkout_session_id').notNull(),
    paymentIntentId: text('payment_intent_id'),
    /** How many of the plan were bought: credits are granted this many times. */
    quantity: integer('quantity').notNull().default(1),
    /** What was paid, in minor units of `currency`. */
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: PURCHASE_STATUSES }).notNull().default('paid'),
    /** The host app's user who started the Checkout (also when an organisation pays). */
    userId: text('user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    refundedAt: timestamp('refunded_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('purchases_checkout_session').on(t.checkoutSessionId),
    index('purchases_payer').on(t.payerKind, t.payerId, t.status),
    index('purchases_customer').on(t.customerId, t.status),
    index('purchases_payment_intent').on(t.paymentIntentId),
  ],
);
