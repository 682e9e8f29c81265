import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * The mirror of Stripe's billing state. Rows are keyed by Stripe's ids and carry `stripeEventAt`,
 * the `created` time of the newest event (or fetch) applied: an older snapshot never overwrites a
 * newer one, whatever order Stripe delivers in.
 */
const mirrored = {
  stripeEventAt: timestamp('stripe_event_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

export const customers = pgTable(
  'customers',
  {
    id: text('id').primaryKey(),
    /**
     * The host app's user id, from metadata `recur_user_id` or linked by Recur. Unique among live
     * customers only: a user whose customer was deleted in Stripe gets a new one on next need.
     */
    externalId: text('external_id'),
    /**
     * The host app's organisation this customer bills, from metadata `recur_organization_id`: a
     * customer is a user's or an organisation's, never both. Unique among live customers.
     */
    organizationId: text('organization_id'),
    emailEncrypted: text('email_encrypted'),
    /** Keyed hash of the normalised email, for look-up without storing it in the clear. */
    emailHash: text('email_hash'),
    nameEncrypted: text('name_encrypted'),
    /**
     * Keyed hashes of the normalised name's prefixes (shared/name-index.ts), for the admin search by
     * the start of a name without storing or scanning names in the clear. Cleared with the name.
     */
    namePrefixes: text('name_prefixes').array(),
    defaultPaymentMethodId: text('default_payment_method_id'),
    currency: text('currency'),
    /**
     * Stripe's invoice balance in `currency`, minor units: negative is a credit the next invoices
     * take, positive an amount owed that they add (https://docs.stripe.com/billing/customer/balance).
     */
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
    deleted: boolean('deleted').notNull().default(false),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    /**
     * When the customer's personal data was erased on request. From then on a trigger
     * (`customers_keep_erased`, in the migrations) keeps the personal columns empty whatever writes
     * the row: a late webhook or a sync carrying the old email cannot bring it back.
     */
    erasedAt: timestamp('erased_at', { withTimezone: true }),
    ...mirrored,
  },
  (t) => [
    index('customers_email_hash').on(t.emailHash),
    index('customers_name_prefixes').using('gin', t.namePrefixes),
    index('customers_erased_at').on(t.erasedAt).where(sql`${t.erasedAt} is not null`),
    uniqueIndex('customers_external_id_live').on(t.externalId).where(sql`not ${t.deleted}`),
    // A user's billing history outlives a customer deleted in Stripe: the lists of a user's
    // invoices and subscriptions look up deleted customers too, which the partial index above omits.
    index('customers_external_id').on(t.externalId),
    uniqueIndex('customers_organization_live').on(t.organizationId).where(sql`not ${t.deleted}`),
    index('customers_organization').on(t.organizationId),
    // The admin list's order (newest or oldest first), so any page is an index range.
    index('customers_created').on(t.createdAt, t.id),
  ],
);

export const subscriptions = pgTable(
  'subscriptions',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    /**
     * Stripe's status vocabulary (`incomplete`, `trialing`, `active`, `past_due`, `canceled`, …), also
     * for external subscriptions, whose status Recur keeps itself (see subscriptions/status.ts).
     */
    status: text('status').notNull(),
    /** `stripe`: Stripe collects and this row mirrors it; `external`: payments arrive by the payment webhook. */
    provider: text('provider', { enum: ['stripe', 'external'] })
      .notNull()
      .default('stripe'),
    /** The plan of the first item's price, when it is one of Recur's. */
    planId: text('plan_id'),
    priceId: text('price_id'),
    quantity: integer('quantity').notNull().default(1),
    /**
     * For a per-seat price, who sets the quantity: `manual` (the app) or `members` (Recur keeps it
     * equal to the organisation's members who hold a seat). From metadata `recur_seat_mode`.
     */
    seatMode: text('seat_mode', { enum: ['manual', 'members'] }),
    currency: text('currency').notNull(),
    collectionMethod: text('collection_method').notNull(),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    cancelAt: timestamp('cancel_at', { withTimezone: true }),
    canceledAt: timestamp('canceled_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    trialStart: timestamp('trial_start', { withTimezone: true }),
    trialEnd: timestamp('trial_end', { withTimezone: true }),
    currentPeriodStart: timestamp('current_period_start', { withTimezone: true }),
    currentPeriodEnd: timestamp('current_period_end', { withTimezone: true }),
    latestInvoiceId: text('latest_invoice_id'),
    defaultPaymentMethodId: text('default_payment_method_id'),
    cancellationReason: text('cancellation_reason'),
    pauseCollection: jsonb('pause_collection'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    ...mirrored,
  },
  (t) => [
    index('subscriptions_customer').on(t.customerId),
    index('subscriptions_status').on(t.status, t.planId),
    // The admin list's order, so any page is an index range rather than a sort of every row.
    index('subscriptions_created').on(t.createdAt, t.id),
    index('subscriptions_status_sorted').on(t.status, t.id),
  ],
);

export const subscriptionItems = pgTable(
  'subscription_items',
  {
    id: text('id').primaryKey(),
    subscriptionId: text('subscription_id').notNull(),
    priceId: text('price_id').notNull(),
    productId: text('product_id'),
    /** Null for a metered item (usage billed through a meter, e.g. overage): it has no quantity. */
    quantity: integer('quantity').default(1),
    unitAmount: integer('unit_amount'),
    currency: text('currency').notNull(),
    interval: text('interval'),
    intervalCount: integer('interval_count'),
    currentPeriodStart: timestamp('current_period_start', { withTimezone: true }),
    currentPeriodEnd: timestamp('current_period_end', { withTimezone: true }),
    ...mirrored,
  },
  (t) => [index('subscription_items_subscription').on(t.subscriptionId)],
);

export const invoices = pgTable(
  'invoices',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    subscriptionId: text('subscription_id'),
    status: text('status').notNull(),
    number: text('number'),
    currency: text('currency').notNull(),
    subtotal: integer('subtotal').notNull(),
    total: integer('total').notNull(),
    /** Stripe Tax's tax on the invoice (the sum of `total_taxes`), inside `total`; 0 without tax. */
    tax: integer('tax').notNull().default(0),
    amountDue: integer('amount_due').notNull(),
    amountPaid: integer('amount_paid').notNull(),
    amountRemaining: integer('amount_remaining').notNull(),
    billingReason: text('billing_reason'),
    periodStart: timestamp('period_start', { withTimezone: true }),
    periodEnd: timestamp('period_end', { withTimezone: true }),
    attemptCount: integer('attempt_count').notNull().default(0),
    nextPaymentAttempt: timestamp('next_payment_attempt', { withTimezone: true }),
    hostedInvoiceUrl: text('hosted_invoice_url'),
    invoicePdf: text('invoice_pdf'),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    /**
     * Stripe said `invoice.payment_action_required`: its payment waits for the customer's 3-D Secure
     * authentication on the hosted invoice page. Not part of Stripe's invoice object, so no snapshot
     * writes it; it counts only while the invoice is `open` (paying, voiding or writing it off ends it).
     */
    paymentActionRequired: boolean('payment_action_required').notNull().default(false),
    ...mirrored,
  },
  (t) => [
    index('invoices_customer').on(t.customerId, t.createdAt),
    index('invoices_subscription').on(t.subscriptionId),
    index('invoices_created').on(t.createdAt, t.id),
    index('invoices_total').on(t.total, t.id),
    // The few invoices waiting for the customer's authentication: the lists' "action required" test
    // reads these, never a scan of every invoice.
    index('invoices_payment_action').on(t.id).where(sql`${t.status} = 'open' and ${t.paymentActionRequired}`),
  ],
);

export const paymentIntents = pgTable(
  'payment_intents',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id'),
    status: text('status').notNull(),
    amount: integer('amount').notNull(),
    amountReceived: integer('amount_received').notNull().default(0),
    currency: text('currency').notNull(),
    lastErrorCode: text('last_error_code'),
    ...mirrored,
  },
  (t) => [index('payment_intents_customer').on(t.customerId)],
);

export const charges = pgTable(
  'charges',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id'),
    paymentIntentId: text('payment_intent_id'),
    status: text('status').notNull(),
    amount: integer('amount').notNull(),
    amountCaptured: integer('amount_captured').notNull().default(0),
    amountRefunded: integer('amount_refunded').notNull().default(0),
    currency: text('currency').notNull(),
    paid: boolean('paid').notNull(),
    refunded: boolean('refunded').notNull(),
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    cardBrand: text('card_brand'),
    cardLast4: text('card_last4'),
    ...mirrored,
  },
  (t) => [
    index('charges_customer').on(t.customerId),
    index('charges_payment_intent').on(t.paymentIntentId),
    // The disputes report counts a month's charges: a range of this index.
    index('charges_created').on(t.createdAt),
  ],
);

