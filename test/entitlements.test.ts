import { is, Placeholder, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runStatement } from '../src/db/client.js';
import { candidatesQuery } from '../src/entitlements/repository.js';
import { upsertMirror } from '../src/mirror/repository.js';
import { createStripeClient } from '../src/stripe/index.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { createPlan } from './support/billing.js';
import { settled } from './support/wait.js';

/**
 * Entitlements as the host app asks for them. The status rules are checked on mirror rows written
 * by the mirror's own writer (the states a webhook would leave, with periods set relative to now);
 * a real subscription made in Stripe shows the whole path.
 */
let t: TestApp;
let stripe: Stripe;
const DAY = 86_400_000;
const daysFromNow = (n: number) => new Date(Date.now() + n * DAY);

beforeAll(async () => {
  t = await startTestApp({ RECUR_ENTITLEMENT_GRACE_DAYS: '7' }, { webhooks: true, worker: true });
  stripe = createStripeClient({ secretKey: 'sk_test_entitlements', apiBase: t.emulator.url });
});
afterAll(() => t.close());
beforeEach(() => t.reset());

async function entitlementsOf(userId: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: '/api/me/entitlements',
    headers: bearer(await t.userToken(userId)),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

let seq = 0;
/** A subscription row as the worker writes it for a Stripe subscription in this state. */
async function mirrorSubscription(
  userId: string,
  planId: string | null,
  state: {
    status: string;
    periodStart?: Date;
    periodEnd?: Date;
    cancelAtPeriodEnd?: boolean;
    cancelAt?: Date;
  },
): Promise<string> {
  const customerId = `cus_${userId}`;
  const now = new Date();
  await upsertMirror(t.database.db, 'customer', { id: customerId, externalId: userId, createdAt: now }, now);
  const id = `sub_${++seq}_${state.status}`;
  await upsertMirror(
    t.database.db,
    'subscription',
    {
      id,
      customerId,
      status: state.status,
      planId,
      currency: 'usd',
      collectionMethod: 'charge_automatically',
      cancelAtPeriodEnd: state.cancelAtPeriodEnd ?? false,
      cancelAt: state.cancelAt ?? null,
      currentPeriodStart: state.periodStart ?? daysFromNow(-10),
      currentPeriodEnd: state.periodEnd ?? daysFromNow(20),
      createdAt: new Date(now.getTime() + seq),
    },
    now,
  );
  return id;
}

describe('entitlements', () => {
  it('follows each status: active and trialing count, past_due for the grace days, the rest never', async () => {
    const plan = await createPlan(t, { key: 'pro', benefits: [{ key: 'api', value: true }] });
    const cases: Array<[string, Parameters<typeof mirrorSubscription>[2], boolean]> = [
      ['active', { status: 'active' }, true],
      ['trialing', { status: 'trialing' }, true],
      ['past_due_in_grace', { status: 'past_due', periodStart: daysFromNow(-6) }, true],
      ['past_due_after_grace', { status: 'past_due', periodStart: daysFromNow(-8) }, false],
      ['canceled', { status: 'canceled' }, false],
      ['incomplete', { status: 'incomplete' }, false],
      ['incomplete_expired', { status: 'incomplete_expired' }, false],
      ['unpaid', { status: 'unpaid' }, false],
      ['paused', { status: 'paused' }, false],
    ];
    for (const [user, state] of cases) await mirrorSubscription(user, plan.id, state);
    for (const [user, state, granted] of cases) {
      const got = await entitlementsOf(user);
      expect(got.benefits, user).toEqual(granted ? { api: true } : {});
      expect(
        got.subscriptions.map((s: { stripe_status: string }) => s.stripe_status),
        user,
      ).toEqual(granted ? [state.status] : []);
    }
    const inGrace = await entitlementsOf('past_due_in_grace');
    expect(inGrace.subscriptions[0].status).toBe('suspended');
    expect(Date.parse(inGrace.subscriptions[0].access_until)).toBeGreaterThan(Date.now());
    expect(Date.parse(inGrace.subscriptions[0].access_until)).toBeLessThan(daysFromNow(1.01).getTime());
  });

  it('keeps a subscription cancelled at period end until that end, and drops it once the end has passed', async () => {
    const plan = await createPlan(t, { key: 'pro', benefits: [{ key: 'api', value: true }] });
    const end = daysFromNow(5);
    await mirrorSubscription('leaving', plan.id, {
      status: 'active',
      cancelAtPeriodEnd: true,
      periodEnd: end,
    });
    await mirrorSubscription('left', plan.id, {
      status: 'active',
      cancelAtPeriodEnd: true,
      periodStart: daysFromNow(-31),
      periodEnd: daysFromNow(-1),
    });
    const leaving = await entitlementsOf('leaving');
    expect(leaving.benefits).toEqual({ api: true });
    expect(leaving.subscriptions[0].access_until).toBe(end.toISOString());
    expect((await entitlementsOf('left')).benefits).toEqual({});
  });

  it('merges two subscriptions: flags OR-ed, the larger number, the first plan’s text', async () => {
    const basic = await createPlan(t, {
      key: 'basic',
      benefits: [
        { key: 'seats', value: 10 },
        { key: 'sso', value: false },
        { key: 'support', value: 'email' },
      ],
    });
    const addon = await createPlan(t, {
      key: 'addon',
      prices: [{ currency: 'usd', unit_amount: 900, interval: 'month' }],
      benefits: [
        { key: 'seats', value: 3 },
        { key: 'sso', value: true },
        { key: 'support', value: 'phone' },
        { key: 'exports', value: 100 },
      ],
    });
    await mirrorSubscription('both', addon.id, { status: 'trialing' });
    await mirrorSubscription('both', basic.id, { status: 'active' });
    await mirrorSubscription('both', null, { status: 'active' });
    const got = await entitlementsOf('both');
    expect(got.benefits).toEqual({ seats: 10, sso: true, support: 'email', exports: 100 });
    expect(got.subscriptions.map((s: { plan_id: string | null }) => s.plan_id)).toEqual([
      basic.id,
      addon.id,
      null,
    ]);
  });

  it('come from the user’s live customer only, found through an index on external_id', async () => {
    const plan = await createPlan(t, { key: 'team', benefits: [{ key: 'seats', value: 5 }] });
    const old = await createPlan(t, { key: 'legacy', benefits: [{ key: 'legacy', value: true }] });
    // The user's first customer was deleted in Stripe; a row it left says active (its cancellation never came).
    await mirrorSubscription('user_gone', old.id, { status: 'active' });
    const now = new Date();
    await upsertMirror(
      t.database.db,
      'customer',
      { id: 'cus_user_gone', externalId: 'user_gone', deleted: true, createdAt: now },
      now,
    );
    await upsertMirror(
      t.database.db,
      'customer',
      { id: 'cus_user_gone_2', externalId: 'user_gone', createdAt: now },
      now,
    );
    await upsertMirror(
      t.database.db,
      'subscription',
      {
        id: 'sub_user_gone_2',
        customerId: 'cus_user_gone_2',
        status: 'active',
        planId: plan.id,
        currency: 'usd',
        collectionMethod: 'charge_automatically',
        currentPeriodStart: daysFromNow(-1),
        currentPeriodEnd: daysFromNow(29),
        createdAt: now,
      },
      now,
    );
    const got = await entitlementsOf('user_gone');
    expect(got.benefits).toEqual({ seats: 5 });
    expect(got.subscriptions.map((s: { id: string }) => s.id)).toEqual(['sub_user_gone_2']);

    // The plan's index use, whatever the table's size: with sequential scans priced out, a query
    // that cannot use an index on external_id still scans.
    const query = candidatesQuery(t.database.db).toSQL();
    const params = query.params.map((p) => (is(p, Placeholder) ? 'user_gone' : p));
    const queryPlan = await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return runStatement<Record<string, unknown>>(
        tx,
        { name: 'test_explain_entitlements', text: `explain (format json) ${query.sql}` },
        params,
      );
    });
    // The partial unique index of live customers or the plain one (migration 0007): the planner
    // takes either, and both find the user's rows without reading the table.
    const text = JSON.stringify(queryPlan);
    expect(text).toMatch(/"Index Name":"customers_external_id(_live)?","Relation Name":"customers"/);
    expect(text).not.toMatch(/"Seq Scan"[^}]*"customers"/);
  });

  it('never shows one user another’s, and answers services and admins by user id', async () => {
    const plan = await createPlan(t, { key: 'pro', benefits: [{ key: 'api', value: true }] });
    const aSub = await mirrorSubscription('user_a', plan.id, { status: 'active' });
    expect((await entitlementsOf('user_b')).benefits).toEqual({});
    expect((await entitlementsOf('user_b')).subscriptions).toEqual([]);
    for (const key of [t.serviceKey, t.adminKey]) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/users/user_a/entitlements',
        headers: bearer(key),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        user_id: 'user_a',
        benefits: { api: true },
        subscriptions: [{ id: aSub }],
      });
    }
    const asUser = await t.app.inject({
      method: 'GET',
      url: '/api/users/user_a/entitlements',
      headers: bearer(await t.userToken('user_b')),
    });
    expect(asUser.statusCode).toBe(403);
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/api/users/nobody/entitlements',
      headers: bearer(t.serviceKey),
    });
    expect(unknown.json()).toMatchObject({ user_id: 'nobody', benefits: {}, subscriptions: [] });
  });

  it('follows a real subscription through Stripe’s webhooks: active, ending at period end, then gone', async () => {
    const plan = await createPlan(t, { key: 'pro', benefits: [{ key: 'seats', value: 5 }] });
    const customer = await t.services.customers.forUser({ userId: 'user_real' });
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plan.prices[0]!.stripe_price_id, quantity: 4 }],
    });
    await settled(t);
    expect(await entitlementsOf('user_real')).toMatchObject({
      benefits: { seats: 5 },
      subscriptions: [{ id: subscription.id, status: 'active', access_until: null }],
    });

    const ending = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    await settled(t);
    const periodEnd = new Date(ending.items.data[0]!.current_period_end * 1000).toISOString();
    expect((await entitlementsOf('user_real')).subscriptions).toEqual([
      expect.objectContaining({ id: subscription.id, status: 'active', access_until: periodEnd }),
    ]);

    await stripe.subscriptions.cancel(subscription.id);
    await settled(t);
    expect(await entitlementsOf('user_real')).toMatchObject({ benefits: {}, subscriptions: [] });
  });
});
