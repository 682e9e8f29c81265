import { is, Placeholder, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { runStatement } from '../src/db/client.js';
import { candidatesQuery } from '../src/entitlements/repository.js';
import { bearer } from './support/app.js';
import { createPlan, payOnHostedPage } from './support/billing.js';
import { billingTestApp } from './support/billing-app.js';
import { settled } from './support/wait.js';

/**
 * Plan kinds (one base plan per payer, add-ons on top) and what a user's entitlements become with
 * their organisations': each context alone, and all merged.
 */
const h = billingTestApp();

const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object, key?: string) =>
  h.t.app.inject({
    method,
    url,
    headers: bearer(key ?? h.t.adminKey),
    ...(payload === undefined ? {} : { payload }),
  });

/** Base: team (5 seats, SSO, email support) and pro (10 seats); add-ons: extra seats (5 each), an archive. */
async function catalog() {
  const team = await createPlan(h.t, {
    key: 'team',
    benefits: [
      { key: 'seats', value: 5 },
      { key: 'sso', value: true },
      { key: 'support', value: 'email' },
    ],
  });
  const pro = await createPlan(h.t, {
    key: 'pro',
    benefits: [
      { key: 'seats', value: 10 },
      { key: 'support', value: 'phone' },
    ],
    prices: [{ currency: 'usd', unit_amount: 5000, interval: 'month' }],
  });
  const seats = await addOn('extra_seats', ['team', pro.id], [{ key: 'seats', value: 5 }], 900);
  const archive = await addOn('archive', [], [{ key: 'archive', value: true }], 300);
  return { team, pro, seats, archive };
}

