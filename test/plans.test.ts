import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { createStripeClient, type Stripe } from '../src/stripe/index.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';

let t: TestApp;
let stripe: Stripe;

beforeAll(async () => {
  t = await startTestApp();
  stripe = createStripeClient({ secretKey: 'sk_test_inspector', apiBase: t.emulator.url });
});
afterAll(() => t.close());
beforeEach(() => t.reset());

const monthly = { currency: 'usd', unit_amount: 2000, interval: 'month', lookup_key: 'pro_monthly' } as const;
const yearly = { currency: 'usd', unit_amount: 20000, interval: 'year', lookup_key: 'pro_yearly' } as const;

function proPlan(overrides: Record<string, unknown> = {}) {
  return {
    key: 'pro',
    name: 'Pro',
    description: 'For growing teams',
    trial_days: 14,
    benefits: [
      { key: 'seats', value: 5 },
      { key: 'priority_support', value: true },
      { key: 'support_channel', value: 'email' },
    ],
    prices: [monthly, yearly],
    ...overrides,
  };
}

async function post(url: string, payload: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url,
    payload: payload as object,
    headers: { ...bearer(t.adminKey), ...headers },
  });
}

async function createPlan(overrides: Record<string, unknown> = {}) {
  const res = await post('/api/plans', proPlan(overrides));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function localCounts() {
  const [row] = await queryRows<{ plans: number; prices: number }>(
    t.database.db,
    sql`select (select count(*)::int from plans) as plans, (select count(*)::int from plan_prices) as prices`,
  );
  return row!;
}

async function activeStripeProducts() {
  return (await stripe.products.list({ limit: 100, active: true })).data;
}

describe('creating a plan', () => {
  it('creates the Stripe product and prices first, then the catalog entry, and lists it publicly', async () => {
    const plan = await createPlan();
    expect(plan).toMatchObject({ key: 'pro', name: 'Pro', status: 'active', trial_days: 14 });
    expect(plan.prices).toHaveLength(2);

    const product = await stripe.products.retrieve(plan.stripe_product_id);
    expect(product.active).toBe(true);
    expect(product.metadata).toMatchObject({ recur_plan_id: plan.id, recur_plan_key: 'pro' });
    expect(product.marketing_features.map((f) => f.name)).toEqual([
      'Seats: 5',
      'Priority support',
      'Support channel: email',
    ]);
    const prices = await stripe.prices.list({ product: product.id, limit: 10 });
    expect(prices.data.map((p) => [p.unit_amount, p.recurring?.interval, p.lookup_key]).sort()).toEqual([
      [2000, 'month', 'pro_monthly'],
      [20000, 'year', 'pro_yearly'],
    ]);

    const listed = await t.app.inject({ method: 'GET', url: '/api/plans' });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().data).toHaveLength(1);
    expect(listed.json().data[0].benefits).toEqual(plan.benefits);
    const byKey = await t.app.inject({ method: 'GET', url: '/api/plans/pro' });
    expect(byKey.json().id).toBe(plan.id);
  });

  it('supports tiered prices in graduated and volume mode', async () => {
    const plan = await createPlan({
      prices: [
        {
          currency: 'eur',
          interval: 'month',
          tiers_mode: 'graduated',
          tiers: [
            { up_to: 10, unit_amount: 1000 },
            { up_to: null, unit_amount: 800, flat_amount: 500 },
          ],
        },
      ],
    });
    const price = plan.prices[0];
    expect(price).toMatchObject({ billing_scheme: 'tiered', tiers_mode: 'graduated', unit_amount: null });
    const inStripe = await stripe.prices.retrieve(price.stripe_price_id, { expand: ['tiers'] });
    expect(inStripe.tiers?.map((tier) => [tier.up_to, tier.unit_amount, tier.flat_amount])).toEqual([
      [10, 1000, null],
      [null, 800, 500],
    ]);
  });

  it('allows a free plan (amount 0) and 4-week and 12-month intervals', async () => {
    const res = await post('/api/plans', {
      key: 'free',
      name: 'Free',
      prices: [
        { currency: 'usd', unit_amount: 0, interval: 'month' },
        { currency: 'usd', unit_amount: 4900, interval: 'month', interval_count: 12 },
        { currency: 'gbp', unit_amount: 30, interval: 'week', interval_count: 52 },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
  });
});

describe('validation: each bad input is a precise 4xx and changes nothing, here or in Stripe', () => {
  const cases: Array<[string, Record<string, unknown>, number, string]> = [
    ['a key that is not a slug', { key: 'Pro Plan!' }, 400, 'invalid_plan_key'],
    [
      'two prices in one slot',
      { prices: [monthly, { ...monthly, unit_amount: 2500, lookup_key: 'x' }] },
      400,
      'duplicate_price_slot',
    ],
    [
      'a lookup key twice',
      { prices: [monthly, { ...yearly, lookup_key: 'pro_monthly' }] },
      400,
      'duplicate_lookup_key',
    ],
    [
      'an amount below the minimum charge',
      { prices: [{ ...monthly, unit_amount: 49 }] },
      400,
      'amount_below_minimum',
    ],
    [
      'a yen amount below the minimum',
      { prices: [{ ...monthly, currency: 'jpy', unit_amount: 49 }] },
      400,
      'amount_below_minimum',
    ],
    [
      'an amount above the maximum',
      { prices: [{ ...monthly, unit_amount: 100_000_000 }] },
      400,
      'amount_above_maximum',
    ],
    ['an unsupported currency', { prices: [{ ...monthly, currency: 'xyz' }] }, 400, 'unsupported_currency'],
    ['13 months', { prices: [{ ...monthly, interval_count: 13 }] }, 400, 'interval_too_long'],
    ['2 years', { prices: [{ ...yearly, interval_count: 2 }] }, 400, 'interval_too_long'],
    [
      '53 weeks',
      { prices: [{ ...monthly, interval: 'week', interval_count: 53 }] },
      400,
      'interval_too_long',
    ],
    [
      '366 days',
      { prices: [{ ...monthly, interval: 'day', interval_count: 366 }] },
      400,
      'interval_too_long',
    ],
    ['a trial over 730 days', { trial_days: 731 }, 400, 'trial_too_long'],
    [
      'tiers that are not ascending',
      {
        prices: [
          {
            currency: 'usd',
            interval: 'month',
            tiers_mode: 'volume',
            tiers: [
              { up_to: 10, unit_amount: 100 },
              { up_to: 5, unit_amount: 90 },
              { up_to: null, unit_amount: 80 },
            ],
          },
        ],
      },
      400,
      'tiers_not_ascending',
    ],
    [
      'tiers without an open last tier',
      {
        prices: [
          {
            currency: 'usd',
            interval: 'month',
            tiers_mode: 'volume',
            tiers: [
              { up_to: 10, unit_amount: 100 },
              { up_to: 20, unit_amount: 90 },
            ],
          },
        ],
      },
      400,
      'tiers_not_open_ended',
    ],
    [
      'a benefit key that is not a slug',
      { benefits: [{ key: 'Seats Count', value: 5 }] },
      400,
      'invalid_benefit_key',
    ],
    [
      'a benefit twice',
      {
        benefits: [
          { key: 'seats', value: 5 },
          { key: 'seats', value: 6 },
        ],
      },
      400,
      'duplicate_benefit_key',
    ],
    [
      'both an amount and tiers',
      { prices: [{ ...monthly, tiers_mode: 'volume', tiers: [{ up_to: null, unit_amount: 1 }] }] },
      400,
      'validation_failed',
    ],
    ['no prices', { prices: [] }, 400, 'validation_failed'],
    ['an unknown field', { colour: 'blue' }, 400, 'validation_failed'],
  ];

  it.each(cases)('refuses %s', async (_name, overrides, status, code) => {
    const res = await post('/api/plans', proPlan(overrides));
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(await localCounts()).toEqual({ plans: 0, prices: 0 });
    expect(await activeStripeProducts()).toHaveLength(0);
  });

  it('refuses a duplicate plan key and a taken lookup key with 409', async () => {
    await createPlan();
    const sameKey = await post(
      '/api/plans',
      proPlan({ name: 'Pro again', prices: [{ ...monthly, lookup_key: 'other', unit_amount: 2100 }] }),
    );
    expect(sameKey.statusCode).toBe(409);
    expect(sameKey.json().error.code).toBe('plan_key_taken');
    const sameLookup = await post(
      '/api/plans',
      proPlan({ key: 'team', prices: [{ ...monthly, unit_amount: 2100 }] }),
    );
    expect(sameLookup.statusCode).toBe(409);
    expect(sameLookup.json().error.code).toBe('lookup_key_taken');
    expect(await localCounts()).toEqual({ plans: 1, prices: 2 });
    expect(await activeStripeProducts()).toHaveLength(1);
  });

  it('refuses a likely duplicate of another plan unless forced', async () => {
    await createPlan();
    const twin = proPlan({ key: 'pro-copy', prices: [{ ...monthly, lookup_key: 'copy_monthly' }] });
    const refused = await post('/api/plans', twin);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'likely_duplicate_plan',
      details: { plan_key: 'pro' },
    });
    const forced = await post('/api/plans', { ...twin, force: true });
    expect(forced.statusCode).toBe(201);
    // Same price with different benefits is a different plan, not a duplicate.
    const different = await post(
      '/api/plans',
      proPlan({
        key: 'pro-plus',
        benefits: [{ key: 'seats', value: 10 }],
        prices: [{ ...monthly, lookup_key: 'plus' }],
      }),
    );
    expect(different.statusCode).toBe(201);
  });

  it('refuses a benefit that changes type across plans', async () => {
    await createPlan();
    const res = await post(
      '/api/plans',
      proPlan({
        key: 'team',
        benefits: [{ key: 'seats', value: true }],
        prices: [{ ...monthly, unit_amount: 9900, lookup_key: 'team' }],
      }),
    );
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('benefit_type_changed');
  });
});

describe('Stripe first', () => {
  it('leaves the database unchanged and answers 502 with Stripe’s reason when Stripe refuses', async () => {
    t.emulator.faults.set({
      failNext: [
        {
          method: 'POST',
          path: '/v1/prices',
          status: 400,
          error: {
            type: 'invalid_request_error',
            code: 'parameter_invalid',
            message: 'Injected refusal of the price',
          },
        },
      ],
    });
    const res = await post('/api/plans', proPlan());
    expect(res.statusCode).toBe(502);
    expect(res.json().error).toMatchObject({
      code: 'stripe_rejected',
      details: { stripe: { message: 'Injected refusal of the price' } },
    });
    expect(res.json().error.message).toContain('Injected refusal of the price');
    expect(await localCounts()).toEqual({ plans: 0, prices: 0 });
    // The product made before the failure is archived again, so nothing half-made stays live.
    expect(await activeStripeProducts()).toHaveLength(0);
  });

  it('answers 503 when Stripe keeps failing, and a later retry succeeds', async () => {
    t.emulator.faults.set({
      failNext: [
        {
          method: 'POST',
          path: '/v1/products',
          count: 3,
          status: 500,
          error: { type: 'api_error', message: 'Injected outage' },
        },
      ],
    });
    const res = await post('/api/plans', proPlan(), { 'idempotency-key': 'create-pro-1' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('stripe_unavailable');
    expect(await localCounts()).toEqual({ plans: 0, prices: 0 });
    const retry = await post('/api/plans', proPlan(), { 'idempotency-key': 'create-pro-1' });
    expect(retry.statusCode, retry.body).toBe(201);
  });

  it('replays a retried request with the same Idempotency-Key and makes one product', async () => {
    const first = await post('/api/plans', proPlan(), { 'idempotency-key': 'k-1' });
    const second = await post('/api/plans', proPlan(), { 'idempotency-key': 'k-1' });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(await activeStripeProducts()).toHaveLength(1);
    const reused = await post('/api/plans', proPlan({ name: 'Other' }), { 'idempotency-key': 'k-1' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('idempotency_key_reused');
  });
});

describe('editing', () => {
  it('changing an amount creates a new price, archives the old, and moves the lookup key', async () => {
    const plan = await createPlan();
    const old = plan.prices.find((p: { interval: string }) => p.interval === 'month');
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/plans/${plan.id}/prices/${old.id}`,
      headers: bearer(t.adminKey),
      payload: { unit_amount: 2500 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const prices = res.json().prices;
    const replacement = prices.find(
      (p: { replaces_price_id: string | null }) => p.replaces_price_id === old.id,
    );
    expect(replacement).toMatchObject({
      unit_amount: 2500,
      active: true,
      lookup_key: 'pro_monthly',
      interval: 'month',
    });
    expect(prices.find((p: { id: string }) => p.id === old.id)).toMatchObject({
      active: false,
      lookup_key: null,
    });

    expect((await stripe.prices.retrieve(old.stripe_price_id)).active).toBe(false);
    const moved = await stripe.prices.list({ lookup_keys: ['pro_monthly'] });
    expect(moved.data.map((p) => [p.id, p.unit_amount])).toEqual([[replacement.stripe_price_id, 2500]]);

    const publicPlan = (await t.app.inject({ method: 'GET', url: '/api/plans' })).json().data[0];
    expect(publicPlan.prices.map((p: { unit_amount: number }) => p.unit_amount).sort()).toEqual([
      20000, 2500,
    ]);
  });

  it('updates the product in Stripe and the plan here; invalidates the cached catalog', async () => {
    const plan = await createPlan();
    await t.app.inject({ method: 'GET', url: '/api/plans' });
    const cachedHit = await t.app.inject({ method: 'GET', url: '/api/plans' });
    expect(cachedHit.json().data[0].name).toBe('Pro');
    const metrics = await t.services.metrics.registry.getSingleMetricAsString('recur_cache_lookups_total');
    expect(metrics).toMatch(/result="hit"\} [1-9]/);

    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/plans/${plan.id}`,
      headers: bearer(t.adminKey),
      payload: { name: 'Professional', benefits: [{ key: 'seats', value: 10 }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const product = await stripe.products.retrieve(plan.stripe_product_id);
    expect(product.name).toBe('Professional');
    expect(product.marketing_features.map((f) => f.name)).toEqual(['Seats: 10']);
    const listed = (await t.app.inject({ method: 'GET', url: '/api/plans' })).json().data[0];
    expect(listed).toMatchObject({ name: 'Professional', benefits: [{ key: 'seats', value: 10 }] });
  });

  it('adds a price, refuses a second one in the same slot, and archives prices but never the last', async () => {
    const plan = await createPlan({ prices: [monthly] });
    const added = await post(`/api/plans/${plan.id}/prices`, {
      currency: 'eur',
      unit_amount: 1900,
      interval: 'month',
    });
    expect(added.statusCode, added.body).toBe(201);
    const taken = await post(`/api/plans/${plan.id}/prices`, {
      currency: 'eur',
      unit_amount: 2900,
      interval: 'month',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('price_slot_taken');

    const eur = added.json().prices.find((p: { currency: string }) => p.currency === 'eur');
    const archived = await t.app.inject({
      method: 'DELETE',
      url: `/api/plans/${plan.id}/prices/${eur.id}`,
      headers: bearer(t.adminKey),
    });
    expect(archived.statusCode).toBe(200);
    expect((await stripe.prices.retrieve(eur.stripe_price_id)).active).toBe(false);
    const last = await t.app.inject({
      method: 'DELETE',
      url: `/api/plans/${plan.id}/prices/${plan.prices[0].id}`,
      headers: bearer(t.adminKey),
    });
    expect(last.statusCode).toBe(409);
    expect(last.json().error.code).toBe('last_active_price');
  });
});

describe('deleting', () => {
  it('deletes a plan that never had a subscriber here, and archives it in Stripe', async () => {
    const plan = await createPlan();
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/plans/${plan.id}`,
      headers: bearer(t.adminKey),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: plan.id, result: 'deleted', plan: null });
    expect(await localCounts()).toEqual({ plans: 0, prices: 0 });
    const product = await stripe.products.retrieve(plan.stripe_product_id);
    expect(product.active).toBe(false);
    expect(product.metadata.recur_deleted).toBe('true');
    expect((await t.app.inject({ method: 'GET', url: `/api/plans/${plan.id}` })).statusCode).toBe(404);
  });

  it('archives a plan that had a subscriber; only admins still see it', async () => {
    const plan = await createPlan();
    const customer = await stripe.customers.create({ email: 'subscriber@example.com' });
    await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plan.prices[0].stripe_price_id }],
      payment_behavior: 'default_incomplete',
    });
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/plans/${plan.id}`,
      headers: bearer(t.adminKey),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ result: 'archived', plan: { status: 'archived' } });
    expect((await stripe.products.retrieve(plan.stripe_product_id)).active).toBe(false);
    expect((await t.app.inject({ method: 'GET', url: '/api/plans' })).json().data).toHaveLength(0);
    expect((await t.app.inject({ method: 'GET', url: `/api/plans/${plan.id}` })).statusCode).toBe(404);
    const asAdmin = await t.app.inject({
      method: 'GET',
      url: `/api/plans/${plan.id}`,
      headers: bearer(t.adminKey),
    });
    expect(asAdmin.json().status).toBe('archived');
    const archivedList = await t.app.inject({
      method: 'GET',
      url: '/api/plans?status=archived',
      headers: bearer(t.adminKey),
    });
    expect(archivedList.json().data).toHaveLength(1);
    expect((await t.app.inject({ method: 'GET', url: '/api/plans?status=archived' })).statusCode).toBe(403);
  });
});

describe('syncing the catalog from Stripe', () => {
  it('imports products and prices made in the Stripe Dashboard, and follows later edits', async () => {
    const product = await stripe.products.create({
      name: 'Enterprise Suite',
      marketing_features: [{ name: 'SSO' }, { name: 'Audit log' }],
    });
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 99900,
      recurring: { interval: 'month' },
      lookup_key: 'enterprise_monthly',
    });
    await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 5000 }); // one-time: not a plan price

    const first = await t.services.catalogSync.run(['products', 'prices']);
    expect(first.products).toMatchObject({ seen: 1, created: 1 });
    expect(first.prices).toMatchObject({ seen: 2, created: 1, skipped: 1 });
    const plans = (await t.app.inject({ method: 'GET', url: '/api/plans' })).json().data;
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({
      key: 'enterprise-suite',
      name: 'Enterprise Suite',
      benefits: [
        { key: 'sso', value: true },
        { key: 'audit-log', value: true },
      ],
      prices: [{ stripe_price_id: price.id, unit_amount: 99900, lookup_key: 'enterprise_monthly' }],
    });

    await stripe.products.update(product.id, { name: 'Enterprise' });
    await stripe.prices.update(price.id, { active: false });
    const second = await t.services.catalogSync.run(['products', 'prices']);
    expect(second.products).toMatchObject({ updated: 1 });
    const after = (
      await t.app.inject({ method: 'GET', url: '/api/plans/enterprise-suite', headers: bearer(t.adminKey) })
    ).json();
    expect(after.name).toBe('Enterprise');
    expect(after.prices[0].active).toBe(false);

    const third = await t.services.catalogSync.run(['products', 'prices']);
    expect(third.prices).toMatchObject({ created: 0, updated: 0 });
  });

  it('follows a lookup key moved in Stripe to a price it already mirrors', async () => {
    const product = await stripe.products.create({ name: 'Moving key' });
    const holder = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1000,
      recurring: { interval: 'month' },
      lookup_key: 'moving',
    });
    // Newer than the holder, so a sync, which lists newest first, reaches it before the holder.
    const taker = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1200,
      recurring: { interval: 'year' },
    });
    await t.services.catalogSync.run(['products', 'prices']);
    await stripe.prices.update(taker.id, { lookup_key: 'moving', transfer_lookup_key: true });
    const result = await t.services.catalogSync.run(['products', 'prices']);
    expect(result.prices).toMatchObject({ seen: 2, updated: 1, skipped: 1 });
    const plan = (await t.app.inject({ method: 'GET', url: '/api/plans/moving-key' })).json();
    const keys = Object.fromEntries(
      plan.prices.map((p: { stripe_price_id: string; lookup_key: string | null }) => [
        p.stripe_price_id,
        p.lookup_key,
      ]),
    );
    expect(keys).toEqual({ [holder.id]: null, [taker.id]: 'moving' });
  });

  it('does not bring back a plan deleted here', async () => {
    const plan = await createPlan();
    await t.app.inject({ method: 'DELETE', url: `/api/plans/${plan.id}`, headers: bearer(t.adminKey) });
    await t.services.catalogSync.run(['products', 'prices']);
    expect(await localCounts()).toEqual({ plans: 0, prices: 0 });
  });
});
