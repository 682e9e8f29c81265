// Payment intents, charges and refunds through the official SDK.

import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.js';
import { customerWithCard, eventTypesSince, latestEventId } from './testing/billing-fixtures.js';

let h: Harness;
let stripe: Stripe;

beforeAll(async () => {
  h = await startHarness();
  stripe = h.stripe;
});
beforeEach(() => h.emulator.reset());
afterAll(() => h.emulator.close());

describe('payment intents', () => {
  it('confirms with a working card: one charge, succeeded', async () => {
    const customer = await customerWithCard(stripe);
    const intent = await stripe.paymentIntents.create({
      amount: 1099,
      currency: 'usd',
      customer: customer.id,
    });
    expect(intent).toMatchObject({
      status: 'requires_payment_method',
      client_secret: expect.stringMatching(/_secret_/),
    });
    const since = await latestEventId(stripe);
    const confirmed = await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    expect(confirmed).toMatchObject({ status: 'succeeded', amount_received: 1099 });
    expect(await eventTypesSince(stripe, since)).toEqual(['charge.succeeded', 'payment_intent.succeeded']);
    const charge = await stripe.charges.retrieve(String(confirmed.latest_charge));
    expect(charge).toMatchObject({
      amount: 1099,
      captured: true,
      outcome: { type: 'authorized', network_status: 'approved_by_network' },
      payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242' } },
    });
    await expect(stripe.paymentIntents.confirm(intent.id)).rejects.toMatchObject({
      code: 'payment_intent_unexpected_state',
    });
  });

  it('records a decline on the intent and answers 402', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 500,
      currency: 'usd',
      payment_method: 'pm_card_chargeCustomerFail',
    });
    expect(intent.status).toBe('requires_confirmation');
    const error = await stripe.paymentIntents
      .confirm(intent.id)
      .catch((e: Stripe.errors.StripeCardError) => e);
    expect(error).toMatchObject({ type: 'StripeCardError', code: 'card_declined', statusCode: 402 });
    const after = await stripe.paymentIntents.retrieve(intent.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_payment_error).toMatchObject({ type: 'card_error', code: 'card_declined' });
    const charges = await stripe.charges.list({ payment_intent: intent.id });
    expect(charges.data[0]).toMatchObject({ status: 'failed', paid: false, failure_code: 'card_declined' });
  });

  // https://docs.stripe.com/api/payment_intents/create: off_session and return_url need confirm=true.
  it('refuses confirmation parameters on a create that does not confirm, creating nothing', async () => {
    for (const extra of [{ off_session: true }, { return_url: 'https://example.com/back' }]) {
      const param = Object.keys(extra)[0];
      await expect(
        stripe.paymentIntents.create({ amount: 100, currency: 'usd', ...extra }),
      ).rejects.toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', param });
      await expect(
        stripe.paymentIntents.create({ amount: 100, currency: 'usd', confirm: false, ...extra }),
      ).rejects.toMatchObject({ statusCode: 400, param });
    }
    expect((await stripe.paymentIntents.list()).data).toEqual([]);
  });

  it('lists and cancels', async () => {
    const a = await stripe.paymentIntents.create({ amount: 100, currency: 'usd' });
    const b = await stripe.paymentIntents.create({ amount: 200, currency: 'usd' });
    expect((await stripe.paymentIntents.list()).data.map((i) => i.id)).toEqual([b.id, a.id]);
    expect(await stripe.paymentIntents.cancel(a.id, { cancellation_reason: 'abandoned' })).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'abandoned',
    });
  });
});

describe('refunds', () => {
  async function charged(amount: number): Promise<Stripe.Charge> {
    const intent = await stripe.paymentIntents.create({
      amount,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    return stripe.charges.retrieve(String(intent.latest_charge));
  }

  it('refunds part, then the rest, then refuses more', async () => {
    const charge = await charged(3000);
    const since = await latestEventId(stripe);
    const partial = await stripe.refunds.create({
      charge: charge.id,
      amount: 1000,
      reason: 'requested_by_customer',
    });
    expect(partial).toMatchObject({ amount: 1000, status: 'succeeded', reason: 'requested_by_customer' });
    expect(await eventTypesSince(stripe, since)).toEqual([
      'charge.refunded',
      'refund.created',
      'charge.refund.updated',
    ]);
    const refundedEvent = (await stripe.events.list({ type: 'charge.refunded', limit: 1 })).data[0]!;
    expect(refundedEvent.data.previous_attributes).toEqual({ amount_refunded: 0 });
    expect(await stripe.charges.retrieve(charge.id)).toMatchObject({
      amount_refunded: 1000,
      refunded: false,
    });

    await expect(stripe.refunds.create({ charge: charge.id, amount: 2500 })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'amount_too_large',
      message: 'Refund amount ($25.00) is greater than unrefunded amount on charge ($20.00)',
    });
    const rest = await stripe.refunds.create({ payment_intent: String(charge.payment_intent) });
    expect(rest.amount).toBe(2000);
    const after = await stripe.charges.retrieve(charge.id);
    expect(after).toMatchObject({ amount_refunded: 3000, refunded: true });
    expect(after.refunds?.data.map((r) => r.amount)).toEqual([2000, 1000]);
    await expect(stripe.refunds.create({ charge: charge.id })).rejects.toMatchObject({
      code: 'charge_already_refunded',
    });
    expect((await stripe.refunds.list({ charge: charge.id })).data).toHaveLength(2);
    expect((await stripe.refunds.retrieve(partial.id)).id).toBe(partial.id);
  });
});
