import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { bearer } from './support/app.js';
import { payOnHostedPage } from './support/billing.js';
import { advanceClock, DAY, post, subscriptionHarness } from './support/subscriptions.js';
import { settled } from './support/wait.js';

/**
 * Overage billing in the catalog and on subscriptions: a benefit with `overage: bill` gets its
 * feature's Billing Meter and a metered price per licensed price slot, and subscriptions to the
 * plan carry those prices as items without a quantity.
 */
const h = subscriptionHarness();

const apiCalls = (overagePrices: unknown[]) => ({
  key: 'api_calls',
  limit: 1000,
  reset: 'billing_period',
  overage: 'bill',
  overage_prices: overagePrices,
});
const USD_CENT = { currency: 'usd', unit_amount: 1 };
const EUR_TIERED = {
  currency: 'eur',
  tiers_mode: 'graduated',
  tiers: [
    { up_to: 100, unit_amount: 2 },
    { up_to: null, unit_amount: 1 },
  ],
};

const admin = (method: 'POST' | 'PATCH' | 'GET', url: string, payload?: unknown, key?: string) =>
  h.t.app.inject({
    method,
    url,
    headers: { ...bearer(h.t.adminKey), ...(key ? { 'idempotency-key': key } : {}) },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });

function meteredPlan(key: string, extra: Record<string, unknown> = {}) {
  return admin('POST', '/api/plans', {
    key,
    name: key,
    benefits: [apiCalls([USD_CENT, EUR_TIERED]), { key: 'seats', value: 3 }],
    prices: [
      { currency: 'usd', unit_amount: 2000, interval: 'month' },
      { currency: 'usd', unit_amount: 20_000, interval: 'year' },
      { currency: 'eur', unit_amount: 1800, interval: 'month' },
    ],
    ...extra,
  });
}

async function meteredRows(planId: string) {
  return queryRows<{
    stripe_price_id: string;
    currency: string;
    interval: string;
    active: boolean;
    unit_amount: number | null;
  }>(
    h.t.database.db,
    sql`select stripe_price_id, currency, interval, active, unit_amount from plan_metered_prices
        where plan_id = ${planId} order by currency, interval, created_at`,
  );
}

const meteredStripePrices = async () =>
  (await h.stripe.prices.list({ limit: 100 })).data.filter((p) => p.recurring?.usage_type === 'metered');

