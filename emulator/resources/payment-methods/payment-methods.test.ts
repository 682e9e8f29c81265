import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, rawRequest, startHarness, stripeError } from '../../testing/harness.js';
import { chargeOutcome } from '../payment-outcomes.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => h.emulator.reset());
afterAll(() => h.emulator.close());

describe('payment methods', () => {
  it('creates card payment methods from test tokens, never with a full number', async () => {
    const method = await h.stripe.paymentMethods.create({
      type: 'card',
      card: { token: 'tok_visa' },
      billing_details: { name: 'Ada', email: 'ada@example.com' },
    });
    expect(method).toMatchObject({
      object: 'payment_method',
      type: 'card',
      customer: null,
      billing_details: { name: 'Ada', email: 'ada@example.com', phone: null },
      card: { brand: 'visa', last4: '4242', funding: 'credit', country: 'US', exp_month: 12 },
    });
    expect(method.card!.fingerprint).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(JSON.stringify(method)).not.toMatch(/4242424242424242/);
    const again = await h.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } });
    expect(again.card!.fingerprint).toBe(method.card!.fingerprint);

    const raw = await rawRequest(h.emulator, 'POST', '/v1/payment_methods', {
      body: 'type=card&card[number]=4242424242424242&card[exp_month]=12&card[exp_year]=2030',
    });
    expect(raw.json.error?.message).toMatch(/Sending credit card numbers directly/);
  });

  it('attaches magic test ids as new payment methods and lists them per customer', async () => {
    const customer = await h.stripe.customers.create({});
    const visa = await h.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const mastercard = await h.stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id });
    expect(visa.id).not.toBe('pm_card_visa');
    expect(visa.customer).toBe(customer.id);
    const listed = await h.stripe.customers.listPaymentMethods(customer.id);
    expect(listed.data.map((m) => m.id)).toEqual([mastercard.id, visa.id]);
    const byParam = await h.stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
    expect(byParam.data).toHaveLength(2);
    const single = await h.stripe.customers.retrievePaymentMethod(customer.id, visa.id);
    expect(single.id).toBe(visa.id);
    expect((await h.stripe.events.list({ type: 'payment_method.attached' })).data).toHaveLength(2);
  });

  it('declines attaching cards that fail Stripe’s check, with the decline code', async () => {
    const customer = await h.stripe.customers.create({});
    const declined = await stripeError(
      h.stripe.paymentMethods.attach('pm_card_chargeDeclined', { customer: customer.id }),
    );
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined).toMatchObject({
      statusCode: 402,
      code: 'card_declined',
      decline_code: 'generic_decline',
    });
    const funds = await stripeError(
      h.stripe.paymentMethods.attach('pm_card_chargeDeclinedInsufficientFunds', { customer: customer.id }),
    );
    expect(funds).toMatchObject({ code: 'card_declined', decline_code: 'insufficient_funds' });
    expect((await h.stripe.customers.listPaymentMethods(customer.id)).data).toEqual([]);
  });

  it('attaches pm_card_chargeCustomerFail, whose charges fail later', async () => {
    const customer = await h.stripe.customers.create({});
    const method = await h.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', {
      customer: customer.id,
    });
    expect(method.customer).toBe(customer.id);
    expect(chargeOutcome(h.emulator.context, method.id, { session: 'off_session' })).toEqual({
      status: 'failed',
      code: 'card_declined',
      declineCode: 'generic_decline',
      message: 'Your card was declined.',
    });
    const visa = await h.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    expect(chargeOutcome(h.emulator.context, visa.id, { session: 'off_session' })).toEqual({
      status: 'succeeded',
    });
  });

  it('detaches, clears the customer default, and refuses reuse', async () => {
    const customer = await h.stripe.customers.create({
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const methodId = customer.invoice_settings.default_payment_method as string;
    const detached = await h.stripe.paymentMethods.detach(methodId);
    expect(detached.customer).toBeNull();
    const [event] = (await h.stripe.events.list({ type: 'payment_method.detached' })).data;
    expect(event!.data.previous_attributes).toEqual({ customer: customer.id });
    const after = (await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect(after.invoice_settings.default_payment_method).toBeNull();
    await expect(h.stripe.paymentMethods.attach(methodId, { customer: customer.id })).rejects.toMatchObject({
      code: 'payment_method_unexpected_state',
    });
    await expect(h.stripe.paymentMethods.detach(methodId)).rejects.toMatchObject({ statusCode: 400 });
  });

  it('updates billing details and expiry with payment_method.updated', async () => {
    const method = await h.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_amex' } });
    const updated = await h.stripe.paymentMethods.update(method.id, {
      billing_details: { name: 'Grace' },
      card: { exp_month: 4, exp_year: 2031 },
    });
    expect(updated).toMatchObject({
      billing_details: { name: 'Grace' },
      card: { brand: 'amex', exp_month: 4, exp_year: 2031 },
    });
    const [event] = (await h.stripe.events.list({ type: 'payment_method.updated' })).data;
    expect(event!.data.previous_attributes).toMatchObject({
      billing_details: { name: null },
      card: { exp_month: 12 },
    });
  });

  it('answers 404 for unknown ids and tokens', async () => {
    await expect(h.stripe.paymentMethods.retrieve('pm_unknown')).rejects.toMatchObject({
      statusCode: 404,
      message: "No such PaymentMethod: 'pm_unknown'",
    });
    await expect(
      h.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_nope' } }),
    ).rejects.toMatchObject({
      statusCode: 404,
      param: 'card[token]',
    });
  });
});
