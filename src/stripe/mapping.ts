import type Stripe from 'stripe';
import type {
  charges,
  checkoutSessions,
  customers,
  disputes,
  earlyFraudWarnings,
  invoices,
  paymentIntents,
  paymentMethods,
  refunds,
  subscriptionItems,
  subscriptions,
} from '../db/schema/index.js';
import type { PiiCipher } from '../shared/crypto.js';
import { nameIndex } from '../shared/name-index.js';

/** Stripe objects → mirror rows. Pure functions: no I/O, so every handler and the sync share them. */

type Row<T extends { $inferInsert: unknown }> = Omit<T['$inferInsert'], 'stripeEventAt' | 'updatedAt'>;

export const USER_ID_METADATA = 'recur_user_id';
/** The host app's organisation a customer bills; a customer carries this or the user id, not both. */
export const ORGANIZATION_ID_METADATA = 'recur_organization_id';
/** A per-seat subscription's seat mode (`manual` or `members`), kept in Stripe so a sync restores it. */
export const SEAT_MODE_METADATA = 'recur_seat_mode';

const seatModeOf = (metadata: Stripe.Metadata | null | undefined): 'manual' | 'members' | null => {
  const mode = metadata?.[SEAT_MODE_METADATA];
  return mode === 'manual' || mode === 'members' ? mode : null;
};

const date = (unix: number | null | undefined): Date | null => (unix ? new Date(unix * 1000) : null);
export const idOf = (value: string | { id: string } | null | undefined): string | null =>
  value == null ? null : typeof value === 'string' ? value : value.id;

export function customerRow(
  c: Stripe.Customer | Stripe.DeletedCustomer,
  cipher: PiiCipher,
): Partial<Row<typeof customers>> & { id: string } {
  if (c.deleted) return { id: c.id, deleted: true };
  const customer = c;
  return {
    id: customer.id,
    externalId: customer.metadata?.[USER_ID_METADATA] ?? null,
    organizationId: customer.metadata?.[ORGANIZATION_ID_METADATA] ?? null,
    emailEncrypted: customer.email ? cipher.encrypt(customer.email) : null,
    emailHash: customer.email ? cipher.emailHash(customer.email) : null,
    nameEncrypted: customer.name ? cipher.encrypt(customer.name) : null,
    namePrefixes: nameIndex(cipher, customer.name),
    defaultPaymentMethodId: idOf(customer.invoice_settings?.default_payment_method),
    currency: customer.currency ?? null,
    balance: customer.balance,
    deleted: false,
    metadata: customer.metadata ?? {},
    createdAt: new Date(customer.created * 1000),
  };
}

/** A metered item bills usage through a meter (overage): it has no quantity, and no seats. */
export const isMetered = (item: Stripe.SubscriptionItem) => item.price.recurring?.usage_type === 'metered';

/** The item a subscription is for (its plan's price, its seats): the first licensed one. */
export function licensedItem(s: Stripe.Subscription): Stripe.SubscriptionItem {
  return licensedOf(s.items.data)!;
}

/** The licensed item among `items` (a subscription's, or those a change replaced), as above. */
export function licensedOf(items: readonly Stripe.SubscriptionItem[]): Stripe.SubscriptionItem | undefined {
  return items.find((item) => !isMetered(item)) ?? items[0];
}

export function subscriptionRow(s: Stripe.Subscription): Row<typeof subscriptions> {
  const first = s.items.data.length > 0 ? licensedItem(s) : undefined;
  return {
    id: s.id,
    customerId: idOf(s.customer)!,
    status: s.status,
    planId: null,
    priceId: first?.price.id ?? null,
    quantity: first?.quantity ?? 1,
    seatMode: seatModeOf(s.metadata),
    currency: s.currency,
    collectionMethod: s.collection_method,
    cancelAtPeriodEnd: s.cancel_at_period_end,
    cancelAt: date(s.cancel_at),
    canceledAt: date(s.canceled_at),
    endedAt: date(s.ended_at),
    trialStart: date(s.trial_start),
    trialEnd: date(s.trial_end),
    // Since 2025 the period lives on each item; the subscription's is its first item's.
    currentPeriodStart: date(first?.current_period_start),
    currentPeriodEnd: date(first?.current_period_end),
    latestInvoiceId: idOf(s.latest_invoice),
    defaultPaymentMethodId: idOf(s.default_payment_method),
    cancellationReason: s.cancellation_details?.reason ?? null,
    pauseCollection: s.pause_collection ?? null,
    metadata: s.metadata ?? {},
    createdAt: new Date(s.created * 1000),
  };
}

export function subscriptionItemRows(s: Stripe.Subscription): Array<Row<typeof subscriptionItems>> {
  return s.items.data.map((item) => ({
    id: item.id,
    subscriptionId: s.id,
    priceId: item.price.id,
    productId: idOf(item.price.product),
    quantity: isMetered(item) ? null : (item.quantity ?? 1),
    unitAmount: item.price.unit_amount,
    currency: item.price.currency,
    interval: item.price.recurring?.interval ?? null,
    intervalCount: item.price.recurring?.interval_count ?? null,
    currentPeriodStart: date(item.current_period_start),
    currentPeriodEnd: date(item.current_period_end),
    createdAt: new Date(item.created * 1000),
  }));
}

