import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { bearer } from './support/app.js';
import {
  emitTestApp,
  entitlementsAnswer,
  expectSequencesPerSubject,
  ofType,
  storedMessages,
} from './support/app-webhook-messages.js';
import { createPlan } from './support/billing.js';
import { settled } from './support/wait.js';

/**
 * Messages about an organisation's billing name it (`organization_id`), and
 * `entitlements.updated` for everyone an organisation's billing reaches: each member when its
 * subscriptions change, and a member who joins or leaves, each in the transaction of the change.
 */
const h = emitTestApp();

const call = (method: 'PUT' | 'DELETE', url: string, payload?: object) =>
  h.t.app.inject({
    method,
    url,
    headers: bearer(h.t.serviceKey),
    ...(payload === undefined ? {} : { payload }),
  });

/** The entitlement messages about each user, in order, with the endpoint's deliveries of each. */
async function toldTo(user: string) {
  const messages = ofType(await storedMessages(h.t), 'entitlements.updated').filter(
    (m) => m.subject === `user:${user}`,
  );
  return messages.map((m) => m.data);
}

describe('entitlement messages for organisations', () => {
  it('tell every member of a change to the organisation’s subscriptions, and a member who joins or leaves', async () => {
    const team = await createPlan(h.t, { key: 'team', benefits: [{ key: 'seats', value: 5 }] });
    const extra = await h.t.app.inject({
      method: 'POST',
      url: '/api/plans',
      headers: bearer(h.t.adminKey),
      payload: {
        key: 'extra_seats',
        name: 'Extra seats',
        kind: 'add_on',
        requires_plans: ['team'],
        benefits: [{ key: 'seats', value: 5 }],
        prices: [{ currency: 'usd', unit_amount: 900, interval: 'month' }],
      },
    });
    expect(extra.statusCode, extra.body).toBe(201);
    expect((await call('PUT', '/api/organizations/org_acme', { name: 'Acme' })).statusCode).toBe(201);
    for (const user of ['u_a', 'u_b'])
      expect(
        (await call('PUT', `/api/organizations/org_acme/members/${user}`, { role: 'member' })).statusCode,
      ).toBe(201);
    // Joining an organisation that pays for nothing changes nothing, and says nothing.
    expect(await toldTo('u_a')).toEqual([]);

    const customer = await h.stripe.customers.create({
      name: 'Acme',
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
      metadata: { recur_organization_id: 'org_acme' },
    });
    const base = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: team.prices[0]!.stripe_price_id }],
    });
    await settled(h.t);
    for (const user of ['u_a', 'u_b']) {
      const [granted, ...more] = await toldTo(user);
      expect(more, user).toEqual([]);
      expect(granted!.changes).toEqual({ added: ['seats'], removed: [], changed: [] });
      expect(granted!.entitlements.benefits).toEqual({ seats: 5 });
      expect(granted!.entitlements.sources).toEqual({ seats: 'org_acme' });
    }

    // An add-on of two packs: every member's seats go to 15.
    await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: extra.json().prices[0].stripe_price_id, quantity: 2 }],
    });
    await settled(h.t);
    for (const user of ['u_a', 'u_b']) {
      const told = await toldTo(user);
      expect(told, user).toHaveLength(2);
      expect(told[1]!.changes).toEqual({ added: [], removed: [], changed: ['seats'] });
      expect(told[1]!.entitlements).toEqual(await entitlementsAnswer(h.t, user));
      expect(told[1]!.entitlements.benefits).toEqual({ seats: 15 });
    }

    // A member joins: told what they now have; the others hear nothing. A new role changes nothing.
    expect(
      (await call('PUT', '/api/organizations/org_acme/members/u_c', { role: 'member' })).statusCode,
    ).toBe(201);
    expect((await call('PUT', '/api/organizations/org_acme/members/u_c', { role: 'owner' })).statusCode).toBe(
      200,
    );
    const joined = await toldTo('u_c');
    expect(joined).toHaveLength(1);
    expect(joined[0]!.changes).toEqual({ added: ['seats'], removed: [], changed: [] });
    expect(joined[0]!.entitlements).toEqual(await entitlementsAnswer(h.t, 'u_c'));
    expect(await toldTo('u_a')).toHaveLength(2);

    // A member leaves: told that the organisation's benefits are gone.
    expect((await call('DELETE', '/api/organizations/org_acme/members/u_b')).statusCode).toBe(200);
    const left = await toldTo('u_b');
    expect(left).toHaveLength(3);
    expect(left[2]!.changes).toEqual({ added: [], removed: ['seats'], changed: [] });
    expect(left[2]!.entitlements).toEqual({
      benefits: {},
      sources: {},
      subscriptions: [],
      purchases: [],
      usage: {},
    });

    // The base plan ends, and the add-on that requires it with it: the remaining members are told
    // (as each end is applied, in whichever order), not the one who left.
    const before = { u_a: (await toldTo('u_a')).length, u_c: (await toldTo('u_c')).length };
    await h.stripe.subscriptions.cancel(base.id);
    await settled(h.t);
    for (const user of ['u_a', 'u_c'] as const) {
      const told = await toldTo(user);
      expect(told.length, user).toBeGreaterThan(before[user]);
      const last = told.at(-1)!;
      expect(last.changes.removed, user).toEqual(['seats']);
      expect(last.entitlements).toEqual(await entitlementsAnswer(h.t, user));
      expect(last.entitlements.benefits).toEqual({});
    }
    expect(await toldTo('u_b')).toHaveLength(3);

    // Each message is delivered to the endpoint, once.
    const messages = await storedMessages(h.t);
    expectSequencesPerSubject(messages);
    const [undelivered] = await queryRows<{ n: number }>(
      h.t.database.db,
      sql`select count(*)::int as n from app_webhook_messages m
          where m.type = 'entitlements.updated'
            and (select count(*) from app_webhook_deliveries d where d.message_id = m.id) <> 1`,
    );
    expect(undelivered!.n).toBe(0);
  });

  it('name the organisation that pays beside user_id, and a user who pays without one', async () => {
    const team = await createPlan(h.t, { key: 'team' });
    expect((await call('PUT', '/api/organizations/org_pay', { name: 'Pay' })).statusCode).toBe(201);
    const payers: Array<{ metadata: Record<string, string>; want: object }> = [
      { metadata: { recur_organization_id: 'org_pay' }, want: { user_id: null, organization_id: 'org_pay' } },
      { metadata: { recur_user_id: 'u_pay' }, want: { user_id: 'u_pay', organization_id: null } },
    ];
    const subscribed: string[] = [];
    for (const { metadata } of payers) {
      const customer = await h.stripe.customers.create({
        name: 'Payer',
        payment_method: 'pm_card_visa',
        invoice_settings: { default_payment_method: 'pm_card_visa' },
        metadata,
      });
      const sub = await h.stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: team.prices[0]!.stripe_price_id }],
      });
      subscribed.push(sub.id);
    }
    await settled(h.t);
    const messages = await storedMessages(h.t);
    for (const [i, { want }] of payers.entries()) {
      const created = ofType(messages, 'subscription.created').filter(
        (m) => m.data.subscription.id === subscribed[i],
      );
      expect(created).toHaveLength(1);
      expect(created[0]!.data).toMatchObject(want);
      const paid = ofType(messages, 'invoice.paid').filter(
        (m) => m.data.invoice.subscription_id === subscribed[i],
      );
      expect(paid).toHaveLength(1);
      expect(paid[0]!.data).toMatchObject(want);
    }
  });
});
