import { describe, expect, it } from 'vitest';
import { bearer } from './support/app.js';
import { createPlan, payOnHostedPage } from './support/billing.js';
import {
  get,
  post,
  type SubscriptionHarness,
  subscriber,
  subscriptionHarness,
} from './support/subscriptions.js';
import { settled } from './support/wait.js';

/**
 * Every billing route a user may call, walked in an organisation's context as each role: its owner
 * and billing admins act, a plain member is refused (403), and to a member of another organisation
 * or an outsider the organisation's subscription, invoice and context do not exist (404).
 */
const h: SubscriptionHarness = subscriptionHarness();

const ORG = 'org_acme';
const OTHER_ORG = 'org_globex';

/** The routes open to users that are not billing: every member of an organisation may call them. */
const NOT_BILLING: Record<string, string> = {
  'GET /api/me/organizations': 'the user’s own memberships, for the switcher',
  'GET /api/me/entitlements': 'what a member may use, which every member may read',
  'GET /api/me/credits': 'the credits a member may use, which every member may read (test/credits.test.ts)',
  'POST /api/check':
    'whether a member may use a feature now, which every member may ask (test/usage.test.ts)',
};

interface Fixture {
  subscriptionId: string;
  endedId: string;
  invoiceId: string;
  extraPlan: string;
}

interface Step {
  url: string;
  method: 'GET' | 'POST';
  payload?: Record<string, unknown>;
}

/**
 * One request per billing route, in the order they are walked. `quantity` differs per role, so that
 * each acting role's change is a real one.
 */
const steps: Array<[string, (f: Fixture, quantity: number) => Step]> = [
  ['GET /api/me/customer', () => ({ method: 'GET', url: `/api/me/customer?org=${ORG}` })],
  ['GET /api/me/subscriptions', () => ({ method: 'GET', url: `/api/me/subscriptions?org=${ORG}` })],
  ['GET /api/me/invoices', () => ({ method: 'GET', url: `/api/me/invoices?org=${ORG}` })],
  [
    'POST /api/checkout/sessions',
    (f) => ({
      method: 'POST',
      url: '/api/checkout/sessions',
      payload: { plan_id: f.extraPlan, organization_id: ORG },
    }),
  ],
  [
    'POST /api/portal/sessions',
    () => ({ method: 'POST', url: '/api/portal/sessions', payload: { organization_id: ORG } }),
  ],
  ['GET /api/subscriptions/:id', (f) => ({ method: 'GET', url: `/api/subscriptions/${f.subscriptionId}` })],
  [
    'POST /api/subscriptions/:id/preview-change',
    (f, quantity) => ({
      method: 'POST',
      url: `/api/subscriptions/${f.subscriptionId}/preview-change`,
      payload: { quantity },
    }),
  ],
  [
    'POST /api/subscriptions/:id/change',
    (f, quantity) => ({
      method: 'POST',
      url: `/api/subscriptions/${f.subscriptionId}/change`,
      payload: { quantity },
    }),
  ],
  [
    'POST /api/subscriptions/:id/cancel',
    (f) => ({
      method: 'POST',
      url: `/api/subscriptions/${f.subscriptionId}/cancel`,
      payload: { at_period_end: true },
    }),
  ],
  [
    'POST /api/subscriptions/:id/resume',
    (f) => ({ method: 'POST', url: `/api/subscriptions/${f.subscriptionId}/resume` }),
  ],
  [
    'POST /api/subscriptions/:id/reactivate',
    (f) => ({ method: 'POST', url: `/api/subscriptions/${f.endedId}/reactivate` }),
  ],
  [
    'POST /api/organizations/:id/seats/preview',
    (_f, quantity) => ({
      method: 'POST',
      url: `/api/organizations/${ORG}/seats/preview`,
      payload: { seats: quantity + 1 },
    }),
  ],
  ['GET /api/invoices/:id', (f) => ({ method: 'GET', url: `/api/invoices/${f.invoiceId}` })],
  ['GET /api/invoices/:id/pdf', (f) => ({ method: 'GET', url: `/api/invoices/${f.invoiceId}/pdf` })],
];

const call = async (userId: string, step: Step) =>
  h.t.app.inject({
    method: step.method,
    url: step.url,
    headers: bearer(await h.t.userToken(userId)),
    ...(step.payload === undefined ? {} : { payload: step.payload }),
  });

const service = (method: 'PUT' | 'POST', url: string, payload: Record<string, unknown>) =>
  h.t.app.inject({ method, url, headers: bearer(h.t.serviceKey), payload });

/** Acme (owner, billing admin, member) and Globex (its own owner); `u_out` belongs to neither. */
async function organizations() {
  expect((await service('PUT', `/api/organizations/${ORG}`, { name: 'Acme' })).statusCode).toBe(201);
  expect((await service('PUT', `/api/organizations/${OTHER_ORG}`, { name: 'Globex' })).statusCode).toBe(201);
  const members: Array<[string, string, string]> = [
    [ORG, 'u_owner', 'owner'],
    [ORG, 'u_admin', 'billing_admin'],
    [ORG, 'u_member', 'member'],
    [OTHER_ORG, 'u_other', 'owner'],
  ];
  for (const [org, user, role] of members) {
    const res = await service('PUT', `/api/organizations/${org}/members/${user}`, { role });
    expect(res.statusCode, res.body).toBe(201);
  }
}

