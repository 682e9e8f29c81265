// Collecting an open invoice: choosing the payment method Stripe would use, charging it through
// the invoice's payment intent, and on failure scheduling the next retry or, once they are
// exhausted, handing over to the subscription's dunning outcome.

import type Stripe from 'stripe';
import { invalidRequest } from '../../core/errors.js';
import { nextRetryAt } from '../domain/retry-schedule.js';
import { type Billing, customerId, invoiceBookkeeping } from './context.js';
import type { EventBatch } from './event-batch.js';
import { markInvoicePaid, view } from './invoicing.js';
import { chargePaymentIntent } from './payments.js';
import { afterPaymentFailed, subscriptionOf } from './subscription-status.js';

/** Stripe's order: the invoice's default, the subscription's, then the customer's. */
export function paymentMethodFor(billing: Billing, invoice: Stripe.Invoice): string | null {
  const fromInvoice = invoice.default_payment_method;
  if (fromInvoice) return typeof fromInvoice === 'string' ? fromInvoice : fromInvoice.id;
  const fromSubscription = subscriptionOf(billing, invoice)?.default_payment_method;
  if (fromSubscription) return typeof fromSubscription === 'string' ? fromSubscription : fromSubscription.id;
  const customer = billing.catalog.customer(customerId(invoice.customer));
  const fromCustomer = customer.invoice_settings?.default_payment_method;
  if (fromCustomer) return typeof fromCustomer === 'string' ? fromCustomer : fromCustomer.id;
  return null;
}

export function invoicePaymentIntent(
  billing: Billing,
  invoice: Stripe.Invoice,
): Stripe.PaymentIntent | undefined {
  const id = invoiceBookkeeping(billing, invoice.id).paymentIntent;
  return id ? billing.data.paymentIntents.get(id) : undefined;
}

export function invoiceForPaymentIntent(billing: Billing, intentId: string): Stripe.Invoice | undefined {
  const payment = billing.data.invoicePayments.find((p) => p.payment.payment_intent === intentId);
  return payment ? billing.data.invoices.get(String(payment.invoice)) : undefined;
}

export type AttemptOutcome = { paid: true } | { paid: false; charge: Stripe.Charge | null };

/**
 * One payment attempt on an open invoice. `automatic` attempts (finalization, retries) follow
 * the retry schedule; an attempt through the API counts too but the caller reports its failure.
 */
export function attemptInvoicePayment(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  at: number,
  options: { paymentMethod?: string | null; offSession?: boolean } = {},
): AttemptOutcome {
  if (invoice.status !== 'open') {
    throw invalidRequest(`Invoice ${invoice.id} is not open and cannot be paid.`, {
      code: 'invoice_not_editable',
    });
  }
  const intent = invoicePaymentIntent(billing, invoice);
  if (!intent) throw new Error(`Open invoice ${invoice.id} has no payment intent`);
  const bookkeeping = invoiceBookkeeping(billing, invoice.id);
  billing.data.invoiceBookkeeping.save({ ...bookkeeping, firstAttemptAt: bookkeeping.firstAttemptAt ?? at });
  invoice.attempt_count += 1;
  invoice.attempted = true;

  const paymentMethod = options.paymentMethod ?? paymentMethodFor(billing, invoice);
  // Off session, Stripe Billing leaves a payment that needs authentication waiting for the
  // customer on the hosted invoice page rather than failing it.
  const session = (options.offSession ?? true) ? 'invoice' : 'on_session';
  const result = paymentMethod
    ? chargePaymentIntent(billing, batch, intent, paymentMethod, at, { session })
    : null;
  if (result?.status === 'succeeded') {
    settlePaidInvoice(billing, batch, invoice, intent, at);
    return { paid: true };
  }
  if (result?.status === 'requires_action') {
    recordActionRequired(billing, batch, invoice, at);
    return { paid: false, charge: null };
  }
  recordFailedAttempt(billing, batch, invoice, at);
  return { paid: false, charge: result?.charge ?? null };
}

/** After a successful charge of the invoice's payment intent. */
export function settlePaidInvoice(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  intent: Stripe.PaymentIntent,
  at: number,
): void {
  const record = billing.data.invoicePayments.find((p) => p.payment.payment_intent === intent.id);
  markInvoicePaid(
    billing,
    batch,
    invoice,
    at,
    record && { payment: { record, amount: intent.amount_received } },
  );
}

/**
 * A payment that waits for the customer's authentication: the invoice stays open with no automatic
 * retry (https://support.stripe.com/questions/subscription-retries-for-failed-3d-secure-authorizations),
 * `invoice.payment_failed` then `invoice.payment_action_required` go out, and a renewal's subscription
 * turns past_due, as for any failed attempt (https://docs.stripe.com/billing/subscriptions/overview).
 */
function recordActionRequired(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  at: number,
): void {
  invoice.next_payment_attempt = null;
  billing.data.invoices.save(invoice);
  batch.record('invoice.payment_failed', view(invoice), at);
  batch.record('invoice.payment_action_required', view(invoice), at);
  afterPaymentFailed(billing, batch, invoice, at, false);
}

/** After a declined charge (or no payment method at all): retry schedule and dunning. */
export function recordFailedAttempt(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  at: number,
): void {
  const firstAttemptAt = invoiceBookkeeping(billing, invoice.id).firstAttemptAt ?? at;
  // Stripe retries invoices it advances automatically; a subscription's first invoice is not one.
  const retries = invoice.auto_advance === true && invoice.collection_method === 'charge_automatically';
  const next = retries
    ? nextRetryAt(firstAttemptAt, invoice.attempt_count, billing.settings.retryDays)
    : null;
  invoice.next_payment_attempt = next;
  billing.data.invoices.save(invoice);
  batch.record('invoice.payment_failed', view(invoice), at);
  afterPaymentFailed(billing, batch, invoice, at, retries && next === null);
}
