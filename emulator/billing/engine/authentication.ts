// The customer's side of a payment that needs 3D Secure, on the hosted invoice page: confirming
// the invoice's payment intent on session (which asks for the challenge), then completing or
// failing the challenge. Completing charges the card and pays the invoice through the usual steps
// (`invoice.paid`, the subscription back to active); failing leaves the invoice open and the
// intent asking for a payment method, as Stripe does
// (https://docs.stripe.com/payments/paymentintents/lifecycle, https://docs.stripe.com/error-codes#payment-intent-authentication-failure).

import type Stripe from 'stripe';
import { docUrlFor } from '../../core/errors.js';
import { recordAuthentication } from '../../resources/payment-outcomes.js';
import { invoicePaymentIntent, paymentMethodFor, settlePaidInvoice } from './collection.js';
import type { Billing } from './context.js';
import type { EventBatch } from './event-batch.js';
import { view } from './invoicing.js';
import { chargePaymentIntent } from './payments.js';

export type ChallengeOutcome = 'complete' | 'fail';

/** The payment method the invoice's payment is confirmed with: the intent's own, else Stripe's order. */
export function invoicePaymentMethod(billing: Billing, invoice: Stripe.Invoice): string | null {
  const intent = invoicePaymentIntent(billing, invoice);
  const own = intent?.payment_method;
  if (own) return typeof own === 'string' ? own : own.id;
  return paymentMethodFor(billing, invoice);
}

/** Whether the hosted page should send the customer to the challenge. */
export function awaitsAuthentication(billing: Billing, invoice: Stripe.Invoice): boolean {
  return invoice.status === 'open' && invoicePaymentIntent(billing, invoice)?.status === 'requires_action';
}

/**
 * The customer presses Pay on the hosted invoice page: the intent is confirmed on session with the
 * card on file. A card that needs authentication waits in `requires_action` for the challenge.
 */
export function payOnSession(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  at: number,
): 'paid' | 'requires_action' | 'failed' {
  const intent = invoicePaymentIntent(billing, invoice);
  const method = invoicePaymentMethod(billing, invoice);
  if (!intent || !method || invoice.status !== 'open') return 'failed';
  if (intent.status === 'requires_action') return 'requires_action';
  const result = chargePaymentIntent(billing, batch, intent, method, at, { session: 'on_session' });
  return settle(billing, batch, invoice, intent, result.status, at);
}

export function finishChallenge(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  outcome: ChallengeOutcome,
  at: number,
): 'paid' | 'failed' {
  const intent = invoicePaymentIntent(billing, invoice);
  const method = invoicePaymentMethod(billing, invoice);
  if (!intent || !method || intent.status !== 'requires_action') return 'failed';
  if (outcome === 'complete') {
    recordAuthentication(billing.emulator, method);
    const result = chargePaymentIntent(billing, batch, intent, method, at, { session: 'on_session' });
    return settle(billing, batch, invoice, intent, result.status, at) === 'paid' ? 'paid' : 'failed';
  }
  failAuthentication(billing, batch, intent, method, at);
  billing.data.invoices.save(invoice);
  batch.record('invoice.payment_failed', view(invoice), at);
  return 'failed';
}

/** A failed challenge: the intent asks for a payment method again, with Stripe's error. */
export function failAuthentication(
  billing: Billing,
  batch: EventBatch,
  intent: Stripe.PaymentIntent,
  paymentMethodId: string,
  at: number,
): void {
  intent.status = 'requires_payment_method';
  intent.next_action = null;
  intent.last_payment_error = {
    code: 'payment_intent_authentication_failure',
    doc_url: docUrlFor('payment_intent_authentication_failure'),
    message:
      'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
    payment_method: billing.catalog.paymentMethod(paymentMethodId),
    type: 'invalid_request_error',
  };
  billing.data.paymentIntents.save(intent);
  batch.record('payment_intent.payment_failed', intent, at);
}

function settle(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  intent: Stripe.PaymentIntent,
  status: 'succeeded' | 'failed' | 'requires_action',
  at: number,
): 'paid' | 'requires_action' | 'failed' {
  if (status === 'requires_action') return 'requires_action';
  if (status === 'succeeded') {
    settlePaidInvoice(billing, batch, invoice, intent, at);
    return 'paid';
  }
  billing.data.invoices.save(invoice);
  batch.record('invoice.payment_failed', view(invoice), at);
  return 'failed';
}

/** `Visa •••• 3184`, as the challenge names the card. */
export function cardName(billing: Billing, paymentMethodId: string): string {
  const card = billing.catalog.paymentMethod(paymentMethodId).card;
  if (!card) return 'your card';
  return `${card.brand.charAt(0).toUpperCase()}${card.brand.slice(1)} •••• ${card.last4}`;
}
