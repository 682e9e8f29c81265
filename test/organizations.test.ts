import { sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { createStripeClient } from '../src/stripe/index.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { createPlan } from './support/billing.js';
import { settled } from './support/wait.js';

/** Organisations: kept in step by the host app, billed through one Stripe customer each. */
let t: TestApp;
let stripe: Stripe;

beforeAll(async () => {
  t = await startTestApp({}, { webhooks: true, worker: true });
  stripe = createStripeClient({ secretKey: 'sk_test_organizations', apiBase: t.emulator.url });
});
afterAll(() => t.close());
beforeEach(() => t.reset());

const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object, key = t.serviceKey) =>
  t.app.inject({ method, url, headers: bearer(key), ...(payload === undefined ? {} : { payload }) });

const acme = {
  name: 'Acme Rockets',
  billing_email: 'Billing@Acme.Example',
  invoice_footer: 'Acme Rockets Ltd, 1 Launch Pad, Mojave',
  invoice_custom_fields: [{ name: 'PO number', value: 'PO-7781' }],
};

describe('organisations over the API', () => {
  it('creates with 201, updates with 200, and keeps name and billing email sealed', async () => {
    const created = await call('PUT', '/api/organizations/org_acme', acme);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      id: 'org_acme',
      name: 'Acme Rockets',
      billing_email: 'billing@acme.example',
      auto_add_seats: false,
      invoice_custom_fields: [{ name: 'PO number', value: 'PO-7781' }],
      customer_id: null,
      member_count: 0,
    });
    const updated = await call('PUT', '/api/organizations/org_acme', {
      name: 'Acme Rockets Inc',
      auto_add_seats: true,
    });
    expect(updated.statusCode).toBe(200);
    // What the update left out stays as it was.
    expect(updated.json()).toMatchObject({
      name: 'Acme Rockets Inc',
      billing_email: 'billing@acme.example',
      auto_add_seats: true,
      invoice_footer: acme.invoice_footer,
    });
    const [row] = await queryRows<Record<string, string>>(
      t.database.db,
      sql`select name_encrypted, billing_email_encrypted from organizations where id = 'org_acme'`,
    );
    expect(JSON.stringify(row)).not.toMatch(/acme/i);
    expect((await call('GET', '/api/organizations/org_acme')).json().name).toBe('Acme Rockets Inc');
  });

  it('refuses bad input with a 400 and changes nothing', async () => {
    const bad = [
      { ...acme, billing_email: 'not an email' },
      { ...acme, name: '' },
      {
        ...acme,
        invoice_custom_fields: Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, value: 'v' })),
      },
      { ...acme, invoice_custom_fields: [{ name: 'x'.repeat(41), value: 'v' }] },
      { ...acme, colour: 'red' },
    ];
    for (const payload of bad) {
      const response = await call('PUT', '/api/organizations/org_bad', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await call('GET', '/api/organizations/org_bad')).statusCode).toBe(404);
  });

  it('is kept by API keys only: a user token is refused', async () => {
    const token = await t.userToken('user_sneaky');
    expect((await call('PUT', '/api/organizations/org_acme', acme, token)).statusCode).toBe(403);
    expect((await call('GET', '/api/organizations/org_acme', undefined, token)).statusCode).toBe(403);
  });

  it('adds, changes and removes members, and tells a user their organisations', async () => {
    await call('PUT', '/api/organizations/org_acme', acme);
    await call('PUT', '/api/organizations/org_zen', { name: 'Zen Garden' });
    expect(
      (await call('PUT', '/api/organizations/org_acme/members/u_ann', { role: 'owner' })).statusCode,
    ).toBe(201);
    expect(
      (await call('PUT', '/api/organizations/org_acme/members/u_bob', { role: 'member' })).statusCode,
    ).toBe(201);
    const changed = await call('PUT', '/api/organizations/org_acme/members/u_bob', {
      role: 'billing_admin',
      holds_seat: false,
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ user_id: 'u_bob', role: 'billing_admin', holds_seat: false });
    await call('PUT', '/api/organizations/org_zen/members/u_bob', { role: 'member' });

    const members = (await call('GET', '/api/organizations/org_acme/members')).json().data;
    expect(members.map((m: { user_id: string; role: string }) => [m.user_id, m.role])).toEqual([
      ['u_ann', 'owner'],
      ['u_bob', 'billing_admin'],
    ]);
    const bob = await t.userToken('u_bob');
    const mine = await t.app.inject({ method: 'GET', url: '/api/me/organizations', headers: bearer(bob) });
    expect(mine.json().data).toEqual([
      { id: 'org_acme', name: 'Acme Rockets', role: 'billing_admin' },
      { id: 'org_zen', name: 'Zen Garden', role: 'member' },
    ]);

    expect((await call('DELETE', '/api/organizations/org_acme/members/u_bob')).statusCode).toBe(200);
    expect((await call('DELETE', '/api/organizations/org_acme/members/u_bob')).statusCode).toBe(404);
    expect(
      (await call('PUT', '/api/organizations/org_nowhere/members/u_bob', { role: 'owner' })).statusCode,
    ).toBe(404);
    expect((await call('PUT', '/api/organizations/org_acme/members/u_cy', { role: 'boss' })).statusCode).toBe(
      400,
    );
    expect((await call('GET', '/api/organizations/org_acme')).json().member_count).toBe(1);
  });
});

