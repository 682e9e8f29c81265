import { sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { createStripeClient } from '../src/stripe/index.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { createPlan, payOnHostedPage } from './support/billing.js';
import { settled } from './support/wait.js';

/**
 * Checkout and the portal through the API, paid on the emulator's hosted page, with the webhooks
 * flowing back through the inbox and the worker into the mirror and the entitlements.
 */
let t: TestApp;
let stripe: Stripe;
const APP = 'https://app.example.com';

beforeAll(async () => {
  t = await startTestApp(
    { RECUR_APP_URL: `${APP}/billing`, RECUR_REDIRECT_ORIGINS: 'https://www.example.com' },
    { webhooks: true, worker: true },
  );
  stripe = createStripeClient({ secretKey: 'sk_test_checkout', apiBase: t.emulator.url });
});
afterAll(() => t.close());
beforeEach(() => t.reset());

async function asUser(userId: string, method: 'GET' | 'POST', url: string, payload?: unknown, headers = {}) {
  const token = await t.userToken(userId, { email: `${userId}@example.com`, name: `User ${userId}` });
  return t.app.inject({ method, url, headers: { ...bearer(token), ...headers }, payload: payload as object });
}

const startCheckout = (userId: string, body: Record<string, unknown>, headers = {}) =>
  asUser(userId, 'POST', '/api/checkout/sessions', body, headers);

const proPlan = () =>
  createPlan(t, {
    key: 'pro',
    benefits: [
      { key: 'seats', value: 5 },
      { key: 'priority_support', value: true },
    ],
    prices: [
      { currency: 'usd', unit_amount: 2000, interval: 'month' },
      { currency: 'usd', unit_amount: 20000, interval: 'year' },
    ],
  });

describe('POST /api/checkout/sessions', () => {
  it('shows a decline on the hosted page, then subscribes; the plan’s benefits follow', async () => {
    const plan = await proPlan();
    const res = await startCheckout('user_ann', { plan_id: 'pro' });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created.url).toBe(`${t.emulator.url}/c/pay/${created.id}`);
    expect(Date.parse(created.expires_at)).toBeGreaterThan(Date.now());

    const session = await stripe.checkout.sessions.retrieve(created.id);
    const [customer] = await queryRows<{ id: string; external_id: string }>(
      t.database.db,
      sql`select id, external_id from customers`,
    );
    expect(customer!.external_id).toBe('user_ann');
    expect(session).toMatchObject({
      customer: customer!.id,
      client_reference_id: 'user_ann',
      metadata: { recur_user_id: 'user_ann', recur_plan_id: plan.id },
      success_url: `${APP}/billing?billing=success`,
      cancel_url: `${APP}/billing?billing=cancelled`,
      amount_total: 2000,
    });

    const declined = await payOnHostedPage(t, created.id, 'declined');
    expect(declined.status).toBe(402);
    expect(declined.text).toContain('Your card was declined.');
    await settled(t);
    expect((await stripe.subscriptions.list({ status: 'all' })).data).toHaveLength(0);
    const before = (await asUser('user_ann', 'GET', '/api/me/entitlements')).json();
    expect(before).toMatchObject({ user_id: 'user_ann', benefits: {}, subscriptions: [] });

    const paid = await payOnHostedPage(t, created.id, 'visa');
    expect(paid).toMatchObject({ status: 303, location: `${APP}/billing?billing=success` });
    await settled(t);
    const [subscription] = (await stripe.subscriptions.list()).data;
    expect(subscription!.metadata).toEqual({ recur_user_id: 'user_ann', recur_plan_id: plan.id });
    const entitlements = (await asUser('user_ann', 'GET', '/api/me/entitlements')).json();
    expect(entitlements).toMatchObject({
      benefits: { seats: 5, priority_support: true },
      subscriptions: [
        {
          id: subscription!.id,
          plan_id: plan.id,
          status: 'active',
          stripe_status: 'active',
          access_until: null,
        },
      ],
    });

    // A second checkout of a plan the user holds is refused before Stripe is asked anything.
    const sessionsBefore = (await stripe.checkout.sessions.list()).data.length;
    const again = await startCheckout('user_ann', { plan_id: plan.id, interval: 'year' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'already_subscribed',
      details: { subscription_id: subscription!.id },
    });
    expect((await stripe.checkout.sessions.list()).data).toHaveLength(sessionsBefore);
  });

  it('starts the plan’s trial by default, and the trial the request asks for otherwise', async () => {
    await createPlan(t, { key: 'team', trial_days: 14, benefits: [{ key: 'sso', value: true }] });
    const res = await startCheckout('user_bo', { plan_id: 'team' });
    expect(res.statusCode, res.body).toBe(201);
    expect((await payOnHostedPage(t, res.json().id, 'visa')).status).toBe(303);
    await settled(t);
    const [trialing] = (await stripe.subscriptions.list()).data;
    expect(trialing!.status).toBe('trialing');
    expect(trialing!.trial_end! - trialing!.trial_start!).toBe(14 * 86_400);
    const entitlements = (await asUser('user_bo', 'GET', '/api/me/entitlements')).json();
    expect(entitlements).toMatchObject({
      benefits: { sso: true },
      subscriptions: [{ status: 'active', stripe_status: 'trialing' }],
    });

    const shorter = await startCheckout('user_cy', { plan_id: 'team', trial_days: 3 });
    await payOnHostedPage(t, shorter.json().id, 'visa');
    const none = await startCheckout('user_di', { plan_id: 'team', trial_days: 0 });
    await payOnHostedPage(t, none.json().id, 'visa');
    const byUser = new Map(
      (await stripe.subscriptions.list()).data.map((s) => [s.metadata.recur_user_id, s] as const),
    );
    expect(byUser.get('user_cy')!.trial_end! - byUser.get('user_cy')!.trial_start!).toBe(3 * 86_400);
    expect(byUser.get('user_di')).toMatchObject({ status: 'active', trial_end: null });
  });

  it('applies a coupon and the quantity to the subscription and its invoice', async () => {
    await proPlan();
    const quarterOff = await stripe.coupons.create({ percent_off: 25, duration: 'forever' });
    const res = await startCheckout('user_ed', { plan_id: 'pro', quantity: 3, coupon: quarterOff.id });
    expect(res.statusCode, res.body).toBe(201);
    expect(await stripe.checkout.sessions.retrieve(res.json().id)).toMatchObject({
      amount_subtotal: 6000,
      amount_total: 4500,
    });
    await payOnHostedPage(t, res.json().id, 'visa');
    const [subscription] = (await stripe.subscriptions.list()).data;
    expect(subscription!.items.data[0]!.quantity).toBe(3);
    const invoice = await stripe.invoices.retrieve(String(subscription!.latest_invoice));
    expect(invoice).toMatchObject({ subtotal: 6000, total: 4500, amount_paid: 4500 });
  });

  it('applies a promotion code typed by the customer, matched without regard to case', async () => {
    await proPlan();
    const tenOff = await stripe.coupons.create({ amount_off: 1000, currency: 'usd', duration: 'once' });
    await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: tenOff.id }, code: 'TENOFF' });
    const res = await startCheckout('user_fa', {
      plan_id: 'pro',
      interval: 'year',
      promotion_code: 'tenoff',
    });
    expect(res.statusCode, res.body).toBe(201);
    await payOnHostedPage(t, res.json().id, 'visa');
    const [subscription] = (await stripe.subscriptions.list()).data;
    const invoice = await stripe.invoices.retrieve(String(subscription!.latest_invoice));
    expect(invoice).toMatchObject({ subtotal: 20000, total: 19000, amount_paid: 19000 });
  });

  it('replays the first answer to a request repeated with its Idempotency-Key', async () => {
    await proPlan();
    const headers = { 'idempotency-key': 'checkout-once' };
    const first = await startCheckout('user_gu', { plan_id: 'pro' }, headers);
    const second = await startCheckout('user_gu', { plan_id: 'pro' }, headers);
    expect(second.json().id).toBe(first.json().id);
    expect((await stripe.checkout.sessions.list()).data).toHaveLength(1);
  });

  it('refuses every bad request with its own code and leaves nothing behind', async () => {
    const plan = await createPlan(t, {
      key: 'multi',
      prices: [
        { currency: 'usd', unit_amount: 2000, interval: 'month' },
        { currency: 'eur', unit_amount: 1900, interval: 'month' },
        { currency: 'usd', unit_amount: 20000, interval: 'year' },
      ],
    });
    const yearly = plan.prices.find((p) => p.interval === 'year')!;
    const archive = await t.app.inject({
      method: 'DELETE',
      url: `/api/plans/${plan.id}/prices/${yearly.id}`,
      headers: bearer(t.adminKey),
    });
    expect(archive.statusCode, archive.body).toBe(200);
    const expired = await stripe.coupons.create({ percent_off: 10, duration: 'once', max_redemptions: 1 });
    await stripe.coupons.del(expired.id);

    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{}, 400, 'validation_failed'],
      [{ plan_id: 'multi', currency: 'usd', extra: 1 }, 400, 'validation_failed'],
      [{ plan_id: 'nope' }, 404, 'plan_not_found'],
      [{ plan_id: 'multi', price_id: 'price_nope' }, 404, 'price_not_found'],
      [{ plan_id: 'multi', price_id: yearly.id }, 409, 'price_archived'],
      [{ plan_id: 'multi', price_id: yearly.id, interval: 'year' }, 400, 'validation_failed'],
      [{ plan_id: 'multi', interval: 'week' }, 400, 'price_not_available'],
      [{ plan_id: 'multi' }, 400, 'price_ambiguous'],
      [{ plan_id: 'multi', currency: 'usd', quantity: 0 }, 400, 'validation_failed'],
      [{ plan_id: 'multi', currency: 'usd', quantity: 1.5 }, 400, 'validation_failed'],
      [{ plan_id: 'multi', currency: 'usd', trial_days: 731 }, 400, 'validation_failed'],
      [{ plan_id: 'multi', currency: 'usd', coupon: 'a', promotion_code: 'b' }, 400, 'validation_failed'],
      [{ plan_id: 'multi', currency: 'usd', coupon: 'NOSUCH' }, 400, 'coupon_not_found'],
      [{ plan_id: 'multi', currency: 'usd', coupon: expired.id }, 400, 'coupon_not_found'],
      [{ plan_id: 'multi', currency: 'usd', promotion_code: 'NOSUCH' }, 400, 'promotion_code_not_found'],
      [
        { plan_id: 'multi', currency: 'usd', success_url: 'https://evil.example/x' },
        400,
        'redirect_not_allowed',
      ],
      [{ plan_id: 'multi', currency: 'usd', cancel_url: 'javascript:alert(1)' }, 400, 'redirect_not_allowed'],
      [{ plan_id: 'multi', currency: 'usd', success_url: '/relative' }, 400, 'invalid_return_url'],
      [
        { plan_id: 'multi', currency: 'usd', success_url: 'https://app.example.com@evil.example/' },
        400,
        'redirect_not_allowed',
      ],
      [
        { plan_id: 'multi', currency: 'usd', success_url: 'https://app.example.com.evil.example/' },
        400,
        'redirect_not_allowed',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await startCheckout('user_bad', body);
      expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(status);
      expect(res.json().error.code, JSON.stringify(body)).toBe(code);
    }
    expect((await stripe.customers.list()).data).toHaveLength(0);
    expect((await stripe.checkout.sessions.list()).data).toHaveLength(0);
    await settled(t);
    const [counts] = await queryRows<{ customers: number; sessions: number }>(
      t.database.db,
      sql`select (select count(*)::int from customers) as customers, (select count(*)::int from checkout_sessions) as sessions`,
    );
    expect(counts).toEqual({ customers: 0, sessions: 0 });

    // The same request on an allowed origin goes through.
    const fine = await startCheckout('user_bad', {
      plan_id: 'multi',
      currency: 'eur',
      success_url: 'https://www.example.com/done?session={CHECKOUT_SESSION_ID}',
    });
    expect(fine.statusCode, fine.body).toBe(201);
    expect((await stripe.checkout.sessions.retrieve(fine.json().id)).success_url).toBe(
      'https://www.example.com/done?session={CHECKOUT_SESSION_ID}',
    );
  });
});

describe('POST /api/portal/sessions', () => {
  it('needs a customer, refuses foreign return URLs, and opens the portal for the user’s customer', async () => {
    const none = await asUser('user_po', 'POST', '/api/portal/sessions', {});
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('customer_not_found');
    const evil = await asUser('user_po', 'POST', '/api/portal/sessions', {
      return_url: 'https://evil.example',
    });
    expect(evil.json().error.code).toBe('redirect_not_allowed');
    const unknownField = await asUser('user_po', 'POST', '/api/portal/sessions', { customer: 'cus_x' });
    expect(unknownField.json().error.code).toBe('validation_failed');
    expect((await stripe.customers.list()).data).toHaveLength(0);

    await proPlan();
    await startCheckout('user_po', { plan_id: 'pro' });
    const res = await asUser('user_po', 'POST', '/api/portal/sessions');
    expect(res.statusCode, res.body).toBe(201);
    const page = await fetch(res.json().url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`href="${APP}/billing"`);
    const custom = await asUser('user_po', 'POST', '/api/portal/sessions', {
      return_url: 'https://www.example.com/a',
    });
    expect(custom.statusCode).toBe(201);
    expect(await (await fetch(custom.json().url)).text()).toContain('href="https://www.example.com/a"');
  });
});
