import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, rawRequest, startHarness, stripeError } from '../../testing/harness.js';

let h: Harness;
let productId: string;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(async () => {
  productId = (await h.stripe.products.create({ name: 'Plan' })).id;
});
afterEach(() => h.emulator.reset());
afterAll(() => h.emulator.close());

describe('prices', () => {
  it('creates recurring and one-time prices with both amount forms shown', async () => {
    const monthly = await h.stripe.prices.create({
      product: productId,
      currency: 'usd',
      unit_amount: 1500,
      recurring: { interval: 'month', interval_count: 3 },
      nickname: 'Quarterly',
    });
    expect(monthly).toMatchObject({
      object: 'price',
      type: 'recurring',
      billing_scheme: 'per_unit',
      unit_amount: 1500,
      recurring: {
        interval: 'month',
        interval_count: 3,
        usage_type: 'licensed',
        meter: null,
        trial_period_days: null,
      },
      tax_behavior: 'unspecified',
      tiers_mode: null,
      lookup_key: null,
    });
    expect(String(monthly.unit_amount_decimal)).toBe('1500');
    expect(monthly.id).toMatch(/^price_1[A-Za-z0-9]{23}$/);

    const decimal = await h.stripe.prices.create({
      product: productId,
      currency: 'usd',
      unit_amount_decimal: Stripe.Decimal.from('12.5'),
    });
    expect(decimal.type).toBe('one_time');
    expect(decimal.unit_amount).toBeNull();
    expect(String(decimal.unit_amount_decimal)).toBe('12.5');
  });

  it('creates its product from product_data', async () => {
    const price = await h.stripe.prices.create({
      currency: 'usd',
      unit_amount: 1,
      product_data: { name: 'Inline' },
    });
    expect((await h.stripe.products.retrieve(price.product as string)).name).toBe('Inline');
  });

  it('enforces Stripe’s combinations', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ currency: 'usd', unit_amount: 1 }, 'product'],
      [{ product: productId, currency: 'usd' }, 'unit_amount'],
      [{ product: productId, currency: 'usd', unit_amount: 1, unit_amount_decimal: '1' }, 'unit_amount'],
      [{ product: productId, currency: 'usdollar', unit_amount: 1 }, 'currency'],
      [
        {
          product: productId,
          currency: 'usd',
          unit_amount: 1,
          recurring: { interval: 'month', interval_count: 13 },
        },
        'recurring[interval_count]',
      ],
      [
        {
          product: productId,
          currency: 'usd',
          unit_amount: 1,
          recurring: { interval: 'week', interval_count: 53 },
        },
        'recurring[interval_count]',
      ],
      [
        {
          product: productId,
          currency: 'usd',
          unit_amount: 1,
          recurring: { interval: 'day', interval_count: 366 },
        },
        'recurring[interval_count]',
      ],
      [
        {
          product: productId,
          currency: 'usd',
          unit_amount: 1,
          recurring: { interval: 'year', interval_count: 2 },
        },
        'recurring[interval_count]',
      ],
      [
        { product: productId, currency: 'usd', unit_amount: 1, recurring: { interval: 'fortnight' } },
        'recurring[interval]',
      ],
      [
        {
          product: productId,
          currency: 'usd',
          billing_scheme: 'tiered',
          tiers: [{ up_to: 'inf', unit_amount: 1 }],
        },
        'tiers_mode',
      ],
      [{ product: productId, currency: 'usd', unit_amount: 1, tiers_mode: 'volume' }, 'tiers_mode'],
      [
        {
          product: productId,
          currency: 'usd',
          billing_scheme: 'tiered',
          tiers_mode: 'volume',
          tiers: [{ up_to: 10, unit_amount: 1 }],
        },
        'tiers[0][up_to]',
      ],
      [{ product: 'prod_missing', currency: 'usd', unit_amount: 1 }, 'product'],
    ];
    for (const [params, param] of cases) {
      const error = await stripeError(h.stripe.prices.create(params as never));
      expect(error.param, JSON.stringify(params)).toBe(param);
    }
    const atMax = await h.stripe.prices.create({
      product: productId,
      currency: 'usd',
      unit_amount: 1,
      recurring: { interval: 'week', interval_count: 52 },
    });
    expect(atMax.recurring?.interval_count).toBe(52);
  });

  it('keeps amounts immutable: unit_amount is not an update parameter', async () => {
    const price = await h.stripe.prices.create({ product: productId, currency: 'usd', unit_amount: 100 });
    const res = await rawRequest(h.emulator, 'POST', `/v1/prices/${price.id}`, { body: 'unit_amount=200' });
    expect(res.json.error).toMatchObject({ code: 'parameter_unknown', param: 'unit_amount' });
  });

  it('archives and reactivates, but not the product’s default price', async () => {
    const price = await h.stripe.prices.create({ product: productId, currency: 'usd', unit_amount: 100 });
    const archived = await h.stripe.prices.update(price.id, { active: false });
    expect(archived.active).toBe(false);
    const [event] = (await h.stripe.events.list({ type: 'price.updated' })).data;
    expect(event!.data.previous_attributes).toEqual({ active: true });
    expect((await h.stripe.prices.update(price.id, { active: true })).active).toBe(true);

    await h.stripe.products.update(productId, { default_price: price.id });
    await expect(h.stripe.prices.update(price.id, { active: false })).rejects.toMatchObject({
      param: 'active',
    });
  });

  it('keeps lookup keys unique and moves them with transfer_lookup_key', async () => {
    const first = await h.stripe.prices.create({
      product: productId,
      currency: 'usd',
      unit_amount: 100,
      lookup_key: 'pro',
    });
    const clash = await stripeError(
      h.stripe.prices.create({ product: productId, currency: 'usd', unit_amount: 200, lookup_key: 'pro' }),
    );
    expect(clash).toMatchObject({ statusCode: 400, param: 'lookup_key' });
    const second = await h.stripe.prices.create({
      product: productId,
      currency: 'usd',
      unit_amount: 200,
      lookup_key: 'pro',
      transfer_lookup_key: true,
    });
    expect((await h.stripe.prices.retrieve(first.id)).lookup_key).toBeNull();
    const found = await h.stripe.prices.list({ lookup_keys: ['pro'] });
    expect(found.data.map((p) => p.id)).toEqual([second.id]);
  });

  it('stores tiers and shows them only with expand[]=tiers', async () => {
    const price = await h.stripe.prices.create({
      product: productId,
      currency: 'usd',
      billing_scheme: 'tiered',
      tiers_mode: 'volume',
      tiers: [
        { up_to: 5, unit_amount: 1000 },
        { up_to: 20, unit_amount_decimal: Stripe.Decimal.from('850.5') },
        { up_to: 'inf', flat_amount: 10000 },
      ],
      recurring: { interval: 'month' },
    });
    expect(price).toMatchObject({ billing_scheme: 'tiered', tiers_mode: 'volume', unit_amount: null });
    expect(price.tiers).toBeUndefined();
    const listed = await h.stripe.prices.list({ product: productId, expand: ['data.tiers'] });
    const tiers = listed.data[0]!.tiers!;
    expect(tiers.map((t) => [t.up_to, t.unit_amount, t.flat_amount])).toEqual([
      [5, 1000, null],
      [20, null, null],
      [null, null, 10000],
    ]);
    expect(String(tiers[1]!.unit_amount_decimal)).toBe('850.5');
  });

  it('lists by product, active, type, currency and recurring interval', async () => {
    const other = (await h.stripe.products.create({ name: 'Other' })).id;
    const m = await h.stripe.prices.create({
      product: productId,
      currency: 'usd',
      unit_amount: 1,
      recurring: { interval: 'month' },
    });
    const y = await h.stripe.prices.create({
      product: productId,
      currency: 'eur',
      unit_amount: 1,
      recurring: { interval: 'year' },
    });
    const once = await h.stripe.prices.create({ product: other, currency: 'usd', unit_amount: 1 });
    await h.stripe.prices.update(y.id, { active: false });
    const ids = async (params: Parameters<typeof h.stripe.prices.list>[0]) =>
      (await h.stripe.prices.list(params)).data.map((p) => p.id);
    expect(await ids({ product: productId })).toEqual([y.id, m.id]);
    expect(await ids({ active: true, type: 'recurring' })).toEqual([m.id]);
    expect(await ids({ currency: 'usd' })).toEqual([once.id, m.id]);
    expect(await ids({ recurring: { interval: 'year' } })).toEqual([y.id]);
    expect(await ids({ type: 'one_time' })).toEqual([once.id]);
  });
});