/**
 * Which invoice a payment intent paid, from `invoice_payment.paid` events: since the 2025 API neither
 * the payment nor its charge names the invoice, and a refund names only its payment.
 */
export const invoicePayments = pgTable(
  'invoice_payments',
  {
    id: text('id').primaryKey(),
    invoiceId: text('invoice_id').notNull(),
    paymentIntentId: text('payment_intent_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('invoice_payments_payment_intent').on(t.paymentIntentId)],
);

export const refunds = pgTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    chargeId: text('charge_id'),
    paymentIntentId: text('payment_intent_id'),
    /**
     * The invoice the refunded payment paid, found once (a refund names only its payment, and
     * since the 2025 API neither the payment nor its charge names the invoice). Null: no invoice,
     * or not found yet.
     */
    invoiceId: text('invoice_id'),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    status: text('status'),
    reason: text('reason'),
    ...mirrored,
  },
  (t) => [
    index('refunds_charge').on(t.chargeId),
    index('refunds_invoice').on(t.invoiceId),
    // The admin list's sort keys, each with the id that breaks its ties.
    index('refunds_created').on(t.createdAt, t.id),
    index('refunds_amount').on(t.amount, t.id),
  ],
);

/** Cards are kept as brand, last 4 digits and expiry: never a number or a CVC. */
export const paymentMethods = pgTable(
  'payment_methods',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id'),
    type: text('type').notNull(),
    cardBrand: text('card_brand'),
    cardLast4: text('card_last4'),
    cardExpMonth: integer('card_exp_month'),
    cardExpYear: integer('card_exp_year'),
    ...mirrored,
  },
  (t) => [index('payment_methods_customer').on(t.customerId)],
);

export const checkoutSessions = pgTable(
  'checkout_sessions',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id'),
    subscriptionId: text('subscription_id'),
    mode: text('mode').notNull(),
    status: text('status'),
    paymentStatus: text('payment_status').notNull(),
    clientReferenceId: text('client_reference_id'),
    amountTotal: integer('amount_total'),
    currency: text('currency'),
    ...mirrored,
  },
  (t) => [index('checkout_sessions_customer').on(t.customerId)],
);

/**
 * Payments reported by the generic payment webhook, for external subscriptions (which they drive)
 * and Stripe-managed ones (a success pays the open invoice out of band; a failure is only recorded).
 */
export const externalPayments = pgTable(
  'external_payments',
  {
    id: text('id').primaryKey(),
    /** The inbox event that carried it: one payment per delivery, however often it is retried. */
    eventId: text('event_id').notNull().unique(),
    subscriptionId: text('subscription_id').notNull(),
    outcome: text('outcome', { enum: ['success', 'failed'] }).notNull(),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    /** The day the provider says the payment happened (UTC). */
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    /** The Stripe invoice paid out of band, for Stripe-managed subscriptions. */
    invoiceId: text('invoice_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('external_payments_subscription').on(t.subscriptionId, t.createdAt)],
);