describe('overage in the catalog', () => {
  it('makes the meter once and a metered price per licensed price slot, in each currency', async () => {
    const res = await meteredPlan('metered', {});
    expect(res.statusCode, res.body).toBe(201);
    const plan = res.json();
    const meters = (await h.stripe.billing.meters.list()).data;
    expect(meters).toHaveLength(1);
    expect(meters[0]).toMatchObject({
      event_name: 'recur_api_calls',
      default_aggregation: { formula: 'sum' },
      status: 'active',
    });
    const prices = await meteredStripePrices();
    expect(prices).toHaveLength(3);
    for (const price of prices) {
      expect(price.recurring).toMatchObject({ usage_type: 'metered', meter: meters[0]!.id });
      expect(price.product).toBe(plan.stripe_product_id);
    }
    const usd = prices.filter((p) => p.currency === 'usd');
    expect(usd.map((p) => p.unit_amount)).toEqual([1, 1]);
    expect(usd.map((p) => p.recurring!.interval).sort()).toEqual(['month', 'year']);
    const eur = prices.find((p) => p.currency === 'eur')!;
    expect(eur).toMatchObject({ billing_scheme: 'tiered', tiers_mode: 'graduated' });
    expect(await meteredRows(plan.id)).toHaveLength(3);
    // The plan's own prices are the licensed ones only.
    expect(plan.prices).toHaveLength(3);

    // A second plan billing the same feature reuses the meter; a retried request makes nothing more.
    // Like the first in all but its key: `force` says it is meant.
    const second = await meteredPlan('metered_two', { force: true }).then((r) => r.json());
    const again = await admin(
      'POST',
      '/api/plans',
      {
        key: 'team',
        name: 'Team',
        benefits: [apiCalls([USD_CENT])],
        prices: [{ currency: 'usd', unit_amount: 9000, interval: 'month' }],
      },
      'create-team',
    );
    const replay = await admin(
      'POST',
      '/api/plans',
      {
        key: 'team',
        name: 'Team',
        benefits: [apiCalls([USD_CENT])],
        prices: [{ currency: 'usd', unit_amount: 9000, interval: 'month' }],
      },
      'create-team',
    );
    expect(again.statusCode, again.body).toBe(201);
    expect(replay.json().id).toBe(again.json().id);
    expect((await h.stripe.billing.meters.list()).data).toHaveLength(1);
    expect(await meteredRows(second.id)).toHaveLength(3);
    expect(await meteredStripePrices()).toHaveLength(7);
  });

  it('refuses a billed benefit without an overage price in a currency the plan is sold in, and changes nothing', async () => {
    const products = (await h.stripe.products.list({ limit: 100 })).data.length;
    const refused = await admin('POST', '/api/plans', {
      key: 'no_euro',
      name: 'No euro',
      benefits: [apiCalls([USD_CENT])],
      prices: [
        { currency: 'usd', unit_amount: 2000, interval: 'month' },
        { currency: 'eur', unit_amount: 1800, interval: 'month' },
      ],
    });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().error).toMatchObject({
      code: 'overage_price_missing',
      details: { currencies: ['eur'] },
    });
    expect((await h.stripe.products.list({ limit: 100 })).data).toHaveLength(products);
    expect((await h.stripe.billing.meters.list()).data).toHaveLength(0);

    const plan = (await meteredPlan('metered')).json();
    const gbp = await admin('POST', `/api/plans/${plan.id}/prices`, {
      currency: 'gbp',
      unit_amount: 1500,
      interval: 'month',
    });
    expect(gbp.statusCode, gbp.body).toBe(400);
    expect(gbp.json().error.code).toBe('overage_price_missing');
    const dropEuro = await admin('PATCH', `/api/plans/${plan.id}`, { benefits: [apiCalls([USD_CENT])] });
    expect(dropEuro.statusCode, dropEuro.body).toBe(400);
    expect(dropEuro.json().error.code).toBe('overage_price_missing');
    expect(await meteredStripePrices()).toHaveLength(3);
  });

  it('a changed overage price is a new metered price and the old is archived; a sync keeps them apart', async () => {
    const plan = (await meteredPlan('metered')).json();
    const before = await meteredRows(plan.id);
    const changed = await admin('PATCH', `/api/plans/${plan.id}`, {
      benefits: [apiCalls([{ currency: 'usd', unit_amount: 2 }, EUR_TIERED]), { key: 'seats', value: 3 }],
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const after = await meteredRows(plan.id);
    expect(after.filter((r) => r.active).map((r) => [r.currency, r.interval, r.unit_amount])).toEqual([
      ['eur', 'month', null],
      ['usd', 'month', 2],
      ['usd', 'year', 2],
    ]);
    const oldUsd = before.filter((r) => r.currency === 'usd');
    for (const row of oldUsd)
      expect((await h.stripe.prices.retrieve(row.stripe_price_id)).active).toBe(false);
    // The euro price did not change: the same row, still active.
    expect(after.find((r) => r.currency === 'eur')!.stripe_price_id).toBe(
      before.find((r) => r.currency === 'eur')!.stripe_price_id,
    );

    await h.t.services.catalogSync.run(['products', 'prices']);
    const synced = (await admin('GET', `/api/plans/${plan.id}`)).json();
    expect(synced.prices).toHaveLength(3);
    expect(synced.prices.every((p: { unit_amount: number }) => p.unit_amount >= 1800)).toBe(true);
    expect(await meteredRows(plan.id)).toEqual(after);
  });
});

const itemsOf = (subscriptionId: string) =>
  queryRows<{ price_id: string; quantity: number | null }>(
    h.t.database.db,
    sql`select price_id, quantity from subscription_items where subscription_id = ${subscriptionId} order by quantity nulls last`,
  );

describe('metered items on subscriptions', () => {
  it('POST /api/subscriptions and Checkout add the plan’s metered prices without a quantity', async () => {
    const plan = (await meteredPlan('metered')).json();
    const [usdMonthly] = (await meteredRows(plan.id)).filter(
      (r) => r.currency === 'usd' && r.interval === 'month',
    );
    const licensed = plan.prices.find(
      (p: { currency: string; interval: string }) => p.currency === 'usd' && p.interval === 'month',
    ).stripe_price_id;

    const direct = await h.t.app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      headers: bearer(h.t.serviceKey),
      payload: {
        plan_id: 'metered',
        interval: 'month',
        currency: 'usd',
        customer_email: 'direct@example.com',
      },
    });
    expect(direct.statusCode, direct.body).toBe(201);
    const created = await h.stripe.subscriptions.retrieve(direct.json().subscription_id);
    expect(created.items.data.map((i) => [i.price.id, i.quantity ?? null])).toEqual([
      [licensed, 1],
      [usdMonthly!.stripe_price_id, null],
    ]);
    expect(await itemsOf(created.id)).toEqual([
      { price_id: licensed, quantity: 1 },
      { price_id: usdMonthly!.stripe_price_id, quantity: null },
    ]);

    const token = await h.t.userToken('user_checkout', { email: 'checkout@example.com' });
    const session = await h.t.app.inject({
      method: 'POST',
      url: '/api/checkout/sessions',
      headers: bearer(token),
      payload: { plan_id: 'metered', interval: 'month', currency: 'usd' },
    });
    expect(session.statusCode, session.body).toBe(201);
    const lines = await h.stripe.checkout.sessions.listLineItems(session.json().id);
    expect(lines.data.map((l) => l.price?.id)).toEqual([licensed, usdMonthly!.stripe_price_id]);
    expect((await payOnHostedPage(h.t, session.json().id, 'visa')).status).toBe(303);
    await settled(h.t);
    const [bought] = await queryRows<{ id: string; price_id: string; quantity: number }>(
      h.t.database.db,
      sql`select s.id, s.price_id, s.quantity from subscriptions s join customers c on c.id = s.customer_id
          where c.external_id = 'user_checkout'`,
    );
    expect(bought).toMatchObject({ price_id: licensed, quantity: 1 });
    expect(await itemsOf(bought!.id)).toEqual([
      { price_id: licensed, quantity: 1 },
      { price_id: usdMonthly!.stripe_price_id, quantity: null },
    ]);

    // Committed MRR counts the licensed price only: the metered item adds nothing.
    const mrr = (await admin('GET', '/api/reports/mrr')).json();
    expect(mrr.current).toEqual([expect.objectContaining({ currency: 'usd', mrr: 2000 })]);
  });

  it('a plan change swaps the metered items; a quantity change leaves them', async () => {
    const plan = (await meteredPlan('metered')).json();
    const other = (await meteredPlan('metered_two', { force: true })).json();
    const price = (p: { prices: Array<{ currency: string; interval: string; stripe_price_id: string }> }) =>
      p.prices.find((x) => x.currency === 'usd' && x.interval === 'month')!.stripe_price_id;
    const metered = async (planId: string) =>
      (await meteredRows(planId)).find((r) => r.currency === 'usd' && r.interval === 'month')!
        .stripe_price_id;

    const clock = await h.stripe.testHelpers.testClocks.create({
      frozen_time: Math.floor(Date.now() / 1000),
    });
    const customer = await h.stripe.customers.create({
      email: 'swap@example.com',
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
      metadata: { recur_user_id: 'swap' },
      test_clock: clock.id,
    });
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price(plan), quantity: 1 }, { price: await metered(plan.id) }],
    });
    await settled(h.t);
    const token = await h.t.userToken('swap');
    const url = (path = '') => `/api/subscriptions/${subscription.id}${path}`;
    await advanceClock(h.stripe, clock.id, subscription.created + 2 * DAY);

    const more = await post(h, url('/change'), token, { quantity: 2 });
    expect(more.statusCode, more.body).toBe(200);
    await settled(h.t);
    expect(await itemsOf(subscription.id)).toEqual([
      { price_id: price(plan), quantity: 2 },
      { price_id: await metered(plan.id), quantity: null },
    ]);

    const toOther = await post(h, url('/change'), token, { plan_id: 'metered_two', immediately: true });
    expect(toOther.statusCode, toOther.body).toBe(200);
    await settled(h.t);
    expect(await itemsOf(subscription.id)).toEqual([
      { price_id: price(other), quantity: 2 },
      { price_id: await metered(other.id), quantity: null },
    ]);

    const toPlain = await post(h, url('/change'), token, {
      plan_id: 'basic',
      quantity: 1,
      immediately: true,
    });
    expect(toPlain.statusCode, toPlain.body).toBe(200);
    await settled(h.t);
    expect(await itemsOf(subscription.id)).toEqual([{ price_id: h.catalog.basic.monthly, quantity: 1 }]);
  });
});
