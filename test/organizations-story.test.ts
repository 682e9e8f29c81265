import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { bearer } from './support/app.js';
import { createPlan, payOnHostedPage } from './support/billing.js';
import { billingTestApp } from './support/billing-app.js';
import { advanceClock, DAY, HOUR } from './support/subscriptions.js';
import { settled } from './support/wait.js';

// The whole story of a team that pays for its members, told through Recur's API the way a host
// app and its users live it: the organisation and its members kept in step by the app's backend,
// its owner buying a per-seat plan through Checkout, seats following the members, a billing admin
// buying an add-on, a plain member refused every billing act, and one user in two organisations.
const h = billingTestApp();

type Caller = string | 'service' | 'admin';

async function call(method: 'GET' | 'PUT' | 'DELETE' | 'POST', url: string, as: Caller, payload?: object) {
  const key = as === 'service' ? h.t.serviceKey : as === 'admin' ? h.t.adminKey : await h.t.userToken(as);
  return h.t.app.inject({ method, url, headers: bearer(key), ...(payload === undefined ? {} : { payload }) });
}

async function ok(method: 'GET' | 'PUT' | 'DELETE' | 'POST', url: string, as: Caller, payload?: object) {
  const res = await call(method, url, as, payload);
  expect(res.statusCode, `${method} ${url} as ${as}: ${res.body}`).toBeLessThan(300);
  return res.json();
}

/** Checkout as the user for the organisation, paid on Stripe's hosted page with a Visa. */
async function checkout(user: string, organization: string, plan: string): Promise<void> {
  const session = await ok('POST', '/api/checkout/sessions', user, {
    plan_id: plan,
    organization_id: organization,
  });
  expect((await payOnHostedPage(h.t, session.id, 'visa')).status).toBe(303);
  await settled(h.t);
}

const benefitsOf = async (user: string, org?: string) =>
  (await ok('GET', `/api/me/entitlements${org ? `?org=${org}` : ''}`, user)).benefits;

