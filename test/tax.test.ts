import { sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { createStripeClient } from '../src/stripe/index.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { createPlan } from './support/billing.js';
import { revenueRecomputed, revenueRollup } from './support/rollup-checks.js';
import { settled } from './support/wait.js';

/**
 * Stripe Tax through the real app against the emulator (its test rate table: DE 19 %): the
 * setting refused where Stripe would refuse it, Checkout collecting the address, the tax on the
 * subscription's invoices, mirrored per invoice, and the revenue report net of tax with tax apart.
 */
let t: TestApp;
let stripe: Stripe;

beforeAll(async () => {
  t = await startTestApp(
    { RECUR_APP_URL: 'https://app.example.com/billing' },
    { webhooks: true, worker: true },
  );
  stripe = createStripeClient({ secretKey: 'sk_test_tax', apiBase: t.emulator.url });
});
afterAll(() => t.close());
beforeEach(() => t.reset());

const admin = (method: 'GET' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: bearer(t.adminKey), ...(payload && { payload }) });

async function asUser(userId: string, method: 'GET' | 'POST', url: string, payload?: object) {
  const token = await t.userToken(userId, { email: `${userId}@example.com` });
  return t.app.inject({ method, url, headers: bearer(token), ...(payload && { payload }) });
}

const activateStripeTax = (defaults?: { tax_behavior: 'exclusive' | 'inclusive' }) =>
  stripe.tax.settings.update({
    head_office: { address: { country: 'US', state: 'CA', postal_code: '94103' } },
    ...(defaults && { defaults }),
  });

const proPlan = () =>
  createPlan(t, {
    key: 'pro',
    prices: [
      { currency: 'eur', unit_amount: 2000, interval: 'month' },
      { currency: 'eur', unit_amount: 20000, interval: 'year' },
    ],
  });

/** Checks out on the hosted page with a German address, as a browser's form post would. */
async function checkoutInGermany(userId: string, body: object) {
  const res = await asUser(userId, 'POST', '/api/checkout/sessions', body);
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  const paid = await fetch(`${t.emulator.url}/c/pay/${id}`, {
    method: 'POST',
    body: new URLSearchParams({
      card: 'visa',
      line1: 'Unter den Linden 1',
      city: 'Berlin',
      postal_code: '10117',
      country: 'DE',
      tax_id: 'DE123456789',
    }),
    redirect: 'manual',
  });
  expect(paid.status, await paid.text()).toBe(303);
  await settled(t);
  return stripe.checkout.sessions.retrieve(id);
}

/** The revenue report's months, and the same figures summed straight from the mirrored invoices. */
async function revenueAgainstInvoices() {
  const report = await admin('GET', '/api/reports/revenue?from=2020-01&to=2029-12');
  expect(report.statusCode, report.body).toBe(200);
  const sums = await queryRows<{ invoiced: number; tax: number; collected: number; collected_tax: number }>(
    t.database.db,
    sql`select coalesce(sum(total) filter (where status in ('open', 'paid', 'uncollectible')), 0)::int as invoiced,
               coalesce(sum(tax) filter (where status in ('open', 'paid', 'uncollectible')), 0)::int as tax,
               coalesce(sum(amount_paid) filter (where status = 'paid'), 0)::int as collected,
               coalesce(sum(tax) filter (where status = 'paid'), 0)::int as collected_tax
        from invoices`,
  );
  const months = report.json().months as Array<Record<string, number>>;
  const total = (field: string) => months.reduce((n, m) => n + (m[field] ?? 0), 0);
  return { total, fromInvoices: sums[0]! };
}

describe('turning Stripe Tax on', () => {
  it('is refused while Stripe Tax is not active, saying why, and changes nothing', async () => {
    await proPlan();
    const res = await admin('PUT', '/api/admin/settings', { tax_enabled: true });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('tax_not_ready');
    expect(res.json().error.message).toContain('Stripe Tax is not active');
    expect(res.json().error.message).toContain('head_office');
    expect((await admin('GET', '/api/admin/settings')).json().tax_enabled).toBe(false);
    // Nor is a switch sent beside it applied.
    const both = await admin('PUT', '/api/admin/settings', { tax_enabled: true, cache_enabled: false });
    expect(both.statusCode).toBe(409);
    expect((await admin('GET', '/api/admin/settings')).json()).toMatchObject({
      tax_enabled: false,
      cache_enabled: true,
    });
  });

  it('is refused while a price on sale has no tax behaviour and the account no default', async () => {
    const plan = await proPlan();
    await activateStripeTax();
    const res = await admin('PUT', '/api/admin/settings', { tax_enabled: true });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.details.reasons).toEqual([
      expect.stringContaining(plan.prices[0]!.stripe_price_id),
    ]);
    expect((await admin('GET', '/api/admin/settings')).json().tax_enabled).toBe(false);

    await stripe.tax.settings.update({ defaults: { tax_behavior: 'exclusive' } });
    const on = await admin('PUT', '/api/admin/settings', { tax_enabled: true });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json().tax_enabled).toBe(true);
  });
});

