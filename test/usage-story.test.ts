import { describe, expect, it } from 'vitest';
import { bearer } from './support/app.js';
import { createPlan, payOnHostedPage } from './support/billing.js';
import { billingTestApp, customerWithCard } from './support/billing-app.js';
import { advanceClock, DAY, HOUR } from './support/subscriptions.js';
import { eventually, settled } from './support/wait.js';

/**
 * Issue 19's story, told through Recur's API as a host app lives it. The plan renews weekly and the
 * subscriber's test clock starts a week ago, less a minute and a quarter, so the first period ends
 * that long after the test starts in real time: calls tracked now are counted into it, the renewal
 * (the clock moved past the end) bills their overage through the meter, and once real time has
 * passed the end the allowance is whole again. A credit pack bought through Checkout then raises
 * the balance of a feature the plan does not give.
 */
const h = billingTestApp();
const MARGIN = 40;

const as = (key: string) => async (method: 'GET' | 'POST', url: string, payload?: object) => {
  const res = await h.t.app.inject({
    method,
    url,
    headers: bearer(key),
    ...(payload === undefined ? {} : { payload }),
  });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
};

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

describe('usage: limits that reset, overage billed through Stripe, credits bought once', () => {
  it('1,500 calls on a 1,000-call plan bill $5.00 at renewal, the allowance resets, a pack adds credits', {
    timeout: 180_000,
  }, async () => {
    const admin = as(h.t.adminKey);
    const service = as(h.t.serviceKey);
    const api = await createPlan(h.t, {
      key: 'api',
      name: 'API',
      benefits: [
        {
          key: 'api_calls',
          limit: 1000,
          reset: 'billing_period',
          overage: 'bill',
          overage_prices: [{ currency: 'usd', unit_amount: 1 }],
        },
      ],
      prices: [{ currency: 'usd', unit_amount: 2000, interval: 'week' }],
    });
    await createPlan(h.t, {
      key: 'ai_pack',
      name: '500 AI credits',
      kind: 'one_time',
      benefits: [{ key: 'ai_credits', credits: 500 }],
      prices: [{ currency: 'usd', unit_amount: 900 }],
    });

    // The subscriber, on a clock whose first weekly period ends MARGIN seconds from now.
    const now = Math.floor(Date.now() / 1000);
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: now - 7 * DAY + MARGIN });
    const customer = await customerWithCard(h.stripe, { userId: 'ada', testClock: clock.id });
    await settled(h.t);
    const ada = as(await h.t.userToken('ada'));
    const checkout = await ada('POST', '/api/checkout/sessions', { plan_id: api.id });
    expect((await payOnHostedPage(h.t, checkout.id, 'visa')).status).toBe(303);
    await settled(h.t);
    const [subscriptionId] = (await ada('GET', '/api/me/subscriptions')).data.map(
      (s: { id: string }) => s.id,
    );
    const subscription = await h.stripe.subscriptions.retrieve(subscriptionId);
    const periodEnd = subscription.items.data[0]!.current_period_end;
    expect(periodEnd).toBe(now + MARGIN);

    const check = (feature: string) => service('POST', '/api/check', { user_id: 'ada', feature });
    expect(await check('api_calls')).toMatchObject({
      allowed: true,
      limit: 1000,
      used: 0,
      balance: 1000,
      resets_at: iso(periodEnd),
    });

    // 1,500 calls in batches of 100, dated now (in the first period, however long the requests take);
    // two batches sent again (a client's retries).
    const batch = (n: number) =>
      Array.from({ length: 100 }, (_, i) => ({
        user_id: 'ada',
        feature: 'api_calls',
        value: 1,
        idempotency_key: `call-${n * 100 + i}`,
        timestamp: iso(now),
      }));
    let accepted = 0;
    let duplicates = 0;
    for (const n of [...Array.from({ length: 15 }, (_, n) => n), 4, 11]) {
      const answer = await service('POST', '/api/usage', { events: batch(n) });
      accepted += answer.accepted;
      duplicates += answer.duplicates;
    }
    expect({ accepted, duplicates }).toEqual({ accepted: 1500, duplicates: 200 });
    // The 500 beyond the allowance go to the meter once, dated in the period (at most its last
    // second): the clock is moved near the end first, as Stripe takes no meter event dated more
    // than five minutes after the customer's "now".
    await advanceClock(h.stripe, clock.id, periodEnd - 60);
    await settled(h.t);
    expect(await admin('POST', '/api/admin/usage/report')).toEqual({ collected: 1, sent: 1, failed: 0 });
    expect(await admin('POST', '/api/admin/usage/report')).toEqual({ collected: 0, sent: 0, failed: 0 });
    expect(await admin('GET', '/api/admin/usage/reconcile?user_id=ada')).toMatchObject({
      equal: true,
      data: [{ feature: 'api_calls', reported: 500, stripe: 500, difference: 0 }],
    });

    // The renewal: its invoice charges the plan and $5.00 of overage.
    await advanceClock(h.stripe, clock.id, periodEnd + 2 * HOUR);
    await settled(h.t);
    const invoices = await h.stripe.invoices.list({ customer: customer.id, limit: 10 });
    const renewal = invoices.data.find((i) => i.billing_reason === 'subscription_cycle');
    expect(renewal?.status).toBe('paid');
    const lines = renewal!.lines.data.map((l) => ({ quantity: l.quantity, amount: l.amount }));
    expect(lines).toEqual(
      expect.arrayContaining([
        { quantity: 1, amount: 2000 },
        { quantity: 500, amount: 500 },
      ]),
    );
    expect(renewal!.amount_paid).toBe(2500);

    // Once real time has passed the renewal, the allowance is whole again and calls count anew.
    await eventually(
      async () => expect(Date.now()).toBeGreaterThan(periodEnd * 1000),
      (MARGIN + 5) * 1000,
      250,
    );
    const renewed = await h.stripe.subscriptions.retrieve(subscriptionId);
    const nextEnd = renewed.items.data[0]!.current_period_end;
    expect(await check('api_calls')).toMatchObject({
      allowed: true,
      used: 0,
      balance: 1000,
      resets_at: iso(nextEnd),
    });
    await service('POST', '/api/usage', {
      user_id: 'ada',
      feature: 'api_calls',
      value: 40,
      idempotency_key: 'after-renewal',
    });
    expect(await check('api_calls')).toMatchObject({ used: 40, balance: 960 });
    expect(await admin('POST', '/api/admin/usage/report')).toEqual({ collected: 0, sent: 0, failed: 0 });

    // A credit pack bought through Checkout raises a balance the plan does not give.
    expect(await check('ai_credits')).toMatchObject({ allowed: false, balance: 0, credits: 0 });
    const pack = await ada('POST', '/api/checkout/sessions', {
      plan_id: (await admin('GET', '/api/plans')).data.find((p: { key: string }) => p.key === 'ai_pack').id,
    });
    expect((await payOnHostedPage(h.t, pack.id, 'visa')).status).toBe(303);
    await settled(h.t);
    expect(await check('ai_credits')).toMatchObject({ allowed: true, balance: 500, credits: 500 });
    await service('POST', '/api/usage', {
      user_id: 'ada',
      feature: 'ai_credits',
      value: 120,
      idempotency_key: 'first-answers',
    });
    expect(await check('ai_credits')).toMatchObject({ balance: 380, credits: 380 });
  });
});
