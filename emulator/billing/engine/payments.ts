// Confirming a payment intent with a payment method: one charge, which succeeds or is declined
// as the test payment method dictates, and the events Stripe sends for each outcome.

import type Stripe from 'stripe';
import { docUrlFor, invalidRequest } from '../../core/errors.js';
import type { ChargeSession } from '../../resources/payment-outcomes.js';
import { newCharge } from '../objects/payment-objects.js';
import type { Billing } from './context.js';
import { afterSuccessfulCharge } from './disputes.js';
import type { EventBatch } from './event-batch.js';

export type ChargeResult =
  | { status: 'succeeded'; charge: Stripe.Charge }
  | { status: 'failed'; charge: Stripe.Charge }
  /** The card asks for 3D Secure, which the customer must complete on session. */
  | { status: 'requires_action'; charge: null };

const CONFIRMABLE: ReadonlyArray<Stripe.PaymentIntent.Status> = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
];

export function chargePaymentIntent(
  billing: Billing,
  batch: EventBatch,
  intent: Stripe.PaymentIntent,
  paymentMethodId: string,
  at: number,
  options: { session: ChargeSession },
): ChargeResult {
  if (!CONFIRMABLE.includes(intent.status)) {
    throw invalidRequest(
      `You cannot confirm this PaymentIntent because it has a status of ${intent.status}. ` +
        'Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_action, requires_payment_method.',
      { code: 'payment_intent_unexpected_state' },
    );
  }
  const paymentMethod = billing.catalog.paymentMethod(paymentMethodId, 'payment_method');
  const attachedTo =
    typeof paymentMethod.customer === 'string' ? paymentMethod.customer : paymentMethod.customer?.id;
  const customer = typeof intent.customer === 'string' ? intent.customer : intent.customer?.id;
  if (attachedTo && customer && attachedTo !== customer) {
    throw invalidRequest(
      `The provided PaymentMethod ${paymentMethod.id} belongs to a different Customer than the one on this PaymentIntent.`,
      { param: 'payment_method' },
    );
  }
  intent.payment_method = paymentMethod.id;
  const outcome = billing.catalog.chargeOutcome(paymentMethod.id, options.session, true);
  if (outcome.status === 'requires_action') {
    intent.status = 'requires_action';
    intent.next_action = { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect' } };
    billing.data.paymentIntents.save(intent);
    batch.record('payment_intent.requires_action', intent, at);
    return { status: 'requires_action', charge: null };
  }
  const decline = outcome.status === 'failed' ? outcome : null;
  const charge = newCharge({ paymentIntent: intent, paymentMethod, created: at, decline });
  billing.data.charges.save(charge);

  intent.latest_charge = charge.id;
  if (decline) {
    intent.status = 'requires_payment_method';
    intent.last_payment_error = {
      charge: charge.id,
      code: decline.code,
      ...(decline.declineCode && { decline_code: decline.declineCode }),
      doc_url: docUrlFor(decline.code),
      message: decline.message,
      payment_method: paymentMethod,
      type: 'card_error',
    };
    billing.data.paymentIntents.save(intent);
    batch.record('charge.failed', charge, at);
    batch.record('payment_intent.payment_failed', intent, at);
    return { status: 'failed', charge };
  }
  intent.status = 'succeeded';
  intent.amount_received = intent.amount;
  intent.last_payment_error = null;
  billing.data.paymentIntents.save(intent);
  batch.record('charge.succeeded', charge, at);
  batch.record('payment_intent.succeeded', intent, at);
  afterSuccessfulCharge(billing, batch, charge, at);
  return { status: 'succeeded', charge };
}
