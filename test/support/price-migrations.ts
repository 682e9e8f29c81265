import type Stripe from 'stripe';
import { expect } from 'vitest';
import { bearer, type TestApp } from './app.js';
import { createPlan } from './billing.js';
import { DAY } from './subscriptions.js';
import { settled } from './wait.js';

/** Stripe lets a test clock hold at most three customers. */
export const CUSTOMERS_PER_CLOCK = 3;

export interface Subscribers {
  plan: string;
  /** The $29 price the subscribers are on (archived once Pro's price became $35). */
  oldPrice: string;
  newPrice: string;
  clocks: Array<{ id: string; subscriptions: Stripe.Subscription[] }>;
}

export async function admin(t: TestApp, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
  return t.app.inject({
    method,
    url,
    headers: bearer(t.adminKey),
    ...(payload === undefined ? {} : { payload }),
  });
}

/**
 * `count` customers on Pro at $29 a month, three to a test clock, each clock a day after the last
 * so that each clock's subscriptions renew on their own day; then Pro's price becomes $35 (a new price;
 * the old one archived), which leaves them on $29.
 */
export async function subscribersAt29(t: TestApp, stripe: Stripe, count: number): Promise<Subscribers> {
  const plan = await createPlan(t, {
    key: 'pro',
    name: 'Pro',
    prices: [{ currency: 'usd', unit_amount: 2900, interval: 'month' }],
  });
  const oldPrice = plan.prices[0]!.stripe_price_id;
  const start = Math.floor(Date.now() / 1000);
  const clocks: Subscribers['clocks'] = [];
  for (let i = 0; i < count; i++) {
    if (i % CUSTOMERS_PER_CLOCK === 0) {
      const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start + clocks.length * DAY });
      clocks.push({ id: clock.id, subscriptions: [] });
    }
    const clock = clocks.at(-1)!;
    const customer = await stripe.customers.create({
      name: `Customer ${i + 1}`,
      email: `customer${i + 1}@example.com`,
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
      metadata: { recur_user_id: `user_${i + 1}` },
      test_clock: clock.id,
    });
    clock.subscriptions.push(
      await stripe.subscriptions.create({ customer: customer.id, items: [{ price: oldPrice }] }),
    );
  }
  await settled(t, 120_000);
  const changed = await admin(t, 'PATCH', `/api/plans/${plan.id}/prices/${plan.prices[0]!.id}`, {
    unit_amount: 3500,
  });
  expect(changed.statusCode, changed.body).toBe(200);
  const newPrice = (
    changed.json() as { prices: Array<{ stripe_price_id: string; unit_amount: number }> }
  ).prices.find((p) => p.unit_amount === 3500)!.stripe_price_id;
  await settled(t, 120_000);
  return { plan: plan.id, oldPrice, newPrice, clocks };
}