async function addOn(
  key: string,
  requires: string[],
  benefits: Array<{ key: string; value: boolean | number | string }>,
  amount: number,
) {
  const res = await call('POST', '/api/plans', {
    key,
    name: key,
    kind: 'add_on',
    requires_plans: requires,
    benefits,
    prices: [{ currency: 'usd', unit_amount: amount, interval: 'month' }],
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; prices: Array<{ stripe_price_id: string }>; requires_plans: string[] };
}

/** An organisation with members, billed through a Stripe customer with a working card. */
async function organisation(id: string, members: string[]) {
  expect((await call('PUT', `/api/organizations/${id}`, { name: id })).statusCode).toBe(201);
  for (const userId of members)
    expect(
      (await call('PUT', `/api/organizations/${id}/members/${userId}`, { role: 'member' })).statusCode,
    ).toBe(201);
  return h.stripe.customers.create({
    name: id,
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
    metadata: { recur_organization_id: id },
  });
}

async function userCustomer(userId: string) {
  return h.stripe.customers.create({
    email: `${userId}@example.com`,
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
    metadata: { recur_user_id: userId },
  });
}

/** Subscribed in Stripe as the dashboard would; the mirror follows by webhooks. */
async function subscribe(
  customer: string,
  plan: { prices: Array<{ stripe_price_id: string }> },
  quantity = 1,
) {
  const sub = await h.stripe.subscriptions.create({
    customer,
    items: [{ price: plan.prices[0]!.stripe_price_id, quantity }],
  });
  return sub.id;
}

async function entitlements(userId: string, org?: string) {
  const res = await call(
    'GET',
    `/api/me/entitlements${org ? `?org=${org}` : ''}`,
    undefined,
    await h.t.userToken(userId),
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('plan kinds', () => {
  it('shows kind and required base plans, and refuses what does not fit with its own code', async () => {
    const { team, pro, seats, archive } = await catalog();
    expect(seats.requires_plans).toEqual([team.id, pro.id]);
    expect((await call('GET', '/api/plans/team')).json()).toMatchObject({ kind: 'base', requires_plans: [] });
    expect((await call('GET', '/api/plans/archive')).json()).toMatchObject({
      kind: 'add_on',
      requires_plans: [],
    });

    const base = { name: 'x', prices: [{ currency: 'usd', unit_amount: 700, interval: 'month' }] };
    const refused: Array<[object, number, string]> = [
      [{ ...base, key: 'b1', requires_plans: ['team'] }, 400, 'requires_plans_on_base'],
      [{ ...base, key: 'b2', kind: 'add_on', requires_plans: ['nowhere'] }, 400, 'unknown_required_plan'],
      [{ ...base, key: 'b3', kind: 'add_on', requires_plans: ['archive'] }, 409, 'required_plan_not_base'],
      [{ ...base, key: 'b4', kind: 'bundle' }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of refused) {
      const res = await call('POST', '/api/plans', body);
      expect(res.statusCode, res.body).toBe(status);
      if (code !== 'validation_failed') expect(res.json().error.code).toBe(code);
    }
    expect((await call('GET', '/api/plans?status=all')).json().data).toHaveLength(4);

    // A base plan add-ons require stays one; a plan with a live subscription keeps its kind.
    const required = await call('PATCH', '/api/plans/team', { kind: 'add_on' });
    expect(required.statusCode).toBe(409);
    expect(required.json().error).toMatchObject({
      code: 'plan_required_by_add_ons',
      details: { plans: [seats.id] },
    });
    const held = await subscribe((await userCustomer('u_kind')).id, archive);
    await settled(h.t);
    const locked = await call('PATCH', '/api/plans/archive', { kind: 'base' });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().error).toMatchObject({
      code: 'plan_kind_locked',
      details: { subscription_id: held },
    });
    expect(
      (await call('PATCH', '/api/plans/extra_seats', { requires_plans: [] })).json().requires_plans,
    ).toEqual([]);
    // Made a base plan, an add-on requires nothing any more.
    const became = await call('PATCH', '/api/plans/extra_seats', { kind: 'base' });
    expect(became.statusCode, became.body).toBe(200);
    expect(became.json()).toMatchObject({ kind: 'base', requires_plans: [] });
  });
});

describe('one base plan per payer, add-ons on top', () => {
  it('refuses a second base plan, an add-on twice, and an add-on without its base, in Checkout and POST /api/subscriptions', async () => {
    const { team, pro, archive } = await catalog();
    const byEmail = (plan: string, email = 'cleo@example.com') =>
      call('POST', '/api/subscriptions', { plan_id: plan, customer_email: email });

    // No customer yet: the add-on's base is missing, refused before a customer is made.
    const early = await byEmail('extra_seats');
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({
      code: 'base_plan_required',
      details: { plans: [team.id, pro.id] },
    });
    expect((await h.stripe.customers.list()).data).toHaveLength(0);

    const first = await byEmail('team');
    expect(first.statusCode, first.body).toBe(201);
    const second = await byEmail('pro');
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toMatchObject({
      code: 'already_subscribed',
      details: { subscription_id: first.json().subscription_id },
    });
    const extra = await byEmail('extra_seats');
    expect(extra.statusCode, extra.body).toBe(201);
    const twice = await byEmail('extra_seats');
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toMatchObject({
      code: 'already_subscribed',
      details: { subscription_id: extra.json().subscription_id },
    });
    // An add-on that requires nothing is bought alone.
    expect((await byEmail('archive', 'dan@example.com')).statusCode).toBe(201);

    // Checkout: the same rules for a user, before Stripe is asked for a session.
    const token = await h.t.userToken('u_eve', { email: 'eve@example.com' });
    const checkout = (plan: string) =>
      h.t.app.inject({
        method: 'POST',
        url: '/api/checkout/sessions',
        headers: bearer(token),
        payload: { plan_id: plan },
      });
    const noBase = await checkout('extra_seats');
    expect(noBase.statusCode).toBe(409);
    expect(noBase.json().error.code).toBe('base_plan_required');
    const session = await checkout('pro');
    expect(session.statusCode, session.body).toBe(201);
    expect((await payOnHostedPage(h.t, session.json().id, 'visa')).status).toBe(303);
    await settled(h.t);
    const sessions = (await h.stripe.checkout.sessions.list()).data.length;
    const otherBase = await checkout('team');
    expect(otherBase.statusCode).toBe(409);
    expect(otherBase.json().error.code).toBe('already_subscribed');
    expect((await h.stripe.checkout.sessions.list()).data).toHaveLength(sessions);
    expect((await checkout('extra_seats')).statusCode).toBe(201);
    expect((await checkout(archive.id)).statusCode).toBe(201);

    // An organisation's customer is one payer like a user's.
    const org = await organisation('org_one', ['u_member']);
    await subscribe(org.id, team);
    await settled(h.t);
    const orgEmail = await h.stripe.customers.update(org.id, { email: 'billing@one.example' });
    await settled(h.t);
    const orgSecond = await byEmail('pro', orgEmail.email!);
    expect(orgSecond.statusCode).toBe(409);
    expect(orgSecond.json().error.code).toBe('already_subscribed');
  });
});

describe('entitlements with organisations', () => {
  it('adds an add-on’s limits, times its quantity, to the base of every member, and answers each context and all merged', async () => {
    const { team, pro, seats, archive } = await catalog();
    const acme = await organisation('org_acme', ['u_ann', 'u_bob', 'u_both']);
    const zen = await organisation('org_zen', ['u_both']);
    await subscribe(acme.id, team);
    await subscribe(zen.id, pro);
    await settled(h.t);
    for (const user of ['u_ann', 'u_bob'])
      expect((await entitlements(user, 'org_acme')).benefits).toEqual({
        seats: 5,
        sso: true,
        support: 'email',
      });

    // Two packs of five extra seats on top of acme's team plan: every member has 5 + 2 × 5.
    const addOn = await subscribe(acme.id, seats, 2);
    await settled(h.t);
    for (const user of ['u_ann', 'u_bob', 'u_both']) {
      const got = await entitlements(user, 'org_acme');
      expect(got, user).toMatchObject({
        organization_id: 'org_acme',
        benefits: { seats: 15, sso: true, support: 'email' },
        sources: { seats: 'org_acme', sso: 'org_acme', support: 'org_acme' },
      });
      expect(got.subscriptions.map((s: { id: string }) => s.id)).toContain(addOn);
    }

    // u_both in two organisations, and a plan of their own.
    const own = await userCustomer('u_both');
    await subscribe(own.id, archive);
    await settled(h.t);
    expect((await entitlements('u_both', 'org_zen')).benefits).toEqual({ seats: 10, support: 'phone' });
    const merged = await entitlements('u_both');
    expect(merged).toMatchObject({
      organization_id: null,
      // The largest number across payers, flags OR-ed, the first text (own, then organisations by id).
      benefits: { seats: 15, sso: true, support: 'email', archive: true },
      sources: { seats: 'org_acme', sso: 'org_acme', support: 'org_acme', archive: null },
    });
    expect(
      merged.subscriptions.map((s: { organization_id: string | null }) => s.organization_id).sort(),
    ).toEqual(['org_acme', 'org_acme', 'org_zen', null].sort());
    expect((await entitlements('u_ann')).benefits).toEqual({ seats: 15, sso: true, support: 'email' });

    // The service key asks by user id, with the same contexts; a non-member's context is not found.
    const asService = await call(
      'GET',
      '/api/users/u_both/entitlements?org=org_zen',
      undefined,
      h.t.serviceKey,
    );
    expect(asService.json()).toMatchObject({ organization_id: 'org_zen', benefits: { seats: 10 } });
    expect(
      (await call('GET', '/api/users/u_ann/entitlements?org=org_zen', undefined, h.t.serviceKey)).statusCode,
    ).toBe(404);
    const stranger = await call(
      'GET',
      '/api/me/entitlements?org=org_zen',
      undefined,
      await h.t.userToken('u_ann'),
    );
    expect(stranger.statusCode).toBe(404);
    const nowhere = await call(
      'GET',
      '/api/me/entitlements?org=org_none',
      undefined,
      await h.t.userToken('u_ann'),
    );
    expect(nowhere.statusCode).toBe(404);
  });

  it('reads a user’s organisations and their customers through indexes', async () => {
    const query = candidatesQuery(h.t.database.db).toSQL();
    const params = query.params.map((p) => (is(p, Placeholder) ? 'u_42' : p));
    const plan = await h.t.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return runStatement<Record<string, unknown>>(
        tx,
        { name: 'test_explain_entitlements_orgs', text: `explain (format json) ${query.sql}` },
        params,
      );
    });
    const text = JSON.stringify(plan);
    expect(text).toMatch(/"Index Name":"customers_external_id(_live)?","Relation Name":"customers"/);
    expect(text).toMatch(/"Index Name":"organization_members_user"/);
    // The organisations' customers by their ids, not every live customer.
    expect(text).toMatch(
      /"Index Name":"customers_organization(_live)?"[^}]*"Index Cond":"\(organization_id = ANY /,
    );
    expect(text).not.toMatch(/"Seq Scan"[^}]*"(customers|organization_members)"/);
  });
});