/** Acme's customer (made in Stripe by the host app's own hand, with a card), its Pro subscription (seats by hand) and an ended Basic one. */
async function organizationSubscriptions(): Promise<Fixture> {
  const { stripe, catalog } = h;
  const customer = await stripe.customers.create({
    name: 'Acme',
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
    metadata: { recur_organization_id: ORG },
  });
  const pro = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: catalog.pro.monthly }],
    // Seats set by hand, so that both the seat preview and a change of quantity are open to it.
    metadata: { recur_seat_mode: 'manual' },
  });
  const basic = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: catalog.basic.monthly }],
  });
  await stripe.subscriptions.cancel(basic.id);
  // An add-on: the organisation, holding Pro, may buy it on top.
  const extra = await createPlan(h.t, { key: 'extra', kind: 'add_on' });
  await settled(h.t);
  const invoiceId = typeof pro.latest_invoice === 'string' ? pro.latest_invoice : pro.latest_invoice!.id!;
  return { subscriptionId: pro.id, endedId: basic.id, invoiceId, extraPlan: extra.id };
}

describe('billing in an organisation’s context', () => {
  it('walks every billing route as each role: owner and billing admin act, a member 403, others 404', async () => {
    await organizations();
    const f = await organizationSubscriptions();
    const own = await subscriber(h, 'u_owner', h.catalog.basic.monthly);

    // Every route a user may call is walked here or named as not billing: a new one fails until it is.
    const userRoutes = h.t.routes
      .filter((r) => Array.isArray(r.access) && r.access.includes('user'))
      .map((r) => `${r.method} ${r.url}`);
    const walked = steps.map(([key]) => key);
    expect(userRoutes.filter((key) => !walked.includes(key) && !(key in NOT_BILLING))).toEqual([]);
    expect(walked.filter((key) => !userRoutes.includes(key))).toEqual([]);

    const sessionsBefore = (await h.stripe.checkout.sessions.list()).data.length;
    for (const [userId, status, code] of [
      ['u_member', 403, 'organization_role_forbidden'],
      ['u_other', 404, 'not_found'],
      ['u_out', 404, 'not_found'],
    ] as const) {
      for (const [key, step] of steps) {
        const res = await call(userId, step(f, 5));
        expect(res.statusCode, `${key} as ${userId}: ${res.body}`).toBe(status);
        expect(res.json().error.code, `${key} as ${userId}`).toBe(code);
      }
    }
    // The refusals changed nothing, in Stripe or in the mirror.
    const untouched = await h.stripe.subscriptions.retrieve(f.subscriptionId);
    expect(untouched).toMatchObject({ cancel_at_period_end: false, items: { data: [{ quantity: 1 }] } });
    expect((await h.stripe.checkout.sessions.list()).data).toHaveLength(sessionsBefore);
    expect((await h.stripe.subscriptions.list({ customer: untouched.customer as string })).data).toHaveLength(
      1,
    );

    for (const [userId, quantity] of [
      ['u_owner', 2],
      ['u_admin', 3],
    ] as const) {
      for (const [key, step] of steps) {
        const res = await call(userId, step(f, quantity));
        expect(res.statusCode, `${key} as ${userId}: ${res.body}`).toBeGreaterThanOrEqual(200);
        expect(res.statusCode, `${key} as ${userId}: ${res.body}`).toBeLessThan(300);
      }
    }
    const changed = await h.stripe.subscriptions.retrieve(f.subscriptionId);
    expect(changed).toMatchObject({ cancel_at_period_end: false, items: { data: [{ quantity: 3 }] } });
    await settled(h.t);

    // The organisation's subscriptions are its own, apart from the owner's personal ones.
    const ofOrg = (await get(h, `/api/me/subscriptions?org=${ORG}`, await h.t.userToken('u_admin'))).json();
    expect(ofOrg.data.map((s: { id: string }) => s.id)).toContain(f.subscriptionId);
    expect(ofOrg.data.every((s: { organization_id: string }) => s.organization_id === ORG)).toBe(true);
    const ownList = (await get(h, '/api/me/subscriptions', own.token)).json();
    expect(ownList.data).toEqual([
      expect.objectContaining({ id: own.subscription.id, organization_id: null }),
    ]);

    // A user's own billing works as before, and stays theirs alone.
    expect((await get(h, `/api/subscriptions/${own.subscription.id}`, own.token)).statusCode).toBe(200);
    const adminToken = await h.t.userToken('u_admin');
    expect((await get(h, `/api/subscriptions/${own.subscription.id}`, adminToken)).statusCode).toBe(404);
    const cancelled = await post(h, `/api/subscriptions/${own.subscription.id}/cancel`, own.token, {
      at_period_end: true,
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ cancel_at_period_end: true, organization_id: null });
    const ownCustomer = (await get(h, '/api/me/customer', own.token)).json();
    expect(ownCustomer).toMatchObject({ id: own.customer.id, organization_id: null });
  });
});

