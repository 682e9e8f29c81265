import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { creditLedgerRepository } from '../src/usage/credits-ledger.js';
import { bearer } from './support/app.js';
import { endpointForAll, ofType, storedMessages } from './support/app-webhook-messages.js';
import { createPlan, payOnHostedPage } from './support/billing.js';
import { billingTestApp } from './support/billing-app.js';
import { runSync } from './support/sync-fixtures.js';
import { settled } from './support/wait.js';

// One-time plans: a credit pack and a lifetime deal bought through Checkout in payment mode,
// recorded once as purchases whatever the redeliveries, and taken back by a full refund.
const h = billingTestApp();

type Caller = string | 'admin' | 'service';
async function call(method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, as: Caller, payload?: object) {
  const key = as === 'admin' ? h.t.adminKey : as === 'service' ? h.t.serviceKey : await h.t.userToken(as);
  return h.t.app.inject({ method, url, headers: bearer(key), ...(payload ? { payload } : {}) });
}

const ONCE = [{ currency: 'usd', unit_amount: 1000 }];

function creditPack(key = 'pack_500', credits = 500) {
  return createPlan(h.t, { key, kind: 'one_time', benefits: [{ key: 'ai_credits', credits }], prices: ONCE });
}

async function buy(user: string, plan: string, extra: object = {}) {
  const res = await call('POST', '/api/checkout/sessions', user, { plan_id: plan, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  expect((await payOnHostedPage(h.t, res.json().id, 'visa')).status).toBe(303);
  await settled(h.t);
  return res.json().id as string;
}

const balance = (user: string) =>
  creditLedgerRepository.balance(h.t.database.db, { payerKind: 'user', payerId: user }, 'ai_credits');
const ledgerSum = (user: string) =>
  creditLedgerRepository.ledgerSum(h.t.database.db, { payerKind: 'user', payerId: user }, 'ai_credits');

describe('one-time plans', () => {
  it('have one-time prices, no trial, no seats, and cannot be subscribed to', async () => {
    const pack = await creditPack();
    expect(pack.prices[0]).toMatchObject({ interval: null, currency: 'usd' });
    const price = await h.stripe.prices.retrieve(pack.prices[0]!.stripe_price_id);
    expect(price.recurring).toBeNull();
    expect(price.type).toBe('one_time');
    // The public catalog shows it.
    const catalog = (await call('GET', '/api/plans', 'user_ann')).json();
    expect(catalog.data.find((p: { key: string }) => p.key === 'pack_500')).toMatchObject({
      kind: 'one_time',
    });

    const refused = async (payload: object) => {
      const res = await call('POST', '/api/plans', 'admin', { name: 'X', ...payload });
      return [res.statusCode, res.json().error.code];
    };
    expect(await refused({ key: 'x1', kind: 'one_time', prices: ONCE, trial_days: 7 })).toEqual([
      400,
      'one_time_trial',
    ]);
    expect(await refused({ key: 'x2', kind: 'one_time', prices: ONCE, per_seat: true })).toEqual([
      400,
      'one_time_per_seat',
    ]);
    expect(
      await refused({
        key: 'x3',
        kind: 'one_time',
        prices: [{ currency: 'usd', unit_amount: 1000, interval: 'month' }],
      }),
    ).toEqual([400, 'one_time_price_interval']);
    expect(await refused({ key: 'x4', prices: ONCE })).toEqual([400, 'price_interval_required']);
    const kindChange = await call('PATCH', `/api/plans/${pack.id}`, 'admin', { kind: 'base' });
    expect([kindChange.statusCode, kindChange.json().error.code]).toEqual([409, 'plan_kind_one_time']);
    const monthly = await call('POST', `/api/plans/${pack.id}/prices`, 'admin', {
      currency: 'eur',
      unit_amount: 900,
      interval: 'month',
    });
    expect([monthly.statusCode, monthly.json().error.code]).toEqual([400, 'one_time_price_interval']);

    const trial = await call('POST', '/api/checkout/sessions', 'user_ann', {
      plan_id: pack.id,
      trial_days: 3,
    });
    expect([trial.statusCode, trial.json().error.code]).toEqual([400, 'one_time_trial']);
    const direct = await call('POST', '/api/subscriptions', 'service', {
      customer_email: 'ann@example.com',
      plan_id: pack.id,
    });
    expect(direct.statusCode, direct.body).toBe(409);
    expect(direct.json().error.code).toBe('plan_one_time');
    expect(await queryRows(h.t.database.db, sql`select id from plans where key like 'x%'`)).toEqual([]);

    // A full sync keeps its one-time price as it is, and the reconcile check finds nothing amiss.
    expect((await runSync(h.t, { mode: 'full' })).status).toBe('succeeded');
    const check = (await call('GET', '/api/admin/sync/check', 'admin')).json();
    expect(check.objects.prices).toMatchObject({ stripe: 1, mirror: 1, missing: 0, extra: 0 });
    expect(check.differences).toEqual([]);
    expect((await call('GET', `/api/plans/${pack.id}`, 'admin')).json().prices).toMatchObject([
      { interval: null, active: true },
    ]);
  });

  it('a credit pack bought through Checkout grants its credits once, however often its events come', async () => {
    await endpointForAll(h.t);
    const pack = await creditPack();
    const session = await buy('user_ann', pack.id, { quantity: 2 });
    const stripeSession = await h.stripe.checkout.sessions.retrieve(session);
    expect(stripeSession.mode).toBe('payment');
    expect(stripeSession.amount_total).toBe(2000);
    expect(await balance('user_ann')).toBe(1000);

    // Its events delivered again, as new deliveries (new event ids).
    const events = (await h.stripe.events.list({ limit: 100 })).data.filter(
      (e) => e.type === 'checkout.session.completed',
    );
    expect(events).toHaveLength(1);
    for (const i of [1, 2])
      await h.t.services.inbox.ingestStripe({ ...events[0]!, id: `${events[0]!.id}_again${i}` });
    await settled(h.t);
    expect(await balance('user_ann')).toBe(1000);
    expect(await ledgerSum('user_ann')).toBe(1000);
    const rows = await queryRows<{
      checkout_session_id: string;
      amount: number;
      quantity: number;
      status: string;
    }>(h.t.database.db, sql`select checkout_session_id, amount, quantity, status from purchases`);
    expect(rows).toEqual([{ checkout_session_id: session, amount: 2000, quantity: 2, status: 'paid' }]);

    const told = ofType(await storedMessages(h.t), 'purchase.completed');
    expect(told.map((m) => m.data)).toEqual([
      {
        user_id: 'user_ann',
        organization_id: null,
        purchase: expect.objectContaining({
          plan_id: pack.id,
          checkout_session_id: session,
          quantity: 2,
          amount: 2000,
          currency: 'usd',
          status: 'paid',
          credits: { ai_credits: 1000 },
        }),
      },
    ]);

    // A second pack adds up.
    await buy('user_ann', pack.id);
    expect(await balance('user_ann')).toBe(1500);
  });

  it('a lifetime deal’s benefits are held for good, and a full refund takes back them and what is left of the credits', async () => {
    await endpointForAll(h.t);
    const deal = await createPlan(h.t, {
      key: 'lifetime',
      kind: 'one_time',
      benefits: [
        { key: 'pro_reports', value: true },
        { key: 'projects', value: 20 },
        { key: 'ai_credits', credits: 300, expires_after_days: 365 },
      ],
      prices: [{ currency: 'usd', unit_amount: 19900 }],
    });
    await buy('user_bob', deal.id);
    const entitlements = (await call('GET', '/api/me/entitlements', 'user_bob')).json();
    expect(entitlements.benefits).toEqual({ pro_reports: true, projects: 20 });
    expect(entitlements.subscriptions).toEqual([]);
    expect(entitlements.purchases).toEqual([
      { id: expect.stringMatching(/^pur_/), plan_id: deal.id, organization_id: null },
    ]);
    expect(await balance('user_bob')).toBe(300);
    const [lot] = await queryRows<{ expires_at: Date }>(
      h.t.database.db,
      sql`select expires_at from credit_lots`,
    );
    expect(lot!.expires_at).not.toBeNull();

    // Some credits are used; a partial refund changes nothing.
    await h.t.database.db.transaction((tx) =>
      creditLedgerRepository.draw(tx, {
        payerKind: 'user',
        payerId: 'user_bob',
        feature: 'ai_credits',
        amount: 120,
        movement: 'usage',
        reference: 'use_1',
        reason: null,
        allOrNothing: true,
      }),
    );
    const [purchase] = await queryRows<{ payment_intent_id: string }>(
      h.t.database.db,
      sql`select payment_intent_id from purchases`,
    );
    const refund = (amount?: number) =>
      call('POST', '/stripe/refunds', 'admin', {
        payment_id: purchase!.payment_intent_id,
        reason: 'requested_by_customer',
        ...(amount ? { amount } : {}),
      });
    expect((await refund(100)).statusCode).toBe(201);
    await settled(h.t);
    expect(await balance('user_bob')).toBe(180);
    expect((await call('GET', '/api/me/entitlements', 'user_bob')).json().benefits).toEqual({
      pro_reports: true,
      projects: 20,
    });

    // The rest refunded: the benefits end and the 180 credits left are revoked.
    expect((await refund()).statusCode).toBe(201);
    await settled(h.t);
    const after = (await call('GET', '/api/me/entitlements', 'user_bob')).json();
    expect(after.benefits).toEqual({});
    expect(after.purchases).toEqual([]);
    expect(await balance('user_bob')).toBe(0);
    expect(await ledgerSum('user_bob')).toBe(0);
    const movements = await queryRows<{ movement: string; amount: string }>(
      h.t.database.db,
      sql`select movement, amount from credit_ledger order by created_at, id`,
    );
    expect(movements.map((m) => [m.movement, Number(m.amount)])).toEqual([
      ['grant', 300],
      ['usage', -120],
      ['revoke', -180],
    ]);
    const messages = await storedMessages(h.t);
    expect(ofType(messages, 'purchase.refunded').map((m) => m.data.purchase.credits)).toEqual([
      { ai_credits: 180 },
    ]);
    const updates = ofType(messages, 'entitlements.updated').map((m) => m.data.changes);
    expect(updates).toEqual([
      { added: ['pro_reports', 'projects'], removed: [], changed: [] },
      { added: [], removed: ['pro_reports', 'projects'], changed: [] },
    ]);
  });

  it('an organisation buys through its billing roles, and its members hold the lifetime benefits', async () => {
    const deal = await createPlan(h.t, {
      key: 'team_lifetime',
      kind: 'one_time',
      benefits: [{ key: 'sso', value: true }],
      prices: ONCE,
    });
    await call('PUT', '/api/organizations/acme', 'service', {
      name: 'Acme',
      billing_email: 'ap@acme.example',
    });
    await call('PUT', '/api/organizations/acme/members/ann', 'service', { role: 'owner' });
    await call('PUT', '/api/organizations/acme/members/cy', 'service', { role: 'member' });
    const member = await call('POST', '/api/checkout/sessions', 'cy', {
      plan_id: deal.id,
      organization_id: 'acme',
    });
    expect(member.statusCode).toBe(403);
    await buy('ann', deal.id, { organization_id: 'acme' });
    const cy = (await call('GET', '/api/me/entitlements?org=acme', 'cy')).json();
    expect(cy.benefits).toEqual({ sso: true });
    expect(cy.sources).toEqual({ sso: 'acme' });
    expect(cy.purchases).toEqual([{ id: expect.any(String), plan_id: deal.id, organization_id: 'acme' }]);
  });
});
