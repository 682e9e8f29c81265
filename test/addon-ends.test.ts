import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { bearer } from './support/app.js';
import { createPlan } from './support/billing.js';
import { billingTestApp } from './support/billing-app.js';
import { settled } from './support/wait.js';

/** An add-on that requires a base plan ends with it; one that requires nothing is left alone. */
const h = billingTestApp();

const admin = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  h.t.app.inject({ method, url, headers: bearer(h.t.adminKey), ...(payload ? { payload } : {}) });

async function addOn(key: string, requires: string[], benefit: string) {
  const res = await admin('POST', '/api/plans', {
    key,
    name: key,
    kind: 'add_on',
    requires_plans: requires,
    benefits: [{ key: benefit, value: true }],
    prices: [{ currency: 'usd', unit_amount: 400, interval: 'month' }],
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { prices: Array<{ stripe_price_id: string }> }).prices[0]!.stripe_price_id;
}

async function benefits(userId: string) {
  const res = await h.t.app.inject({
    method: 'GET',
    url: '/api/me/entitlements?org=org_lab',
    headers: bearer(await h.t.userToken(userId)),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().benefits;
}

/** The add-on's rows in the audit trail, oldest first. */
const audited = (id: string) =>
  queryRows<{ action: string; actor_type: string; cause: string | null }>(
    h.t.database.db,
    sql`select action, actor_type, cause from audit_log where object_id = ${id} order by seq`,
  );

describe('add-ons end with their base', () => {
  it('follows the base’s end at the period end and its resumption, is cancelled when the base ends, once, whatever is replayed', async () => {
    const team = await createPlan(h.t, { key: 'team', benefits: [{ key: 'sso', value: true }] });
    const sandboxPrice = await addOn('sandbox', ['team'], 'sandbox');
    const archivePrice = await addOn('archive', [], 'archive');
    expect((await admin('PUT', '/api/organizations/org_lab', { name: 'Lab' })).statusCode).toBe(201);
    expect(
      (await admin('PUT', '/api/organizations/org_lab/members/u_lee', { role: 'member' })).statusCode,
    ).toBe(201);
    const customer = await h.stripe.customers.create({
      name: 'Lab',
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
      metadata: { recur_organization_id: 'org_lab' },
    });
    const subscribe = (price: string) =>
      h.stripe.subscriptions.create({ customer: customer.id, items: [{ price }] });
    const base = await subscribe(team.prices[0]!.stripe_price_id);
    await settled(h.t);
    const sandbox = await subscribe(sandboxPrice);
    const archive = await subscribe(archivePrice);
    await settled(h.t);
    expect(await benefits('u_lee')).toEqual({ sso: true, sandbox: true, archive: true });

    // The base set to end at its period end: the add-on that requires it ends then too.
    const ending = await h.stripe.subscriptions.update(base.id, { cancel_at_period_end: true });
    await settled(h.t);
    expect(ending.cancel_at).not.toBeNull();
    expect(await h.stripe.subscriptions.retrieve(sandbox.id)).toMatchObject({
      status: 'active',
      cancel_at: ending.cancel_at,
      metadata: { recur_ends_with: base.id },
    });
    expect((await h.stripe.subscriptions.retrieve(archive.id)).cancel_at).toBeNull();
    // Resumed, the base takes the add-on's end back with it.
    await h.stripe.subscriptions.update(base.id, { cancel_at_period_end: false });
    await settled(h.t);
    const resumed = await h.stripe.subscriptions.retrieve(sandbox.id);
    expect(resumed.cancel_at).toBeNull();
    expect(resumed.metadata).not.toHaveProperty('recur_ends_with');

    // The base cancelled now: the add-on is cancelled at once, without a credit; its benefit goes.
    await h.stripe.subscriptions.cancel(base.id);
    await settled(h.t);
    expect(await h.stripe.subscriptions.retrieve(sandbox.id)).toMatchObject({
      status: 'canceled',
      cancellation_details: { comment: `base subscription ${base.id} ended` },
    });
    expect((await h.stripe.subscriptions.retrieve(archive.id)).status).toBe('active');
    expect(await benefits('u_lee')).toEqual({ archive: true });
    const credits = await h.stripe.invoices.list({ subscription: sandbox.id });
    expect(credits.data.every((invoice) => invoice.total >= 0)).toBe(true);
    const cause = `base_subscription:${base.id}`;
    const trail = [
      { action: 'subscription.cancel_at', actor_type: 'system', cause },
      { action: 'subscription.resume', actor_type: 'system', cause },
      { action: 'subscription.cancel', actor_type: 'system', cause },
    ];
    expect(await audited(sandbox.id)).toEqual(trail);
    expect(await audited(archive.id)).toEqual([]);

    // Every event processed again: nothing more is asked of Stripe, nothing more is recorded.
    const emitted = h.t.emitted.count;
    const replay = await admin('POST', '/api/admin/events/replay', { status: 'processed' });
    expect(replay.statusCode, replay.body).toBe(202);
    expect(replay.json().replayed).toBeGreaterThan(5);
    await settled(h.t);
    expect(h.t.emitted.count).toBe(emitted);
    expect(await audited(sandbox.id)).toEqual(trail);
    expect(await benefits('u_lee')).toEqual({ archive: true });
  });
});
