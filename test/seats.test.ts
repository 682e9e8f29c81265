import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import { organizationPayer } from '../src/organizations/payer.js';
import { seatTermsFor } from '../src/organizations/seat-terms.js';
import { bearer } from './support/app.js';
import { createPlan } from './support/billing.js';
import { billingTestApp } from './support/billing-app.js';
import { advanceClock, DAY, HOUR } from './support/subscriptions.js';
import { settled } from './support/wait.js';

/** Seats: a per-seat plan, an organisation whose members hold the seats, and what each change bills. */
const h = billingTestApp();
let team: { id: string; prices: Array<{ stripe_price_id: string }> };

beforeEach(async () => {
  team = await createPlan(h.t, {
    key: 'team',
    name: 'Team',
    per_seat: true,
    prices: [{ currency: 'usd', unit_amount: 1000, interval: 'month' }],
  });
});

const call = (
  method: 'GET' | 'PUT' | 'DELETE' | 'POST' | 'PATCH',
  url: string,
  payload?: object,
  key?: string,
) =>
  h.t.app.inject({
    method,
    url,
    headers: bearer(key ?? h.t.serviceKey),
    ...(payload === undefined ? {} : { payload }),
  });

interface Team {
  org: string;
  clock: string;
  subscription: Stripe.Subscription;
}

/**
 * An organisation of three members on the per-seat plan, its customer on a test clock, subscribed
 * with the seat mode and quantity Recur decides for an organisation (members, one seat each).
 */
async function teamOfThree(org: string, autoAddSeats: boolean): Promise<Team> {
  expect(
    (await call('PUT', `/api/organizations/${org}`, { name: org, auto_add_seats: autoAddSeats })).statusCode,
  ).toBe(201);
  for (const [user, role] of [
    ['ann', 'owner'],
    ['bob', 'billing_admin'],
    ['cy', 'member'],
  ]) {
    expect((await call('PUT', `/api/organizations/${org}/members/${user}`, { role })).statusCode).toBe(201);
  }
  const terms = await seatTermsFor(h.t.database.db, { perSeat: true }, organizationPayer(org), undefined);
  expect(terms).toMatchObject({ seatMode: 'members', quantity: 3 });
  const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: Math.floor(Date.now() / 1000) });
  const customer = await h.stripe.customers.create({
    name: org,
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
    metadata: { recur_organization_id: org },
    test_clock: clock.id,
  });
  const subscription = await h.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: team.prices[0]!.stripe_price_id, quantity: terms.quantity }],
    metadata: terms.metadata,
  });
  await settled(h.t);
  return { org, clock: clock.id, subscription };
}

const quantityOf = async (team: Team) =>
  (await h.stripe.subscriptions.retrieve(team.subscription.id)).items.data[0]!.quantity;

/** The invoices Stripe made for seat changes (not the first or a renewal), oldest first. */
async function seatInvoices(team: Team): Promise<Stripe.Invoice[]> {
  const all = await h.stripe.invoices.list({ subscription: team.subscription.id, limit: 100 });
  return all.data.filter((i) => i.billing_reason === 'subscription_update').reverse();
}

const view = async (team: Team) => (await call('GET', `/api/subscriptions/${team.subscription.id}`)).json();

