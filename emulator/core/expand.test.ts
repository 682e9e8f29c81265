import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.js';

let h: Harness;
let product: Stripe.Product;
let price: Stripe.Price;

beforeAll(async () => {
  h = await startHarness();
  product = await h.stripe.products.create({
    name: 'Pro',
    default_price_data: { currency: 'usd', unit_amount: 900, recurring: { interval: 'month' } },
  });
  price = await h.stripe.prices.retrieve(product.default_price as string);
});
afterAll(() => h.emulator.close());

describe('expand[]', () => {
  it('expands an id field on retrieve and on create', async () => {
    const expanded = await h.stripe.products.retrieve(product.id, { expand: ['default_price'] });
    expect(expanded.default_price).toMatchObject({ id: price.id, object: 'price', unit_amount: 900 });
    const created = await h.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 5,
      expand: ['product'],
    });
    expect(created.product).toMatchObject({ id: product.id, object: 'product' });
  });

  it('expands inside lists with data. and through expanded objects', async () => {
    const prices = await h.stripe.prices.list({
      product: product.id,
      expand: ['data.product.default_price'],
    });
    const first = prices.data.find((p) => p.id === price.id)!;
    const expandedProduct = first.product as Stripe.Product;
    expect(expandedProduct.name).toBe('Pro');
    expect((expandedProduct.default_price as Stripe.Price).id).toBe(price.id);
  });

  it('expands fields nested in hashes: invoice_settings.default_payment_method', async () => {
    const customer = await h.stripe.customers.create({
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
      expand: ['invoice_settings.default_payment_method'],
    });
    const method = customer.invoice_settings.default_payment_method as Stripe.PaymentMethod;
    expect(method.object).toBe('payment_method');
    expect(method.card?.last4).toBe('4242');
  });

  it('adds includable fields: tiers of a tiered price', async () => {
    const tiered = await h.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      tiers: [
        { up_to: 10, unit_amount: 100 },
        { up_to: 'inf', unit_amount: 50, flat_amount: 200 },
      ],
      recurring: { interval: 'month' },
    });
    expect(tiered.tiers).toBeUndefined();
    const withTiers = await h.stripe.prices.retrieve(tiered.id, { expand: ['tiers'] });
    expect(withTiers.tiers).toHaveLength(2);
    expect(withTiers.tiers?.[1]).toMatchObject({ up_to: null, unit_amount: 50, flat_amount: 200 });
  });

  it('leaves the stored object untouched', async () => {
    await h.stripe.products.retrieve(product.id, { expand: ['default_price'] });
    const plain = await h.stripe.products.retrieve(product.id);
    expect(plain.default_price).toBe(price.id);
  });

  it('refuses what cannot be expanded, like Stripe', async () => {
    await expect(h.stripe.products.retrieve(product.id, { expand: ['metadata'] })).rejects.toMatchObject({
      statusCode: 400,
      message: 'This property cannot be expanded (metadata).',
    });
    await expect(h.stripe.products.list({ expand: ['default_price'] })).rejects.toMatchObject({
      message:
        "This property cannot be expanded (default_price). You may want to try expanding 'data.default_price' instead.",
    });
    await expect(
      h.stripe.prices.list({ expand: ['data.product.default_price.product.x'] }),
    ).rejects.toMatchObject({
      message: 'You cannot expand more than 4 levels of a property.',
    });
  });
});
