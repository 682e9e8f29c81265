// Refunds of succeeded charges, whole or partial, with Stripe's refusals and events.

import type Stripe from 'stripe';
import { invalidRequest, parameterMissing, resourceMissing } from '../../core/errors.js';
import { formatMoney } from '../documents/money.js';
import { newRefund } from '../objects/payment-objects.js';
import type { Billing } from './context.js';
import { refuseRefundOfDisputed, settleWarnings } from './disputes.js';
import type { EventBatch } from './event-batch.js';

export function createRefund(
  billing: Billing,
  batch: EventBatch,
  params: Stripe.RefundCreateParams,
): Stripe.Refund {
  const charge = refundedCharge(billing, params);
  const at = billing.clock.nowForObject(charge);
  if (charge.status !== 'succeeded') {
    throw invalidRequest(`Charge ${charge.id} has not succeeded and cannot be refunded.`, {
      param: 'charge',
    });
  }
  refuseRefundOfDisputed(billing, charge);
  const unrefunded = charge.amount - charge.amount_refunded;
  if (unrefunded === 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, {
      code: 'charge_already_refunded',
    });
  }
  const amount = params.amount ?? unrefunded;
  if (amount > unrefunded) {
    const money = (value: number) => formatMoney(value, charge.currency);
    throw invalidRequest(
      `Refund amount (${money(amount)}) is greater than unrefunded amount on charge (${money(unrefunded)})`,
      { param: 'amount', code: 'amount_too_large' },
    );
  }
  const refund = newRefund({
    charge,
    amount,
    reason: params.reason ?? null,
    metadata: (params.metadata as Stripe.Metadata | undefined) ?? {},
    created: at,
  });
  billing.data.refunds.save(refund);

  const before = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  billing.data.charges.save(charge);
  const previous: Record<string, unknown> = { amount_refunded: before.amount_refunded };
  if (before.refunded !== charge.refunded) previous.refunded = before.refunded;
  batch.record('charge.refunded', chargeView(billing, charge), at, previous);
  batch.record('refund.created', refund, at);
  batch.record('charge.refund.updated', refund, at);
  settleWarnings(billing, batch, charge, at);
  return refund;
}

function refundedCharge(billing: Billing, params: Stripe.RefundCreateParams): Stripe.Charge {
  if (params.charge) {
    const charge = billing.data.charges.get(params.charge);
    if (!charge) throw resourceMissing('charge', params.charge, 'charge');
    return charge;
  }
  if (params.payment_intent) {
    const intent = billing.data.paymentIntents.get(params.payment_intent);
    if (!intent) throw resourceMissing('payment_intent', params.payment_intent, 'payment_intent');
    const charge = intent.latest_charge ? billing.data.charges.get(String(intent.latest_charge)) : undefined;
    if (!charge || intent.status !== 'succeeded') {
      throw invalidRequest(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, {
        param: 'payment_intent',
      });
    }
    return charge;
  }
  throw parameterMissing('charge');
}

/** A charge as the API shows it: its refunds listed inline, newest first. */
export function chargeView(billing: Billing, charge: Stripe.Charge): Stripe.Charge {
  const refunds = billing.data.refunds.filter((r) => r.charge === charge.id).reverse();
  return {
    ...charge,
    refunds: {
      object: 'list',
      data: refunds.slice(0, 10),
      has_more: refunds.length > 10,
      url: `/v1/charges/${charge.id}/refunds`,
    },
  };
}
