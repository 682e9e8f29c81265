// Disputes and early fraud warnings opened by Stripe's test cards, through the official SDK.

import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, stripeError } from '../testing/harness.js';
import { customerWithCard, eventTypesSince, latestEventId } from './testing/billing-fixtures.js';

let h: Harness;
let stripe: Stripe;

beforeAll(async () => {
  h = await startHarness();
  stripe = h.stripe;
});
beforeEach(() => h.emulator.reset());
afterAll(() => h.emulator.close());

async function pay(card: string, amount = 4200) {
  const customer = await customerWithCard(stripe);
  return stripe.paymentIntents.create({
    amount,
    currency: 'usd',
    customer: customer.id,
    payment_method: card,
    confirm: true,
  });
}

async function disputeOf(intent: Stripe.PaymentIntent): Promise<Stripe.Dispute> {
  const [dispute] = (await stripe.disputes.list({ payment_intent: intent.id })).data;
  return dispute!;
}

describe('disputes', () => {
  it('pm_card_createDispute: the charge succeeds, then a fraudulent chargeback withdraws the amount and the fee', async () => {
    const since = await latestEventId(stripe);
    const intent = await pay('pm_card_createDispute');
    expect(intent.status).toBe('succeeded');
    expect((await eventTypesSince(stripe, since)).slice(3)).toEqual([
      'charge.succeeded',
      'payment_intent.succeeded',
      'charge.dispute.created',
      'charge.dispute.funds_withdrawn',
    ]);
    const dispute = await disputeOf(intent);
    expect(dispute).toMatchObject({
      object: 'dispute',
      amount: 4200,
      currency: 'usd',
      charge: intent.latest_charge,
      payment_intent: intent.id,
      reason: 'fraudulent',
      status: 'needs_response',
      is_charge_refundable: false,
      payment_method_details: {
        type: 'card',
        card: { case_type: 'chargeback', network_reason_code: '10.4' },
      },
    });
    expect(dispute.evidence_details.due_by).toBeGreaterThan(dispute.created + 7 * 86_400 - 86_400);
    expect(dispute.balance_transactions).toEqual([
      expect.objectContaining({ amount: -4200, fee: 1500, net: -5700, reporting_category: 'dispute' }),
    ]);
    const charge = await stripe.charges.retrieve(String(intent.latest_charge));
    expect(charge.disputed).toBe(true);
    const refused = await stripeError(stripe.refunds.create({ charge: charge.id }));
    expect(refused).toMatchObject({ statusCode: 400, code: 'charge_disputed' });
  });

  it('winning_evidence wins: under review, then won, the amount and fee given back', async () => {
    const dispute = await disputeOf(await pay('pm_card_createDispute'));
    const since = await latestEventId(stripe);
    const updated = await stripe.disputes.update(dispute.id, {
      evidence: { uncategorized_text: 'winning_evidence', customer_name: 'Ada' },
    });
    expect(updated).toMatchObject({
      status: 'won',
      evidence: { uncategorized_text: 'winning_evidence', customer_name: 'Ada' },
      evidence_details: { has_evidence: true, submission_count: 1 },
    });
    expect(updated.balance_transactions.map((t) => [t.amount, t.fee, t.net])).toEqual([
      [-4200, 1500, -5700],
      [4200, -1500, 5700],
    ]);
    expect(await eventTypesSince(stripe, since)).toEqual([
      'charge.dispute.updated',
      'charge.dispute.funds_reinstated',
      'charge.dispute.closed',
    ]);
    const closing = (await stripe.events.list({ type: 'charge.dispute.closed', limit: 1 })).data[0]!;
    expect(closing.data.previous_attributes).toMatchObject({ status: 'under_review' });
    const again = await stripeError(
      stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: 'x' } }),
    );
    expect(again).toMatchObject({ statusCode: 400, param: 'evidence' });
  });

  it('losing_evidence loses, and accepting a dispute concedes it, with no money back', async () => {
    const lost = await stripe.disputes.update((await disputeOf(await pay('pm_card_createDispute'))).id, {
      evidence: { uncategorized_text: 'losing_evidence' },
    });
    expect(lost.status).toBe('lost');
    expect(lost.balance_transactions).toHaveLength(1);
    const accepted = await stripe.disputes.close(
      (await disputeOf(await pay('pm_card_createDisputeProductNotReceived'))).id,
    );
    expect(accepted).toMatchObject({ status: 'lost', reason: 'product_not_received' });
  });

  it('an inquiry moves no money until escalated; evidence kept without submitting changes no status', async () => {
    const inquiry = await disputeOf(await pay('pm_card_createDisputeInquiry'));
    expect(inquiry).toMatchObject({ status: 'warning_needs_response', is_charge_refundable: true });
    expect(inquiry.balance_transactions).toEqual([]);
    const kept = await stripe.disputes.update(inquiry.id, { evidence: { receipt: 'file_x' }, submit: false });
    expect(kept.status).toBe('warning_needs_response');
    const escalated = await stripe.disputes.update(inquiry.id, {
      evidence: { uncategorized_text: 'escalate_inquiry_evidence' },
    });
    expect(escalated).toMatchObject({ status: 'needs_response', is_charge_refundable: false });
    expect(escalated.balance_transactions).toHaveLength(1);
  });
});

describe('early fraud warnings', () => {
  it('pm_card_createIssuerFraudRecord warns; a full refund makes the warning no longer actionable', async () => {
    const since = await latestEventId(stripe);
    const intent = await pay('pm_card_createIssuerFraudRecord');
    expect((await eventTypesSince(stripe, since)).slice(3)).toEqual([
      'charge.succeeded',
      'payment_intent.succeeded',
      'radar.early_fraud_warning.created',
    ]);
    const [warning] = (await stripe.radar.earlyFraudWarnings.list({ charge: String(intent.latest_charge) }))
      .data;
    expect(warning).toMatchObject({
      object: 'radar.early_fraud_warning',
      actionable: true,
      charge: intent.latest_charge,
    });
    await stripe.refunds.create({ payment_intent: intent.id, amount: 1000 });
    expect((await stripe.radar.earlyFraudWarnings.retrieve(warning!.id)).actionable).toBe(true);
    await stripe.refunds.create({ payment_intent: intent.id });
    expect((await stripe.radar.earlyFraudWarnings.retrieve(warning!.id)).actionable).toBe(false);
    const updated = (await stripe.events.list({ type: 'radar.early_fraud_warning.updated', limit: 1 }))
      .data[0]!;
    expect(updated.data.previous_attributes).toEqual({ actionable: true });
  });

  it('the invoice a subscription payment paid is found by its payment intent', async () => {
    const customer = await customerWithCard(stripe);
    const price = await stripe.prices.create({
      currency: 'usd',
      unit_amount: 900,
      recurring: { interval: 'month' },
      product_data: { name: 'Plan' },
    });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    const [paid] = (await stripe.invoicePayments.list({ invoice: String(subscription.latest_invoice) })).data;
    const intent = String(paid!.payment.payment_intent);
    const found = await stripe.invoicePayments.list({
      payment: { type: 'payment_intent', payment_intent: intent },
    });
    expect(found.data.map((p) => p.invoice)).toEqual([subscription.latest_invoice]);
    const other = await stripe.invoicePayments.list({
      payment: { type: 'payment_intent', payment_intent: 'pi_x' },
    });
    expect(other.data).toEqual([]);
  });
});
