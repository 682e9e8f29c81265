import { sql } from 'drizzle-orm';
import { beforeAll, beforeEach } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import type { Stripe } from '../../src/stripe/index.js';
import { bearer, type TestApp } from './app.js';
import { createPlan } from './billing.js';
import { billingTestApp } from './billing-app.js';
import { recordStripeResponses } from './sync-fixtures.js';
import { settled } from './wait.js';

export const DAY = 86_400;
export const HOUR = 3_600;

export interface Catalog {
  basic: { id: string; monthly: string };
  pro: { id: string; monthly: string; yearly: string };
  euro: { id: string; monthly: string };
}

export interface SubscriptionHarness {
  t: TestApp;
  /** The dashboard's view of Stripe: a client of its own, so its calls are not the app's. */
  stripe: Stripe;
  catalog: Catalog;
  /** Every response the app's own Stripe client got in this test. */
  appCalls: Array<{ method: string; path: string; status: number }>;
}

/** One app (webhooks delivered, worker running) per file; fresh state and catalog per test. */
export function subscriptionHarness(): SubscriptionHarness {
  const h = billingTestApp() as SubscriptionHarness;
  // Registered after the billing harness's own hooks, so they run once its app is up and reset.
  beforeAll(() => {
    h.appCalls = recordStripeResponses(h.t);
  });
  beforeEach(async () => {
    h.catalog = await createCatalog(h.t);
    h.appCalls.length = 0;
  });
  return h;
}

/** Basic $20/month, Pro $50/month or $500/year, Euro €30/month. */
export async function createCatalog(t: TestApp): Promise<Catalog> {
  const basic = await createPlan(t, {
    key: 'basic',
    name: 'Basic',
    benefits: [{ key: 'seats', value: 1 }],
    prices: [{ currency: 'usd', unit_amount: 2000, interval: 'month' }],
  });
  const pro = await createPlan(t, {
    key: 'pro',
    name: 'Pro',
    benefits: [{ key: 'seats', value: 10 }],
    prices: [
      { currency: 'usd', unit_amount: 5000, interval: 'month' },
      { currency: 'usd', unit_amount: 50_000, interval: 'year' },
    ],
  });
  const euro = await createPlan(t, {
    key: 'euro',
    name: 'Euro',
    benefits: [{ key: 'seats', value: 3 }],
    prices: [{ currency: 'eur', unit_amount: 3000, interval: 'month' }],
  });
  const price = (plan: typeof pro, interval: string) =>
    plan.prices.find((p) => p.interval === interval)!.stripe_price_id;
  return {
    basic: { id: basic.id, monthly: price(basic, 'month') },
    pro: { id: pro.id, monthly: price(pro, 'month'), yearly: price(pro, 'year') },
    euro: { id: euro.id, monthly: price(euro, 'month') },
  };
}

export interface Subscriber {
  userId: string;
  token: string;
  customer: Stripe.Customer;
  subscription: Stripe.Subscription;
  clock: string;
}

/**
 * A user of the host app whose Stripe customer pays with `card`, on a test clock started at the
 * real time (so the clock's events never look older than writes stamped by Stripe's own clock),
 * subscribed to `price`; returns once the mirror holds it all.
 */
export async function subscriber(
  h: SubscriptionHarness,
  userId: string,
  price: string,
  options: { card?: string; quantity?: number } = {},
): Promise<Subscriber> {
  const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: Math.floor(Date.now() / 1000) });
  const card = options.card ?? 'pm_card_visa';
  const customer = await h.stripe.customers.create({
    email: `${userId}@example.com`,
    payment_method: card,
    invoice_settings: { default_payment_method: card },
    metadata: { recur_user_id: userId },
    test_clock: clock.id,
  });
  const subscription = await h.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price, quantity: options.quantity ?? 1 }],
  });
  await settled(h.t);
  return { userId, token: await h.t.userToken(userId), customer, subscription, clock: clock.id };
}

export async function advanceClock(stripe: Stripe, clock: string, to: number): Promise<void> {
  await stripe.testHelpers.testClocks.advance(clock, { frozen_time: to });
  for (let i = 0; i < 1000; i++) {
    if ((await stripe.testHelpers.testClocks.retrieve(clock)).status === 'ready') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Test clock ${clock} did not become ready`);
}

/** The mirror's rows of one subscription and its items, to compare before and after. */
export async function mirrorOf(t: TestApp, subscriptionId: string): Promise<unknown[]> {
  return queryRows(
    t.database.db,
    sql`select row_to_json(s)::text as row from subscriptions s where id = ${subscriptionId}
        union all
        select row_to_json(i)::text from subscription_items i where subscription_id = ${subscriptionId}`,
  );
}

export const post = (h: SubscriptionHarness, url: string, token: string, payload?: unknown, key?: string) =>
  h.t.app.inject({
    method: 'POST',
    url,
    headers: { ...bearer(token), ...(key ? { 'idempotency-key': key } : {}) },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });

export const get = (h: SubscriptionHarness, url: string, token: string) =>
  h.t.app.inject({ method: 'GET', url, headers: bearer(token) });
