import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { creditLedgerRepository } from '../../../src/usage/credits-ledger.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { Recur, RecurError } from '../src/index.js';

/** The client against the real Recur app (its routes, auth and idempotency) on PGlite and the emulator. */
let t: TestApp;
let baseUrl: string;
const admin = () => new Recur({ baseUrl, apiKey: t.adminKey });
const service = () => new Recur({ baseUrl, apiKey: t.serviceKey });

const PRO = {
  key: 'pro',
  name: 'Pro',
  benefits: [
    { key: 'seats', value: 5 },
    { key: 'api_access', value: true },
  ],
  prices: [{ currency: 'usd', unit_amount: 2900, interval: 'month' as const, lookup_key: 'pro_monthly' }],
};

beforeAll(async () => {
  t = await startTestApp({ RECUR_APP_URL: 'https://app.example.com' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(() => t.close());
beforeEach(() => t.reset());

describe('the typed client against Recur', () => {
  it('creates a plan and reads it back in the public catalog and by key', async () => {
    const created = await admin().plans.create(PRO);
    expect(created.key).toBe('pro');
    const listed = await service().plans.list();
    expect(listed.data.map((plan) => plan.key)).toEqual(['pro']);
    expect((await service().plans.get('pro')).id).toBe(created.id);
  });

  it('tracks usage, checks and holds units, and settles the hold', async () => {
    await creditLedgerRepository.grant(t.database.db, {
      payerKind: 'user',
      payerId: 'u_sdk',
      feature: 'ai',
      amount: 10,
      source: 'admin',
      sourceRef: 'sdk',
      expiresAt: null,
      reason: 'test',
    });
    const recur = service();
    const event = { user_id: 'u_sdk', feature: 'ai', value: 2, idempotency_key: 'e1' };
    expect(await recur.usage.track(event)).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await recur.usage.track({ events: [event] })).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await recur.check({ user_id: 'u_sdk', feature: 'ai' })).toMatchObject({
      allowed: true,
      balance: 8,
    });
    const held = await recur.check({ user_id: 'u_sdk', feature: 'ai', required: 3, reserve: true });
    expect(held.reservation_id).toBeDefined();
    expect(await recur.usage.confirm(held.reservation_id!, { value: 1 })).toMatchObject({
      status: 'confirmed',
    });
    const again = await recur.check({ user_id: 'u_sdk', feature: 'ai', required: 2, reserve: true });
    expect(await recur.usage.release(again.reservation_id!)).toMatchObject({ status: 'released' });
    expect(await recur.check({ user_id: 'u_sdk', feature: 'ai' })).toMatchObject({ used: 3, credits: 7 });
  });

  it('keeps an organisation and its members in step with the app', async () => {
    const recur = service();
    const created = await recur.organizations.put('org_acme', {
      name: 'Acme',
      billing_email: 'ap@acme.example',
    });
    expect(created).toMatchObject({
      id: 'org_acme',
      name: 'Acme',
      billing_email: 'ap@acme.example',
      member_count: 0,
    });
    await recur.organizations.members.put('org_acme', 'u_ann', { role: 'owner' });
    await recur.organizations.members.put('org_acme', 'u_bob', { role: 'member', holds_seat: false });
    const { data } = await recur.organizations.members.list('org_acme');
    expect(data.map((m) => [m.user_id, m.role, m.holds_seat])).toEqual([
      ['u_ann', 'owner', true],
      ['u_bob', 'member', false],
    ]);
    await recur.organizations.members.remove('org_acme', 'u_bob');
    expect((await recur.organizations.get('org_acme')).member_count).toBe(1);
    expect(await recur.organizations.delete('org_acme')).toEqual({ id: 'org_acme', deleted: true });
    const gone = await recur.organizations.get('org_acme').catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(RecurError);
    expect(gone).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('throws a RecurError with the status, code, message and request id Recur answered', async () => {
    const missing = await service()
      .plans.get('nothing_here')
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(RecurError);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
    expect((missing as RecurError).requestId).toEqual(expect.any(String));

    await admin().plans.create(PRO);
    const taken = await admin()
      .plans.create(PRO)
      .catch((error: unknown) => error);
    expect(taken).toMatchObject({ status: 409, code: 'plan_key_taken' });

    const forbidden = await service()
      .plans.create({ ...PRO, key: 'other' })
      .catch((error: unknown) => error);
    expect(forbidden).toMatchObject({ status: 403, code: 'forbidden' });

    const wrongKey = await new Recur({ baseUrl, apiKey: 'rk_not_a_key_at_all_0000' }).subscriptions
      .list()
      .catch((error: unknown) => error);
    expect(wrongKey).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('a network failure is a RecurError network_error after the retries', async () => {
    const recur = new Recur({ baseUrl: 'http://127.0.0.1:9', apiKey: 'rk_x', retries: 1, retryDelayMs: 1 });
    await expect(recur.plans.list()).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('starts Checkout and opens the portal as the user, with the service key alone', async () => {
    await admin().plans.create(PRO);
    const recur = service();
    const session = await recur.checkout.create(
      { id: 'user_sdk', email: 'sdk@example.com' },
      { plan_id: 'pro' },
    );
    expect(session.url).toMatch(/^http/);
    expect(session.id).toMatch(/^cs_/);
    // The Checkout made the user's Stripe customer, so the portal opens for them.
    const portal = await recur.portal.create('user_sdk');
    expect(portal.url).toMatch(/^http/);
    await expect(recur.portal.create('user_without_customer')).rejects.toMatchObject({
      status: 404,
      code: 'customer_not_found',
    });
  });

  it('makes billing links and reads entitlements over HTTP and through the check', async () => {
    const recur = service();
    const link = await recur.billingLinks.create({ user_id: 'user_link' });
    expect(link.url).toContain('#token=');
    expect(await recur.entitlements.get('user_link')).toMatchObject({ user_id: 'user_link', benefits: {} });
    expect(await recur.entitlements.check('user_link', 'api_access')).toEqual({
      allowed: false,
      value: null,
      source: 'recur',
    });
  });

  it('a repeated write with the same Idempotency-Key is answered once (Recur replays it)', async () => {
    await admin().plans.create(PRO);
    const body = { plan_id: 'pro', customer_email: 'idem@example.com', currency: 'usd' };
    const first = await service().subscriptions.create(body, { idempotencyKey: 'sdk-idem-1' });
    const again = await service().subscriptions.create(body, { idempotencyKey: 'sdk-idem-1' });
    expect(again.subscription_id).toBe(first.subscription_id);
    const listed = await service().subscriptions.list({ plan_id: first.plan_id });
    expect(listed.data).toHaveLength(1);
  });

  it('manages a subscription: read, cancel at the period end, resume, and the typed refusal of a second resume', async () => {
    await admin().plans.create({ ...PRO, trial_days: 14 });
    const recur = service();
    const created = await recur.subscriptions.create({
      plan_id: 'pro',
      customer_email: 'life@example.com',
      currency: 'usd',
    });
    expect(created.status).toBe('active');
    const id = created.subscription_id;
    expect((await recur.subscriptions.get(id)).id).toBe(id);
    expect((await recur.subscriptions.cancel(id, { at_period_end: true })).cancel_at_period_end).toBe(true);
    expect((await recur.subscriptions.resume(id)).cancel_at_period_end).toBe(false);
    await expect(recur.subscriptions.resume(id)).rejects.toMatchObject({
      status: 409,
      code: 'not_cancelling',
    });
    expect((await recur.invoices.list({ subscription_id: id })).data).toEqual(expect.any(Array));
  });

  it('grants credits with a reason and reads the balance and ledger with an admin key', async () => {
    const granted = await admin().credits.grant({
      user_id: 'u_ann',
      feature: 'ai_credits',
      amount: 300,
      reason: 'Welcome',
    });
    expect(granted).toMatchObject({ feature: 'ai_credits', amount: 300, balance: 300 });
    const read = await admin().credits.get({ user_id: 'u_ann', limit: 10 });
    expect(read.balances).toEqual([{ feature: 'ai_credits', balance: 300, owed: 0, next_expiry: null }]);
    expect(read.ledger.data.map((e) => [e.movement, e.amount, e.reason])).toEqual([
      ['grant', 300, 'Welcome'],
    ]);
    await expect(
      service().credits.grant({ user_id: 'u_ann', feature: 'ai_credits', amount: 1, reason: 'x' }),
    ).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    // Money goes to a Stripe customer, which Ann does not have yet.
    expect(read.account_credit).toBeNull();
    await expect(
      admin().credits.grantAccountCredit({
        user_id: 'u_ann',
        amount: 500,
        currency: 'usd',
        reason: 'Outage',
      }),
    ).rejects.toMatchObject({ status: 404, code: 'no_customer' });
  });

  it('reads reports with an admin key', async () => {
    const mrr = await admin().reports.mrr();
    expect(mrr).toHaveProperty('current');
    await expect(service().reports.mrr()).rejects.toMatchObject({ status: 403, code: 'forbidden' });
  });
});