describe('the organisation’s Stripe customer', () => {
  it('is made once for 20 concurrent first needs, with the organisation’s name, email and invoice fields', async () => {
    await call('PUT', '/api/organizations/org_acme', acme);
    const made = await Promise.all(
      Array.from({ length: 20 }, () => t.services.organizations.customerOf('org_acme')),
    );
    await settled(t);
    const inStripe = (await stripe.customers.list({ limit: 100 })).data;
    expect(inStripe).toHaveLength(1);
    expect(inStripe[0]).toMatchObject({
      name: 'Acme Rockets',
      email: 'billing@acme.example',
      metadata: { recur_organization_id: 'org_acme' },
      invoice_settings: { footer: acme.invoice_footer, custom_fields: acme.invoice_custom_fields },
    });
    expect(new Set(made.map((c) => c.id))).toEqual(new Set([inStripe[0]!.id]));
    const view = (await call('GET', '/api/organizations/org_acme')).json();
    expect(view.customer_id).toBe(inStripe[0]!.id);
    const customer = await t.app.inject({
      method: 'GET',
      url: `/api/customers/${view.customer_id}`,
      headers: bearer(t.adminKey),
    });
    expect(customer.json()).toMatchObject({ organization_id: 'org_acme', external_id: null });
  });

  it('follows the organisation’s changes of name, billing email and invoice fields', async () => {
    await call('PUT', '/api/organizations/org_acme', acme);
    const customer = await t.services.organizations.customerOf('org_acme');
    await call('PUT', '/api/organizations/org_acme', {
      name: 'Acme Aerospace',
      billing_email: 'ap@acme.example',
      invoice_footer: null,
      invoice_custom_fields: [{ name: 'VAT', value: 'GB123456789' }],
    });
    expect(await stripe.customers.retrieve(customer.id)).toMatchObject({
      name: 'Acme Aerospace',
      email: 'ap@acme.example',
      invoice_settings: { footer: null, custom_fields: [{ name: 'VAT', value: 'GB123456789' }] },
    });
  });
});

describe('deleting an organisation', () => {
  it('is refused while a subscription has not ended, and removes the members once it has', async () => {
    const plan = await createPlan(t, { key: 'team' });
    await call('PUT', '/api/organizations/org_acme', acme);
    await call('PUT', '/api/organizations/org_acme/members/u_ann', { role: 'owner' });
    const customer = await t.services.organizations.customerOf('org_acme');
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plan.prices[0]!.stripe_price_id }],
      payment_behavior: 'default_incomplete',
    });
    await settled(t);
    const refused = await call('DELETE', '/api/organizations/org_acme');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'organization_has_live_subscription',
      details: { subscription_id: subscription.id },
    });
    await stripe.subscriptions.cancel(subscription.id);
    await settled(t);
    expect((await call('DELETE', '/api/organizations/org_acme')).json()).toEqual({
      id: 'org_acme',
      deleted: true,
    });
    expect((await call('GET', '/api/organizations/org_acme')).statusCode).toBe(404);
    const [left] = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from organization_members where organization_id = 'org_acme'`,
    );
    expect(left!.n).toBe(0);
    // Its customer and history stay.
    expect((await stripe.customers.retrieve(customer.id)).deleted).toBeUndefined();
  });
});