describe('with Stripe Tax on', () => {
  it('refuses a new price Stripe could not tax (no tax behaviour, no account default) before it reaches Stripe', async () => {
    // No price on sale yet, so tax turns on without a default tax behaviour on the account.
    await activateStripeTax();
    expect((await admin('PUT', '/api/admin/settings', { tax_enabled: true })).statusCode).toBe(200);

    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/plans',
      headers: bearer(t.adminKey),
      payload: {
        key: 'pro',
        name: 'Pro',
        prices: [{ currency: 'eur', unit_amount: 2000, interval: 'month' }],
      },
    });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'tax_not_ready',
      message: expect.stringContaining('default tax behavior'),
    });
    expect((await stripe.products.list()).data).toEqual([]);
    expect((await admin('GET', '/api/plans')).json().data).toEqual([]);

    await stripe.tax.settings.update({ defaults: { tax_behavior: 'exclusive' } });
    const plan = await proPlan();
    expect(plan.prices).toHaveLength(2);
  });

  it('taxes the Checkout subscription’s invoices at the table’s rate, mirrors the tax and reports revenue net of it', async () => {
    const plan = await proPlan();
    await activateStripeTax({ tax_behavior: 'exclusive' });
    expect((await admin('PUT', '/api/admin/settings', { tax_enabled: true })).statusCode).toBe(200);

    const session = await checkoutInGermany('user_tax', { plan_id: 'pro' });
    expect(session).toMatchObject({
      automatic_tax: { enabled: true, status: 'complete' },
      billing_address_collection: 'required',
      amount_total: 2380,
      total_details: { amount_tax: 380 },
      customer_details: { address: { country: 'DE' }, tax_ids: [{ type: 'eu_vat', value: 'DE123456789' }] },
    });
    const subscription = await stripe.subscriptions.retrieve(String(session.subscription));
    expect(subscription.automatic_tax.enabled).toBe(true);
    const first = await stripe.invoices.retrieve(String(subscription.latest_invoice));
    expect(first).toMatchObject({ total: 2380, total_excluding_tax: 2000, amount_paid: 2380 });

    // The mirror holds the tax per invoice; the API and the user's billing page show it.
    const [row] = await queryRows<{ id: string; total: number; tax: number }>(
      t.database.db,
      sql`select id, total, tax from invoices`,
    );
    expect(row).toEqual({ id: first.id, total: 2380, tax: 380 });
    const listed = await admin('GET' as 'GET', `/api/invoices/${first.id}`);
    expect(listed.json()).toMatchObject({ total: 2380, tax: 380, total_excluding_tax: 2000 });
    const mine = await asUser('user_tax', 'GET', '/api/me/invoices');
    expect(mine.json().data[0]).toMatchObject({ tax: 380, total_excluding_tax: 2000 });

    // An upgrade is taxed too: its preview says so, and the proration invoice carries the table's tax.
    const preview = await t.app.inject({
      method: 'POST',
      url: `/api/subscriptions/${subscription.id}/preview-change`,
      headers: bearer(t.adminKey),
      payload: { plan_id: plan.id, interval: 'year' },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const upgrade = await t.app.inject({
      method: 'POST',
      url: `/api/subscriptions/${subscription.id}/change`,
      headers: bearer(t.adminKey),
      payload: { plan_id: plan.id, interval: 'year' },
    });
    expect(upgrade.statusCode, upgrade.body).toBe(200);
    await settled(t);
    const proration = await stripe.invoices.retrieve(upgrade.json().invoice_id);
    expect(proration.automatic_tax).toMatchObject({ enabled: true, status: 'complete' });
    // Tax on the new price less tax on the credit for the unused month, each rounded.
    const [credit, charge] = proration.lines.data.map((l) => l.amount).sort((a, b) => a - b);
    const tax = Math.round(charge! * 0.19) - Math.round(-credit! * 0.19);
    expect(proration.total_taxes).toEqual([expect.objectContaining({ amount: tax })]);
    expect(proration.total).toBe(proration.total_excluding_tax! + tax);
    expect(preview.json().amount_due_now).toBe(proration.amount_due);

    // The report: gross, net and tax apart, equal to the sums of the mirrored invoices.
    const { total, fromInvoices } = await revenueAgainstInvoices();
    expect(fromInvoices.tax).toBe(380 + tax);
    expect(total('invoiced')).toBe(fromInvoices.invoiced);
    expect(total('invoiced_tax')).toBe(fromInvoices.tax);
    expect(total('invoiced_net')).toBe(fromInvoices.invoiced - fromInvoices.tax);
    expect(total('collected')).toBe(fromInvoices.collected);
    expect(total('collected_tax')).toBe(fromInvoices.collected_tax);
    expect(total('collected_net')).toBe(fromInvoices.collected - fromInvoices.collected_tax);
    expect(await revenueRollup(t.database.db)).toEqual(await revenueRecomputed(t.database.db));
  });

  it('refuses a subscription for a customer Stripe has no location for, with a clear 409', async () => {
    await proPlan();
    await activateStripeTax({ tax_behavior: 'exclusive' });
    expect((await admin('PUT', '/api/admin/settings', { tax_enabled: true })).statusCode).toBe(200);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      headers: bearer(t.serviceKey),
      payload: { customer_email: 'nowhere@example.com', plan_id: 'pro' },
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('customer_location_required');
    expect((await stripe.subscriptions.list({ status: 'all' })).data).toHaveLength(0);
  });
});

