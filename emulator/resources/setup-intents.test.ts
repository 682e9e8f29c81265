import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, stripeError } from '../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => h.emulator.reset());
afterAll(() => h.emulator.close());

const types = async () => (await h.stripe.events.list()).data.map((e) => e.type).reverse();

describe('setup intents', () => {
  it('confirms with a test card, attaches it to the customer, and emits the events', async () => {
    const customer = await h.stripe.customers.create({});
    const intent = await h.stripe.setupIntents.create({ customer: customer.id });
    expect(intent).toMatchObject({
      object: 'setup_intent',
      status: 'requires_payment_method',
      usage: 'off_session',
      payment_method_types: ['card'],
    });
    expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_`));
    const confirmed = await h.stripe.setupIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    expect(confirmed.status).toBe('succeeded');
    const method = await h.stripe.paymentMethods.retrieve(confirmed.payment_method as string);
    expect(method.customer).toBe(customer.id);
    expect(await types()).toEqual([
      'customer.created',
      'setup_intent.created',
      'payment_method.attached',
      'setup_intent.succeeded',
    ]);
  });

  it('creates and confirms in one call', async () => {
    const intent = await h.stripe.setupIntents.create({
      confirm: true,
      payment_method: 'pm_card_mastercard',
      expand: ['payment_method'],
    });
    expect(intent.status).toBe('succeeded');
    expect((intent.payment_method as Stripe.PaymentMethod).card?.brand).toBe('mastercard');
  });

  it('fails a declining card: 402 with the intent, last_setup_error, setup_failed event', async () => {
    const customer = await h.stripe.customers.create({});
    const intent = await h.stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_chargeDeclined',
    });
    expect(intent.status).toBe('requires_confirmation');
    const error = await stripeError(h.stripe.setupIntents.confirm(intent.id));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ code: 'card_declined', decline_code: 'generic_decline' });
    expect((error.raw as { setup_intent?: { id: string } }).setup_intent?.id).toBe(intent.id);
    const after = await h.stripe.setupIntents.retrieve(intent.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_setup_error).toMatchObject({ code: 'card_declined', type: 'card_error' });
    expect(await types()).toContain('setup_intent.setup_failed');
    expect((await h.stripe.customers.listPaymentMethods(customer.id)).data).toEqual([]);

    const retried = await h.stripe.setupIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    expect(retried.status).toBe('succeeded');
    expect(retried.last_setup_error).toBeNull();
  });

  // https://docs.stripe.com/testing#authentication-and-setup: 4000 0027 6000 3184 needs 3D Secure
  // on every transaction, the setup included; the intent waits for the customer in requires_action.
  it('waits in requires_action with next_action for a card that always needs authentication', async () => {
    const customer = await h.stripe.customers.create({});
    const intent = await h.stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
    });
    expect(intent).toMatchObject({
      status: 'requires_action',
      next_action: { type: 'use_stripe_sdk' },
      last_setup_error: null,
    });
    expect(intent.payment_method).toMatch(/^pm_/);
    expect(await types()).toEqual([
      'customer.created',
      'setup_intent.created',
      'setup_intent.requires_action',
    ]);
    // Nothing is saved for the customer until the authentication is done.
    expect((await h.stripe.customers.listPaymentMethods(customer.id)).data).toEqual([]);
    const again = await h.stripe.setupIntents.confirm(intent.id);
    expect(again.status).toBe('requires_action');
    const other = await h.stripe.setupIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    expect(other).toMatchObject({ status: 'succeeded', next_action: null });
  });

  it('refuses to confirm twice and cancels only open intents', async () => {
    const done = await h.stripe.setupIntents.create({ payment_method: 'pm_card_visa', confirm: true });
    await expect(h.stripe.setupIntents.confirm(done.id)).rejects.toMatchObject({
      code: 'setup_intent_unexpected_state',
    });
    await expect(h.stripe.setupIntents.cancel(done.id)).rejects.toMatchObject({
      code: 'setup_intent_unexpected_state',
    });
    const open = await h.stripe.setupIntents.create({});
    const canceled = await h.stripe.setupIntents.cancel(open.id, { cancellation_reason: 'abandoned' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
  });

  it('lists by customer', async () => {
    const customer = await h.stripe.customers.create({});
    const mine = await h.stripe.setupIntents.create({ customer: customer.id });
    await h.stripe.setupIntents.create({});
    expect((await h.stripe.setupIntents.list({ customer: customer.id })).data.map((i) => i.id)).toEqual([
      mine.id,
    ]);
  });
});
