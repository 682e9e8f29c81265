import type Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, stripeError } from '../../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => h.emulator.reset());
afterAll(() => h.emulator.close());

describe('customers', () => {
  it('creates with Stripe’s defaults', async () => {
    const customer = await h.stripe.customers.create({ email: 'ada@example.com', name: 'Ada' });
    expect(customer).toMatchObject({
      object: 'customer',
      email: 'ada@example.com',
      name: 'Ada',
      balance: 0,
      currency: null,
      delinquent: false,
      discount: null,
      address: null,
      shipping: null,
      tax_exempt: 'none',
      test_clock: null,
      next_invoice_sequence: 1,
      preferred_locales: [],
      invoice_settings: {
        custom_fields: null,
        default_payment_method: null,
        footer: null,
        rendering_options: null,
      },
    });
    expect(customer.id).toMatch(/^cus_[A-Za-z0-9]{14}$/);
    expect(customer.invoice_prefix).toMatch(/^[0-9A-F]{8}$/);
  });

  it('attaches payment_method on create and may default to it', async () => {
    const customer = await h.stripe.customers.create({
      payment_method: 'pm_card_mastercard',
      invoice_settings: { default_payment_method: 'pm_card_mastercard' },
    });
    const methodId = customer.invoice_settings.default_payment_method as string;
    expect(methodId).toMatch(/^pm_1/);
    const method = await h.stripe.paymentMethods.retrieve(methodId);
    expect(method).toMatchObject({ customer: customer.id, card: { brand: 'mastercard', last4: '4444' } });
    const types = (await h.stripe.events.list()).data.map((e) => e.type).reverse();
    expect(types).toEqual(['customer.created', 'payment_method.attached']);
  });

  it('refuses a declining card on create and creates nothing', async () => {
    const error = await stripeError(h.stripe.customers.create({ payment_method: 'pm_card_chargeDeclined' }));
    expect(error).toMatchObject({
      statusCode: 402,
      type: 'StripeCardError',
      code: 'card_declined',
      decline_code: 'generic_decline',
    });
    expect((await h.stripe.customers.list()).data).toEqual([]);
  });

  it('defaults only to a payment method attached to the customer', async () => {
    const customer = await h.stripe.customers.create({});
    const loose = await h.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } });
    const error = await stripeError(
      h.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: loose.id } }),
    );
    expect(error).toMatchObject({ param: 'invoice_settings[default_payment_method]' });
    await h.stripe.paymentMethods.attach(loose.id, { customer: customer.id });
    const updated = await h.stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: loose.id },
    });
    expect(updated.invoice_settings.default_payment_method).toBe(loose.id);
    const [event] = (await h.stripe.events.list({ type: 'customer.updated' })).data;
    expect(event!.data.previous_attributes).toEqual({ invoice_settings: { default_payment_method: null } });
  });

  it('updates and unsets fields', async () => {
    const customer = await h.stripe.customers.create({
      email: 'a@example.com',
      phone: '+100',
      metadata: { a: '1' },
    });
    const updated = await h.stripe.customers.update(customer.id, {
      email: '',
      phone: '+200',
      address: { city: 'Lyon', country: 'FR' },
      metadata: '',
    });
    expect(updated).toMatchObject({ email: null, phone: '+200', metadata: {} });
    expect(updated.address).toEqual({
      city: 'Lyon',
      country: 'FR',
      line1: null,
      line2: null,
      postal_code: null,
      state: null,
    });
    await expect(h.stripe.customers.update(customer.id, { email: 'not-an-email' })).rejects.toMatchObject({
      param: 'email',
    });
  });

  it('lists by email (exact) and searches', async () => {
    const ada = await h.stripe.customers.create({ email: 'ada@example.com' });
    await h.stripe.customers.create({ email: 'bob@example.com' });
    expect((await h.stripe.customers.list({ email: 'ada@example.com' })).data.map((c) => c.id)).toEqual([
      ada.id,
    ]);
    expect((await h.stripe.customers.list({ email: 'nobody@example.com' })).data).toEqual([]);
    expect(
      (await h.stripe.customers.search({ query: "email:'ada@example.com'" })).data.map((c) => c.id),
    ).toEqual([ada.id]);
  });

  it('deletes: a deleted object on retrieve, 404 elsewhere, customer.deleted with the last state', async () => {
    const customer = await h.stripe.customers.create({ name: 'Gone' });
    expect(await h.stripe.customers.del(customer.id)).toEqual(
      expect.objectContaining({ id: customer.id, object: 'customer', deleted: true }),
    );
    expect(await h.stripe.customers.retrieve(customer.id)).toMatchObject({ id: customer.id, deleted: true });
    await expect(h.stripe.customers.update(customer.id, { name: 'x' })).rejects.toMatchObject({
      statusCode: 404,
    });
    expect((await h.stripe.customers.list()).data).toEqual([]);
    const [event] = (await h.stripe.events.list({ type: 'customer.deleted' })).data;
    expect((event!.data.object as Stripe.Customer).name).toBe('Gone');
  });

  it('refuses an unknown test clock', async () => {
    await expect(h.stripe.customers.create({ test_clock: 'clock_nope' })).rejects.toMatchObject({
      statusCode: 400,
      param: 'test_clock',
    });
  });

  it('lives at its test clock’s time', async () => {
    const frozen = 1_800_000_000;
    h.emulator.clock.useTestClocks((id) => (id === 'clock_fixed' ? frozen : undefined));
    const customer = await h.stripe.customers.create({ test_clock: 'clock_fixed' });
    expect(customer).toMatchObject({ test_clock: 'clock_fixed', created: frozen });
    expect(h.emulator.clock.nowForCustomer(customer.id)).toBe(frozen);
    expect((await h.stripe.customers.list({ test_clock: 'clock_fixed' })).data).toHaveLength(1);
    const [event] = (await h.stripe.events.list({ type: 'customer.created' })).data;
    expect(event!.created).toBe(frozen);
  });
});
