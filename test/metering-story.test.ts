import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { bearer } from './support/app.js';
import { billingTestApp, customerWithCard } from './support/billing-app.js';
import { advanceClock, DAY, HOUR } from './support/subscriptions.js';
import { eventually, settled } from './support/wait.js';

/**
 * The story of overage billed through Stripe's meter, on a test clock started 29 days ago so that
 * usage tracked now (real time) falls inside the subscription's first period: a plan with 1,000
 * calls included and $0.01 a call beyond; 1,500 calls tracked, some sent twice; the 500 beyond
 * reported once; the renewal's invoice charges $5.00 of overage; the reconcile agrees with Stripe,
 * and finds a meter event Recur did not send.
 */
const h = billingTestApp();

const as = (key: string) => (method: 'GET' | 'POST', url: string, payload?: unknown) =>
  h.t.app.inject({
    method,
    url,
    headers: bearer(key),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

async function story() {
  const admin = as(h.t.adminKey);
  const service = as(h.t.serviceKey);
  const created = await admin('POST', '/api/plans', {
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
    prices: [{ currency: 'usd', unit_amount: 2000, interval: 'month' }],
  });
  expect(created.statusCode, created.body).toBe(201);
  const plan = created.json();
  const [metered] = await queryRows<{ stripe_price_id: string }>(
    h.t.database.db,
    sql`select stripe_price_id from plan_metered_prices where plan_id = ${plan.id}`,
  );

  const start = Math.floor(Date.now() / 1000) - 29 * DAY;
  const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: start });
  const customer = await customerWithCard(h.stripe, { userId: 'story', testClock: clock.id });
  const subscription = await h.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: plan.prices[0].stripe_price_id, quantity: 1 }, { price: metered!.stripe_price_id }],
  });
  const periodEnd = subscription.items.data[0]!.current_period_end;
  expect(periodEnd * 1000).toBeGreaterThan(Date.now() + HOUR * 1000);
  // The customer's clock an hour before the renewal: later than now, so meter events dated now
  // are in its past, as Stripe asks.
  await advanceClock(h.stripe, clock.id, periodEnd - HOUR);
  await settled(h.t);

  // 1,500 calls in batches of 100; two batches sent again (a client's retries).
  const batch = (n: number) =>
    Array.from({ length: 100 }, (_, i) => ({
      user_id: 'story',
      feature: 'api_calls',
      value: 1,
      idempotency_key: `call-${n * 100 + i}`,
    }));
  let accepted = 0;
  let duplicates = 0;
  for (const n of [...Array.from({ length: 15 }, (_, n) => n), 3, 9]) {
    const res = await service('POST', '/api/usage', { events: batch(n) });
    expect(res.statusCode, res.body).toBe(200);
    accepted += res.json().accepted;
    duplicates += res.json().duplicates;
  }
  expect({ accepted, duplicates }).toEqual({ accepted: 1500, duplicates: 200 });

  return { admin, customer, subscription, periodEnd, clock, metered: metered! };
}

describe('overage billed through the meter', () => {
  it('1,500 calls on a 1,000-call plan: 500 reported once, $5.00 on the next invoice', async () => {
    const { admin, customer, subscription, periodEnd, clock, metered } = await story();

    // Reported once: one meter event of 500, and nothing more on the next run.
    const flushed = await admin('POST', '/api/admin/usage/report');
    expect(flushed.statusCode, flushed.body).toBe(200);
    expect(flushed.json()).toEqual({ collected: 1, sent: 1, failed: 0 });
    expect((await admin('POST', '/api/admin/usage/report')).json()).toEqual({
      collected: 0,
      sent: 0,
      failed: 0,
    });
    const reports = await queryRows<{ value: string; status: string; stripe_customer_id: string }>(
      h.t.database.db,
      sql`select value, status, stripe_customer_id from meter_reports`,
    );
    expect(reports.map((r) => ({ ...r, value: Number(r.value) }))).toEqual([
      { value: 500, status: 'sent', stripe_customer_id: customer.id },
    ]);

    const reconciled = (await admin('GET', '/api/admin/usage/reconcile?user_id=story')).json();
    expect(reconciled).toMatchObject({
      equal: true,
      data: [{ feature: 'api_calls', reported: 500, pending: 0, stripe: 500, difference: 0 }],
    });

    // The renewal: the invoice charges the plan and the 500 calls beyond the allowance.
    await advanceClock(h.stripe, clock.id, periodEnd + 2 * HOUR);
    await settled(h.t);
    const invoices = (await h.stripe.invoices.list({ subscription: subscription.id, limit: 10 })).data;
    const renewal = invoices.find((i) => i.billing_reason === 'subscription_cycle')!;
    expect(renewal).toBeDefined();
    const overage = renewal.lines.data.find(
      (l) => l.pricing?.price_details?.price === metered.stripe_price_id,
    );
    expect(overage).toMatchObject({ amount: 500, quantity: 500 });
    expect(renewal.total).toBe(2500);

    // A meter event Recur did not send (another integration's) is a difference.
    await h.stripe.billing.meterEvents.create({
      event_name: 'recur_api_calls',
      payload: { stripe_customer_id: customer.id, value: '7' },
      timestamp: periodEnd - 3 * HOUR,
    });
    const differs = (await admin('GET', '/api/admin/usage/reconcile?user_id=story&feature=api_calls')).json();
    expect(differs).toMatchObject({
      equal: false,
      differences: [{ payer_id: 'story', reported: 500, stripe: 507, difference: 7 }],
    });
  });
  it('a renewal’s invoice makes the reporter run at once: the overage is on that invoice', async () => {
    const { subscription, periodEnd, clock, metered } = await story();
    // No flush: the renewal's draft invoice (invoice.created) starts the reporter.
    await advanceClock(h.stripe, clock.id, periodEnd + 300);
    await settled(h.t);
    // Every row the reporter made is sent, and together they are the 500 calls beyond the allowance.
    await eventually(async () => {
      const rows = await queryRows<{ value: string; status: string }>(
        h.t.database.db,
        sql`select value, status from meter_reports`,
      );
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
      expect(rows.reduce((sum, r) => sum + Number(r.value), 0)).toBe(500);
    });
    // Stripe finalises the draft an hour later, counting the events dated in the period.
    await advanceClock(h.stripe, clock.id, periodEnd + 2 * HOUR);
    await settled(h.t);
    const invoices = (await h.stripe.invoices.list({ subscription: subscription.id, limit: 10 })).data;
    const renewal = invoices.find((i) => i.billing_reason === 'subscription_cycle')!;
    const overage = renewal.lines.data.find(
      (l) => l.pricing?.price_details?.price === metered.stripe_price_id,
    );
    expect(overage).toMatchObject({ amount: 500, quantity: 500 });
  });
});