/** Stripe Tax's tax on an invoice: `total_taxes` summed (null or absent without tax). */
export function invoiceTax(i: Pick<Stripe.Invoice, 'total_taxes'>): number {
  return (i.total_taxes ?? []).reduce((sum, t) => sum + t.amount, 0);
}

export function invoiceRow(i: Stripe.Invoice): Row<typeof invoices> {
  return {
    id: i.id!,
    customerId: idOf(i.customer)!,
    subscriptionId: idOf(i.parent?.subscription_details?.subscription),
    status: i.status ?? 'draft',
    number: i.number,
    currency: i.currency,
    subtotal: i.subtotal,
    total: i.total,
    tax: invoiceTax(i),
    amountDue: i.amount_due,
    amountPaid: i.amount_paid,
    amountRemaining: i.amount_remaining,
    billingReason: i.billing_reason,
    periodStart: date(i.period_start),
    periodEnd: date(i.period_end),
    attemptCount: i.attempt_count,
    nextPaymentAttempt: date(i.next_payment_attempt),
    hostedInvoiceUrl: i.hosted_invoice_url ?? null,
    invoicePdf: i.invoice_pdf ?? null,
    paidAt: date(i.status_transitions?.paid_at),
    createdAt: new Date(i.created * 1000),
  };
}

export function paymentIntentRow(p: Stripe.PaymentIntent): Row<typeof paymentIntents> {
  return {
    id: p.id,
    customerId: idOf(p.customer),
    status: p.status,
    amount: p.amount,
    amountReceived: p.amount_received,
    currency: p.currency,
    lastErrorCode: p.last_payment_error?.decline_code ?? p.last_payment_error?.code ?? null,
    createdAt: new Date(p.created * 1000),
  };
}

export function chargeRow(c: Stripe.Charge): Row<typeof charges> {
  const card = c.payment_method_details?.card;
  return {
    id: c.id,
    customerId: idOf(c.customer),
    paymentIntentId: idOf(c.payment_intent),
    status: c.status,
    amount: c.amount,
    amountCaptured: c.amount_captured,
    amountRefunded: c.amount_refunded,
    currency: c.currency,
    paid: c.paid,
    refunded: c.refunded,
    failureCode: c.failure_code,
    failureMessage: c.failure_message,
    cardBrand: card?.brand ?? null,
    cardLast4: card?.last4 ?? null,
    createdAt: new Date(c.created * 1000),
  };
}

/**
 * `invoiceId`: the invoice its payment paid, when the writer found it (see the column); left out,
 * a write keeps what the row holds.
 */
export function refundRow(r: Stripe.Refund, invoiceId?: string | null): Row<typeof refunds> {
  return {
    id: r.id,
    chargeId: idOf(r.charge),
    paymentIntentId: idOf(r.payment_intent),
    ...(invoiceId === undefined ? {} : { invoiceId }),
    amount: r.amount,
    currency: r.currency,
    status: r.status,
    reason: r.reason,
    createdAt: new Date(r.created * 1000),
  };
}

export function paymentMethodRow(p: Stripe.PaymentMethod): Row<typeof paymentMethods> {
  return {
    id: p.id,
    customerId: idOf(p.customer),
    type: p.type,
    cardBrand: p.card?.brand ?? null,
    cardLast4: p.card?.last4 ?? null,
    cardExpMonth: p.card?.exp_month ?? null,
    cardExpYear: p.card?.exp_year ?? null,
    createdAt: new Date(p.created * 1000),
  };
}

export function checkoutSessionRow(s: Stripe.Checkout.Session): Row<typeof checkoutSessions> {
  return {
    id: s.id,
    customerId: idOf(s.customer),
    subscriptionId: idOf(s.subscription),
    mode: s.mode,
    status: s.status,
    paymentStatus: s.payment_status,
    clientReferenceId: s.client_reference_id,
    amountTotal: s.amount_total,
    currency: s.currency,
    createdAt: new Date(s.created * 1000),
  };
}

/** What a dispute or a fraud warning concerns beyond its charge: found once, then kept on its row. */
export interface PaymentLinks {
  paymentIntentId: string | null;
  customerId: string | null;
  invoiceId: string | null;
  subscriptionId: string | null;
}

export function disputeRow(
  d: Stripe.Dispute,
  links: PaymentLinks,
  accessFrozen: boolean,
): Row<typeof disputes> {
  return {
    id: d.id,
    chargeId: idOf(d.charge)!,
    ...links,
    paymentIntentId: idOf(d.payment_intent) ?? links.paymentIntentId,
    amount: d.amount,
    currency: d.currency,
    reason: d.reason,
    status: d.status,
    evidenceDueBy: date(d.evidence_details?.due_by),
    isChargeRefundable: d.is_charge_refundable,
    accessFrozen,
    createdAt: new Date(d.created * 1000),
  };
}

export function earlyFraudWarningRow(
  w: Stripe.Radar.EarlyFraudWarning,
  links: PaymentLinks,
): Row<typeof earlyFraudWarnings> {
  return {
    id: w.id,
    chargeId: idOf(w.charge)!,
    ...links,
    paymentIntentId: idOf(w.payment_intent) ?? links.paymentIntentId,
    fraudType: w.fraud_type,
    actionable: w.actionable,
    createdAt: new Date(w.created * 1000),
  };
}