describe('turning Stripe Tax on for subscriptions made without it', () => {
  it('refuses a plan change, and its preview, for a customer with no address: 409 and nothing changed', async () => {
    const plan = await proPlan();
    await activateStripeTax({ tax_behavior: 'exclusive' });
    // Read fresh: the service's copy of the settings may still hold the last test's for a few seconds.
    expect((await admin('GET', '/api/admin/settings')).json().tax_enabled).toBe(false);
    const res = await asUser('user_before', 'POST', '/api/checkout/sessions', { plan_id: 'pro' });
    const paid = await fetch(`${t.emulator.url}/c/pay/${res.json().id}`, {
      method: 'POST',
      body: new URLSearchParams({ card: 'visa' }),
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    await settled(t);
    const [subscription] = (await stripe.subscriptions.list()).data;
    expect(subscription!.automatic_tax.enabled).toBe(false);
    expect((await admin('PUT', '/api/admin/settings', { tax_enabled: true })).statusCode).toBe(200);

    const change = { plan_id: plan.id, interval: 'year' };
    for (const path of ['preview-change', 'change']) {
      const refused = await t.app.inject({
        method: 'POST',
        url: `/api/subscriptions/${subscription!.id}/${path}`,
        headers: bearer(t.adminKey),
        payload: change,
      });
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json().error.code).toBe('customer_location_required');
    }
    const after = await stripe.subscriptions.retrieve(subscription!.id);
    expect(after.items.data[0]!.price.id).toBe(subscription!.items.data[0]!.price.id);
    expect((await stripe.invoices.list()).data).toHaveLength(1);
  });
});

describe('with Stripe Tax off', () => {
  it('changes nothing: no address asked, no tax, the report’s tax is zero', async () => {
    await proPlan();
    await activateStripeTax({ tax_behavior: 'exclusive' });
    expect((await admin('GET', '/api/admin/settings')).json().tax_enabled).toBe(false);
    const res = await asUser('user_plain', 'POST', '/api/checkout/sessions', { plan_id: 'pro' });
    const session = await stripe.checkout.sessions.retrieve(res.json().id);
    expect(session).toMatchObject({
      automatic_tax: { enabled: false, status: null },
      billing_address_collection: null,
      amount_total: 2000,
    });
    expect(session.tax_id_collection).toBeUndefined();
    const page = await (await fetch(session.url!)).text();
    expect(page).not.toContain('Billing address');
    const paid = await fetch(session.url!, {
      method: 'POST',
      body: new URLSearchParams({ card: 'visa' }),
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    await settled(t);
    const [row] = await queryRows<{ total: number; tax: number }>(
      t.database.db,
      sql`select total, tax from invoices`,
    );
    expect(row).toEqual({ total: 2000, tax: 0 });
    const { total } = await revenueAgainstInvoices();
    expect([total('invoiced'), total('invoiced_tax'), total('invoiced_net')]).toEqual([2000, 0, 2000]);
  });
});