describe('an organisation subscribes through Checkout', () => {
  it('pays on the hosted page; the subscription is the organisation’s, not its owner’s', async () => {
    await organizations();
    const owner = await h.t.userToken('u_owner');
    const started = await post(h, '/api/checkout/sessions', owner, {
      plan_id: h.catalog.pro.id,
      organization_id: ORG,
    });
    expect(started.statusCode, started.body).toBe(201);
    const session = await h.stripe.checkout.sessions.retrieve(started.json().id);
    const customer = (await get(h, `/api/me/customer?org=${ORG}`, owner)).json();
    expect(customer).toMatchObject({ organization_id: ORG, external_id: null, name: 'Acme' });
    expect(session).toMatchObject({
      customer: customer.id,
      client_reference_id: 'u_owner',
      metadata: { recur_organization_id: ORG, recur_plan_id: h.catalog.pro.id },
    });
    expect(session.metadata).not.toHaveProperty('recur_user_id');
    expect((await payOnHostedPage(h.t, session.id, 'visa')).status).toBe(303);
    await settled(h.t);

    const listed = (await get(h, `/api/me/subscriptions?org=${ORG}`, owner)).json().data;
    expect(listed).toEqual([
      expect.objectContaining({
        customer_id: customer.id,
        organization_id: ORG,
        plan_id: h.catalog.pro.id,
        status: 'active',
      }),
    ]);
    expect((await get(h, '/api/me/subscriptions', owner)).json().data).toEqual([]);
    expect((await get(h, '/api/me/customer', owner)).statusCode).toBe(404);

    // The rule for a second subscription to a plan holds for the payer, whoever asks.
    const admin = await h.t.userToken('u_admin');
    const again = await post(h, '/api/checkout/sessions', admin, { plan_id: 'pro', organization_id: ORG });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'already_subscribed',
      details: { subscription_id: listed[0].id },
    });
    // The owner's own Checkout of the same plan is theirs, and is not refused.
    expect((await post(h, '/api/checkout/sessions', owner, { plan_id: 'pro' })).statusCode).toBe(201);

    const cancelled = await post(h, `/api/subscriptions/${listed[0].id}/cancel`, admin, {
      at_period_end: false,
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', organization_id: ORG });

    const invoices = (await get(h, `/api/me/invoices?org=${ORG}`, owner)).json().data;
    expect(invoices).toEqual([
      expect.objectContaining({ customer_id: customer.id, status: 'paid', subscription_id: listed[0].id }),
    ]);
    expect((await get(h, '/api/me/invoices', owner)).json().data).toEqual([]);
  });
});

describe('billing links and subscriptions made by the host app for an organisation', () => {
  it('opens the billing page in the organisation’s context for its billing roles only', async () => {
    await organizations();
    const link = (userId: string, organization_id: string) =>
      service('POST', '/api/billing/links', { user_id: userId, organization_id });
    const made = await link('u_admin', ORG);
    expect(made.statusCode, made.body).toBe(201);
    const url = new URL(made.json().url);
    expect(url.pathname).toBe('/billing');
    expect(url.searchParams.get('org')).toBe(ORG);
    const token = url.hash.replace('#token=', '');
    const res = await get(h, `/api/me/subscriptions?${url.searchParams}`, token);
    expect(res.statusCode, res.body).toBe(200);

    const member = await link('u_member', ORG);
    expect(member.statusCode).toBe(403);
    expect(member.json().error.code).toBe('organization_role_forbidden');
    expect((await link('u_other', ORG)).statusCode).toBe(404);
    expect((await link('u_admin', 'org_missing')).statusCode).toBe(404);
    const plain = await service('POST', '/api/billing/links', { user_id: 'u_admin' });
    expect(new URL(plain.json().url).search).toBe('');
  });

  it('POST /api/subscriptions takes organization_id instead of customer_email, never both', async () => {
    await organizations();
    const create = (payload: Record<string, unknown>) =>
      service('POST', '/api/subscriptions', { plan_id: 'basic', trial_days: 7, ...payload });
    for (const payload of [{}, { organization_id: ORG, customer_email: 'a@example.com' }]) {
      const refused = await create(payload);
      expect(refused.statusCode, refused.body).toBe(400);
    }
    expect((await create({ organization_id: 'org_missing' })).statusCode).toBe(404);
    expect(await h.stripe.customers.list()).toMatchObject({ data: [] });

    const created = await create({ organization_id: ORG });
    expect(created.statusCode, created.body).toBe(201);
    const customer = await h.stripe.customers.retrieve(created.json().customer_id);
    expect(customer).toMatchObject({ name: 'Acme', metadata: { recur_organization_id: ORG } });
    const again = await create({ organization_id: ORG });
    expect(again.json().error).toMatchObject({ code: 'already_subscribed' });
    await settled(h.t);
    const listed = (await get(h, `/api/me/subscriptions?org=${ORG}`, await h.t.userToken('u_owner'))).json();
    expect(listed.data).toEqual([
      expect.objectContaining({ id: created.json().subscription_id, organization_id: ORG }),
    ]);
  });
});
