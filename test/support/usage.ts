import type Stripe from 'stripe';
import { expect } from 'vitest';
import { bearer, type TestApp } from './app.js';
import { settled } from './wait.js';

/** A user of the host app subscribed to `price` on a test clock started now; returns once mirrored. */
export async function subscribedUser(
  t: TestApp,
  stripe: Stripe,
  userId: string,
  price: string,
): Promise<{ customer: Stripe.Customer; subscription: Stripe.Subscription; clock: string }> {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: Math.floor(Date.now() / 1000) });
  const customer = await stripe.customers.create({
    email: `${userId}@example.com`,
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
    metadata: { recur_user_id: userId },
    test_clock: clock.id,
  });
  const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price }] });
  await settled(t);
  return { customer, subscription, clock: clock.id };
}

/** A call to the API as the service key, the admin key or a user (by id). */
export async function callAs(
  t: TestApp,
  as: 'service' | 'admin' | { user: string },
  method: 'GET' | 'POST',
  url: string,
  payload?: object,
) {
  const key = as === 'service' ? t.serviceKey : as === 'admin' ? t.adminKey : await t.userToken(as.user);
  return t.app.inject({ method, url, headers: bearer(key), ...(payload === undefined ? {} : { payload }) });
}

/** POSTs as the service key and expects a 2xx; answers the body. */
export async function serviceOk(t: TestApp, url: string, payload?: object) {
  const res = await callAs(t, 'service', 'POST', url, payload);
  expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
}