describe('seats of an organisation', () => {
  it('charges a fourth member what the preview promised, and bills one seat fewer from the renewal after a removal', async () => {
    const acme = await teamOfThree('acme', true);
    const periodEnd = acme.subscription.items.data[0]!.current_period_end;
    await advanceClock(h.stripe, acme.clock, acme.subscription.created + 10 * DAY);

    const bob = await h.t.userToken('bob');
    const preview = await call('POST', '/api/organizations/acme/seats/preview', { seats: 4 }, bob);
    expect(preview.statusCode, preview.body).toBe(200);
    const promised = preview.json();
    expect(promised).toMatchObject({
      seat_mode: 'members',
      seats: 4,
      paid_seats: 3,
      used_seats: 3,
      effective: 'now',
      currency: 'usd',
      next_invoice: { amount_due: 4000 },
    });
    // A part of a month: more than nothing, less than a whole seat.
    expect(promised.amount_due_now).toBeGreaterThan(0);
    expect(promised.amount_due_now).toBeLessThan(1000);

    const added = await call('PUT', '/api/organizations/acme/members/dee', { role: 'member' });
    expect(added.statusCode, added.body).toBe(201);
    expect(await quantityOf(acme)).toBe(4);
    const [charged, ...more] = await seatInvoices(acme);
    expect(more).toEqual([]);
    expect(charged).toMatchObject({ status: 'paid', amount_paid: promised.amount_due_now, currency: 'usd' });

    // One leaves: the four seats paid for stay until the period ends, the renewal bills three.
    const fewer = (await call('POST', '/api/organizations/acme/seats/preview', { seats: 3 })).json();
    expect(fewer).toMatchObject({
      effective: 'period_end',
      amount_due_now: 0,
      next_invoice: { amount_due: 3000 },
    });
    expect((await call('DELETE', '/api/organizations/acme/members/cy')).statusCode).toBe(200);
    expect(await quantityOf(acme)).toBe(4);
    expect(await view(acme)).toMatchObject({ quantity: 4, scheduled_change: { quantity: 3 } });

    // A seat paid for and free is taken again without a charge, and given up again.
    expect((await call('PUT', '/api/organizations/acme/members/eve', { role: 'member' })).statusCode).toBe(
      201,
    );
    expect(await seatInvoices(acme)).toHaveLength(1);
    expect(await view(acme)).toMatchObject({ quantity: 4, scheduled_change: null });
    const off = await call('PUT', '/api/organizations/acme/members/eve', {
      role: 'member',
      holds_seat: false,
    });
    expect(off.statusCode).toBe(200);
    expect(await view(acme)).toMatchObject({ quantity: 4, scheduled_change: { quantity: 3 } });

    await advanceClock(h.stripe, acme.clock, periodEnd + HOUR + 60);
    await settled(h.t);
    const renewed = await h.stripe.subscriptions.retrieve(acme.subscription.id);
    expect(renewed.items.data[0]!.quantity).toBe(3);
    const renewal = await h.stripe.invoices.retrieve(String(renewed.latest_invoice));
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', status: 'paid', total: 3000 });
    expect(await view(acme)).toMatchObject({ quantity: 3, scheduled_change: null });
  });

  it('refuses a member beyond the seats paid for without auto_add_seats, and changes nothing', async () => {
    const acme = await teamOfThree('acme', false);
    const before = await call('GET', '/api/organizations/acme/members');
    // A member who holds no seat needs none.
    expect(
      (await call('PUT', '/api/organizations/acme/members/dee', { role: 'member', holds_seat: false }))
        .statusCode,
    ).toBe(201);
    for (const attempt of [
      () => call('PUT', '/api/organizations/acme/members/eve', { role: 'member' }),
      () => call('PUT', '/api/organizations/acme/members/dee', { role: 'member', holds_seat: true }),
    ]) {
      const refused = await attempt();
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json().error).toMatchObject({
        code: 'seat_limit_reached',
        details: { seats: 3, used: 3 },
      });
    }
    const members = (await call('GET', '/api/organizations/acme/members')).json().data;
    expect(members.map((m: { user_id: string }) => m.user_id)).toEqual([
      ...before.json().data.map((m: { user_id: string }) => m.user_id),
      'dee',
    ]);
    expect(members.at(-1)).toMatchObject({ user_id: 'dee', holds_seat: false });
    expect(await quantityOf(acme)).toBe(3);
    expect(await seatInvoices(acme)).toEqual([]);
  });

  // Twenty Stripe updates, invoices and payments one after the other: a ceiling above the default
  // for a machine whose other core is busy, not a wait.
  it('ends 20 members added at once with exactly 20 more seats, one proration invoice each', {
    timeout: 150_000,
  }, async () => {
    const acme = await teamOfThree('acme', true);
    await advanceClock(h.stripe, acme.clock, acme.subscription.created + 3 * DAY);
    const users = Array.from({ length: 20 }, (_, i) => `user_${i}`);
    const answers = await Promise.all(
      users.map((user) => call('PUT', `/api/organizations/acme/members/${user}`, { role: 'member' })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(users.map(() => 201));
    expect(await quantityOf(acme)).toBe(23);
    const invoices = await seatInvoices(acme);
    expect(invoices).toHaveLength(20);
    // Each charged one seat: the same prorated amount, give or take the rounding of its two lines.
    const amounts = invoices.map((i) => i.amount_paid);
    expect(Math.max(...amounts) - Math.min(...amounts)).toBeLessThanOrEqual(1);
    expect(invoices.every((i) => i.status === 'paid' && i.amount_paid > 0)).toBe(true);
    await settled(h.t);
    expect(await view(acme)).toMatchObject({ quantity: 23 });
  });

  it('fails a member write Stripe refuses with a 502, leaving the members and the seats as they were', async () => {
    const acme = await teamOfThree('acme', true);
    h.t.emulator.faults.set({
      failNext: [
        {
          method: 'POST',
          path: `/v1/subscriptions/${acme.subscription.id}`,
          count: 1,
          status: 400,
          error: { type: 'invalid_request_error', message: 'Injected refusal' },
        },
      ],
    });
    const refused = await call('PUT', '/api/organizations/acme/members/dee', { role: 'member' });
    h.t.emulator.faults.set({ failNext: [] });
    expect(refused.statusCode, refused.body).toBe(502);
    expect((await call('GET', '/api/organizations/acme/members')).json().data).toHaveLength(3);
    expect(await quantityOf(acme)).toBe(3);
  });

  it('lets only billing roles preview seats, and keeps a members-mode quantity from the change route', async () => {
    const acme = await teamOfThree('acme', true);
    const member = await call(
      'POST',
      '/api/organizations/acme/seats/preview',
      { seats: 4 },
      await h.t.userToken('cy'),
    );
    expect(member.statusCode).toBe(403);
    const stranger = await call(
      'POST',
      '/api/organizations/acme/seats/preview',
      { seats: 4 },
      await h.t.userToken('zed'),
    );
    expect(stranger.statusCode).toBe(404);
    const fewer = await call('POST', '/api/organizations/acme/seats/preview', { seats: 2 });
    expect(fewer.json()).toMatchObject({ effective: 'period_end', next_invoice: { amount_due: 2000 } });
    const change = await call('POST', `/api/subscriptions/${acme.subscription.id}/change`, { quantity: 5 });
    expect(change.statusCode).toBe(409);
    expect(change.json().error.code).toBe('seat_mode_members');
    expect(await quantityOf(acme)).toBe(3);
  });
});

describe('per-seat plans', () => {
  it('shows per_seat, refuses tiered prices, and keeps per_seat while a subscription is live', async () => {
    expect((await call('GET', `/api/plans/${team.id}`)).json().per_seat).toBe(true);
    const tiered = await call(
      'POST',
      '/api/plans',
      {
        key: 'tiered_team',
        name: 'Tiered',
        per_seat: true,
        prices: [
          {
            currency: 'usd',
            interval: 'month',
            tiers_mode: 'volume',
            tiers: [{ up_to: null, unit_amount: 900 }],
          },
        ],
      },
      h.t.adminKey,
    );
    expect(tiered.statusCode).toBe(400);
    expect(tiered.json().error.code).toBe('per_seat_price_tiered');
    const addTiered = await call(
      'POST',
      `/api/plans/${team.id}/prices`,
      {
        currency: 'usd',
        interval: 'year',
        tiers_mode: 'volume',
        tiers: [{ up_to: null, unit_amount: 9000 }],
      },
      h.t.adminKey,
    );
    expect(addTiered.json().error?.code).toBe('per_seat_price_tiered');

    await teamOfThree('acme', false);
    const flip = await call('PATCH', `/api/plans/${team.id}`, { per_seat: false }, h.t.adminKey);
    expect(flip.statusCode).toBe(409);
    expect(flip.json().error.code).toBe('plan_has_subscriptions');
    expect((await call('GET', `/api/plans/${team.id}`)).json().per_seat).toBe(true);
  });
});
