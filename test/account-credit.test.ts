import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { bearer } from './support/app.js';
import { createPlan } from './support/billing.js';
import { billingTestApp, customerWithCard } from './support/billing-app.js';
import { advanceClock, DAY } from './support/subscriptions.js';
import { settled } from './support/wait.js';

// Money credited by an admin to a payer's Stripe customer (its invoice balance): audited, read back
// by the admin and the user, taken off the next invoice by Stripe, and refused with a 4xx (changing
// nothing) when it cannot be given.
const h = billingTestApp();

async function call(method: 'GET' | 'POST', url: string, as: string, payload?: object, key?: string) {
  const token = as === 'admin' ? h.t.adminKey : await h.t.userToken(as);
  return h.t.app.inject({
    method,
    url,
    headers: { ...bearer(token), ...(key ? { 'idempotency-key': key } : {}) },
    ...(payload ? { payload } : {}),
  });
}
const credit = (payload: object, key?: string) =>
  call('POST', '/api/admin/account-credit', 'admin', payload, key);
const transactions = async (customer: string) =>
  (await h.stripe.customers.listBalanceTransactions(customer, { limit: 100 })).data;

async function subscribedAda(unitAmount = 2000) {
  const plan = await createPlan(h.t, {
    key: 'team',
    benefits: [{ key: 'seats', value: 3 }],
    prices: [{ currency: 'usd', unit_amount: unitAmount, interval: 'month' }],
  });
  const start = Math.floor(Date.now() / 1000);
  const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: start });
  const customer = await customerWithCard(h.stripe, { userId: 'user_ada', testClock: clock.id });
  const subscription = await h.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: plan.prices[0]!.stripe_price_id }],
  });
  await settled(h.t);
  return { customer, subscription, clock, start };
}

describe('account credit', () => {
  it('credits the customer in Stripe with a reason, audited; the user reads it; the renewal takes it', async () => {
    const { customer, subscription, clock, start } = await subscribedAda();
    const res = await credit({
      user_id: 'user_ada',
      amount: 500,
      currency: 'USD',
      reason: 'Outage on 3 Dec',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      customer_id: customer.id,
      amount: 500,
      currency: 'usd',
      account_credit: { amount: 500, currency: 'usd' },
    });
    const [transaction] = await transactions(customer.id);
    expect(transaction).toMatchObject({
      id: res.json().transaction_id,
      amount: -500,
      type: 'adjustment',
      description: 'Outage on 3 Dec',
    });
    const [audit] = await queryRows<{ object_id: string; changes: { before: unknown; after: unknown } }>(
      h.t.database.db,
      sql`select object_id, changes from audit_log where action = 'credits.account_credit'`,
    );
    expect(audit).toMatchObject({
      object_id: customer.id,
      changes: {
        before: { balance: 0 },
        after: { balance: -500, amount: 500, currency: 'usd', reason: 'Outage on 3 Dec' },
      },
    });

    // The customer.updated event brings the balance into the mirror.
    await settled(h.t);
    const mine = (await call('GET', '/api/me/credits', 'user_ada')).json();
    expect(mine.account_credit).toEqual({ amount: 500, currency: 'usd' });
    const admins = (await call('GET', '/api/admin/credits?user_id=user_ada', 'admin')).json();
    expect(admins.account_credit).toEqual({ amount: 500, currency: 'usd' });

    // The renewal's $20.00 is charged $15.00: Stripe took the credit at finalization.
    await advanceClock(h.stripe, clock.id, start + 32 * DAY);
    await settled(h.t);
    const renewal = (await h.stripe.invoices.list({ subscription: subscription.id, limit: 1 })).data[0]!;
    expect(renewal).toMatchObject({
      billing_reason: 'subscription_cycle',
      total: 2000,
      starting_balance: -500,
      amount_due: 1500,
      amount_paid: 1500,
      status: 'paid',
    });
    const [mirrored] = await queryRows<{ amount_paid: string }>(
      h.t.database.db,
      sql`select amount_paid from invoices where id = ${renewal.id}`,
    );
    expect(Number(mirrored!.amount_paid)).toBe(1500);
    expect((await call('GET', '/api/me/credits', 'user_ada')).json().account_credit).toBeNull();
  });

  it('refuses what cannot be credited with a 4xx, and Stripe’s balance stays as it was', async () => {
    const { customer } = await subscribedAda();
    const cases: Array<[object, number, string]> = [
      [{ user_id: 'user_ada', amount: 0, currency: 'usd', reason: 'x' }, 400, 'validation_failed'],
      [{ user_id: 'user_ada', amount: 12.5, currency: 'usd', reason: 'x' }, 400, 'validation_failed'],
      [{ user_id: 'user_ada', amount: 500, currency: 'xyz', reason: 'x' }, 400, 'validation_failed'],
      [{ user_id: 'user_ada', amount: 500, currency: 'usd', reason: '  ' }, 400, 'validation_failed'],
      [{ amount: 500, currency: 'usd', reason: 'x' }, 400, 'validation_failed'],
      [{ user_id: 'user_ada', amount: 500, currency: 'eur', reason: 'x' }, 409, 'currency_mismatch'],
      [{ user_id: 'user_nobody', amount: 500, currency: 'usd', reason: 'x' }, 404, 'no_customer'],
      [{ organization_id: 'org_unknown', amount: 500, currency: 'usd', reason: 'x' }, 404, 'not_found'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await credit(payload);
      expect([res.statusCode, res.json().error?.code], JSON.stringify(payload)).toEqual([status, code]);
    }
    const asUser = await h.t.app.inject({
      method: 'POST',
      url: '/api/admin/account-credit',
      headers: bearer(await h.t.userToken('user_ada')),
      payload: { user_id: 'user_ada', amount: 500, currency: 'usd', reason: 'self-service' },
    });
    expect(asUser.statusCode).toBe(403);
    expect(await transactions(customer.id)).toEqual([]);
  });

  it('credits once for a request retried with its Idempotency-Key', async () => {
    const { customer } = await subscribedAda();
    const payload = { user_id: 'user_ada', amount: 300, currency: 'usd', reason: 'Goodwill' };
    const first = await credit(payload, 'credit-ada-1');
    const again = await credit(payload, 'credit-ada-1');
    expect(first.statusCode, first.body).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect((await transactions(customer.id)).map((t) => t.amount)).toEqual([-300]);
  });
});