describe('an organisation pays for its members', () => {
  it('seats follow the members, an add-on adds to every member, and only billing roles act', async () => {
    // The catalog: Team at $10 a seat with 10 projects, an add-on of 25 projects on top of Team
    // for $15, and Solo, which another organisation is on.
    const team = await createPlan(h.t, {
      key: 'team',
      name: 'Team',
      per_seat: true,
      benefits: [
        { key: 'projects', value: 10 },
        { key: 'sso', value: true },
      ],
      prices: [{ currency: 'usd', unit_amount: 1000, interval: 'month' }],
    });
    await createPlan(h.t, {
      key: 'more_projects',
      name: 'More projects',
      kind: 'add_on',
      requires_plans: ['team'],
      benefits: [{ key: 'projects', value: 25 }],
      prices: [{ currency: 'usd', unit_amount: 1500, interval: 'month' }],
    });
    await createPlan(h.t, {
      key: 'solo',
      name: 'Solo',
      benefits: [{ key: 'projects', value: 3 }],
      prices: [{ currency: 'usd', unit_amount: 900, interval: 'month' }],
    });

    // The app's backend keeps its organisations in step: Acme, three people; Zen, where Cy owns.
    await ok('PUT', '/api/organizations/acme', 'service', {
      name: 'Acme',
      billing_email: 'ap@acme.example',
      auto_add_seats: true,
    });
    await ok('PUT', '/api/organizations/acme/members/ann', 'service', { role: 'owner' });
    await ok('PUT', '/api/organizations/acme/members/bob', 'service', { role: 'billing_admin' });
    await ok('PUT', '/api/organizations/acme/members/cy', 'service', { role: 'member' });
    await ok('PUT', '/api/organizations/zen', 'service', { name: 'Zen', billing_email: 'zen@zen.example' });
    await ok('PUT', '/api/organizations/zen/members/cy', 'service', { role: 'owner' });

    // Acme's customer lives on a test clock, so that its renewal can be reached; Recur finds it
    // by its organisation metadata, as it would after a sync.
    const clock = await h.stripe.testHelpers.testClocks.create({
      frozen_time: Math.floor(Date.now() / 1000),
    });
    const acmeCustomer = await h.stripe.customers.create({
      name: 'Acme',
      email: 'ap@acme.example',
      metadata: { recur_organization_id: 'acme' },
      test_clock: clock.id,
    });
    await settled(h.t);

    // Ann, the owner, buys Team for Acme: one seat for each of the three members.
    await checkout('ann', 'acme', 'team');
    const [teamSub] = (await ok('GET', '/api/me/subscriptions?org=acme', 'ann')).data;
    expect(teamSub).toMatchObject({
      plan_id: team.id,
      organization_id: 'acme',
      customer_id: acmeCustomer.id,
      quantity: 3,
      seat_mode: 'members',
      status: 'active',
    });
    expect((await ok('GET', '/api/me/subscriptions', 'ann')).data).toEqual([]);
    const stripeTeam = await h.stripe.subscriptions.retrieve(teamSub.id);
    const periodEnd = stripeTeam.items.data[0]!.current_period_end;
    await advanceClock(h.stripe, clock.id, stripeTeam.created + 9 * DAY);

    // Bob, a billing admin, sees what a fourth member costs; Dee joins; Stripe bills exactly that.
    const preview = await ok('POST', '/api/organizations/acme/seats/preview', 'bob', { seats: 4 });
    expect(preview).toMatchObject({ paid_seats: 3, used_seats: 3, effective: 'now', currency: 'usd' });
    expect(preview.amount_due_now).toBeGreaterThan(0);
    expect(preview.amount_due_now).toBeLessThan(1000);
    await ok('PUT', '/api/organizations/acme/members/dee', 'service', { role: 'member' });
    expect((await h.stripe.subscriptions.retrieve(teamSub.id)).items.data[0]!.quantity).toBe(4);
    const seatInvoices = (await h.stripe.invoices.list({ subscription: teamSub.id, limit: 100 })).data.filter(
      (i: Stripe.Invoice) => i.billing_reason === 'subscription_update',
    );
    expect(seatInvoices).toHaveLength(1);
    expect(seatInvoices[0]).toMatchObject({ status: 'paid', amount_paid: preview.amount_due_now });

    // Cy is a plain member of Acme: every billing act is refused, and nothing changes.
    const refusals = [
      call('POST', '/api/checkout/sessions', 'cy', { plan_id: 'more_projects', organization_id: 'acme' }),
      call('POST', '/api/portal/sessions', 'cy', { organization_id: 'acme' }),
      call('GET', '/api/me/subscriptions?org=acme', 'cy'),
      call('GET', '/api/me/invoices?org=acme', 'cy'),
      call('POST', `/api/subscriptions/${teamSub.id}/cancel`, 'cy', {}),
      call('POST', `/api/subscriptions/${teamSub.id}/preview-change`, 'cy', { quantity: 9 }),
      call('POST', '/api/organizations/acme/seats/preview', 'cy', { seats: 9 }),
    ];
    for (const refused of await Promise.all(refusals)) {
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json().error.code).toBe('organization_role_forbidden');
    }
    expect((await h.stripe.subscriptions.retrieve(teamSub.id)).cancel_at_period_end).toBe(false);

    // Bob buys the add-on for Acme: every member's projects in Acme's context add up to 35.
    await checkout('bob', 'acme', 'more_projects');
    for (const member of ['ann', 'bob', 'cy', 'dee']) {
      expect(await benefitsOf(member, 'acme'), member).toMatchObject({ projects: 35, sso: true });
    }

    // Cy, in two organisations, sees each one's and, merged, the larger of the two.
    await checkout('cy', 'zen', 'solo');
    expect(await benefitsOf('cy', 'zen')).toEqual({ projects: 3 });
    expect(await benefitsOf('cy', 'acme')).toMatchObject({ projects: 35, sso: true });
    expect(await benefitsOf('cy')).toMatchObject({ projects: 35, sso: true });
    // Dee, in Acme only, has nothing of Zen's; an outsider has nothing.
    expect(await benefitsOf('dee')).toMatchObject({ projects: 35 });
    expect(await benefitsOf('eve')).toEqual({});

    // Cy leaves Acme: the four seats paid for stay until the period ends, the renewal bills three.
    await ok('DELETE', '/api/organizations/acme/members/cy', 'service');
    expect(await benefitsOf('cy')).toEqual({ projects: 3 });
    expect((await h.stripe.subscriptions.retrieve(teamSub.id)).items.data[0]!.quantity).toBe(4);
    await advanceClock(h.stripe, clock.id, periodEnd + HOUR + 60);
    await settled(h.t);
    const renewed = await h.stripe.subscriptions.retrieve(teamSub.id);
    expect(renewed.items.data[0]!.quantity).toBe(3);
    expect(await h.stripe.invoices.retrieve(String(renewed.latest_invoice))).toMatchObject({
      billing_reason: 'subscription_cycle',
      status: 'paid',
      total: 3000,
    });
    const after = await ok('GET', `/api/subscriptions/${teamSub.id}`, 'ann');
    expect(after).toMatchObject({ quantity: 3, scheduled_change: null, status: 'active' });
  });
});
