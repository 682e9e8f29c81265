import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, stripeError } from '../../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => h.emulator.reset());
afterAll(() => h.emulator.close());

describe('products', () => {
  it('creates with Stripe’s defaults and emits product.created', async () => {
    const product = await h.stripe.products.create({
      name: 'Pro',
      marketing_features: [{ name: 'SSO' }],
      metadata: { plan: 'pro' },
    });
    expect(product).toMatchObject({
      object: 'product',
      active: true,
      livemode: false,
      type: 'service',
      default_price: null,
      description: null,
      images: [],
      marketing_features: [{ name: 'SSO' }],
      metadata: { plan: 'pro' },
    });
    expect(product.id).toMatch(/^prod_[A-Za-z0-9]{14}$/);
    expect(product.updated).toBe(product.created);
    const [event] = (await h.stripe.events.list({ type: 'product.created' })).data;
    expect((event!.data.object as Stripe.Product).id).toBe(product.id);
  });

  it('creates its default price from default_price_data, validated before anything is stored', async () => {
    const product = await h.stripe.products.create({
      name: 'Team',
      default_price_data: { currency: 'EUR', unit_amount: 4900, recurring: { interval: 'year' } },
    });
    const price = await h.stripe.prices.retrieve(product.default_price as string);
    expect(price).toMatchObject({
      product: product.id,
      currency: 'eur',
      unit_amount: 4900,
      type: 'recurring',
    });

    const error = await stripeError(
      h.stripe.products.create({
        name: 'Bad',
        default_price_data: { currency: 'usd', recurring: { interval: 'month' } },
      }),
    );
    expect(error).toMatchObject({ code: 'parameter_missing', param: 'default_price_data[unit_amount]' });
    expect((await h.stripe.products.list()).data.map((p) => p.name)).toEqual(['Team']);
  });

  it('accepts a chosen id once', async () => {
    await h.stripe.products.create({ id: 'plan_pro', name: 'Pro' });
    const error = await stripeError(h.stripe.products.create({ id: 'plan_pro', name: 'Again' }));
    expect(error).toMatchObject({ code: 'resource_already_exists', param: 'id' });
  });

  it('updates, unsets emptyable fields, and reports only the changed fields', async () => {
    const product = await h.stripe.products.create({
      name: 'Old',
      description: 'desc',
      metadata: { keep: 'y', drop: 'x' },
    });
    h.emulator.clock.set(product.created + 10);
    const updated = await h.stripe.products.update(product.id, {
      name: 'New',
      description: '',
      metadata: { drop: '' },
    });
    h.emulator.clock.set(null);
    expect(updated).toMatchObject({
      name: 'New',
      description: null,
      metadata: { keep: 'y' },
      updated: product.created + 10,
    });
    const [event] = (await h.stripe.events.list({ type: 'product.updated' })).data;
    expect(event!.data.previous_attributes).toEqual({
      name: 'Old',
      description: 'desc',
      metadata: { drop: 'x' },
      updated: product.created,
    });
  });

  it('sets default_price only to an active price of the product', async () => {
    const product = await h.stripe.products.create({ name: 'P' });
    const other = await h.stripe.products.create({ name: 'Other' });
    const price = await h.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 100 });
    const foreign = await h.stripe.prices.create({ product: other.id, currency: 'usd', unit_amount: 100 });
    expect((await h.stripe.products.update(product.id, { default_price: price.id })).default_price).toBe(
      price.id,
    );
    await expect(h.stripe.products.update(product.id, { default_price: foreign.id })).rejects.toMatchObject({
      param: 'default_price',
    });
    await expect(h.stripe.products.update(product.id, { default_price: 'price_nope' })).rejects.toMatchObject(
      {
        statusCode: 400,
        param: 'default_price',
      },
    );
  });

  it('lists with active and ids[] filters', async () => {
    const a = await h.stripe.products.create({ name: 'a' });
    const b = await h.stripe.products.create({ name: 'b', active: false });
    await h.stripe.products.create({ name: 'c' });
    expect((await h.stripe.products.list({ active: false })).data.map((p) => p.id)).toEqual([b.id]);
    expect((await h.stripe.products.list({ ids: [a.id, b.id] })).data.map((p) => p.id)).toEqual([b.id, a.id]);
  });

  it('deletes a product without prices and refuses one with prices', async () => {
    const lonely = await h.stripe.products.create({ name: 'lonely' });
    expect(await h.stripe.products.del(lonely.id)).toMatchObject({
      id: lonely.id,
      object: 'product',
      deleted: true,
    });
    await expect(h.stripe.products.retrieve(lonely.id)).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
    expect((await h.stripe.events.list({ type: 'product.deleted' })).data).toHaveLength(1);

    const priced = await h.stripe.products.create({
      name: 'priced',
      default_price_data: { currency: 'usd', unit_amount: 1 },
    });
    const error = await stripeError(h.stripe.products.del(priced.id));
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(/cannot be deleted because it has one or more user-created prices/);
  });
});
