import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { resealWithCurrentKey } from '../src/security/reseal.js';
import { bearer } from './support/app.js';
import { billingTestApp, customerWithCard, monthlyPrice } from './support/billing-app.js';
import { settled } from './support/wait.js';

/** The console's customer page (one customer whole) and its global search. */
const h = billingTestApp();

const get = (url: string, key = h.t.adminKey) => h.t.app.inject({ method: 'GET', url, headers: bearer(key) });
const search = async (q: string) => {
  const res = await get(`/api/admin/search?q=${encodeURIComponent(q)}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data as Array<{ kind: string; id: string; matched: string; customer_id: string | null }>;
};

/** Ann (a $29 plan, one invoice refunded in part) and Bob (a $49 plan), both paying. */
async function twoCustomers() {
  const payer = async (userId: string, name: string, amount: number) => {
    const customer = await customerWithCard(h.stripe, { userId, name });
    const price = await monthlyPrice(h.stripe, amount);
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    const [charge] = (await h.stripe.charges.list({ customer: customer.id })).data;
    return { customer, subscription, invoiceId: subscription.latest_invoice as string, charge: charge! };
  };
  const ann = await payer('user_ann', 'Ann Lee', 2900);
  const bob = await payer('user_bob', 'Bob Stone', 4900);
  const refund = await h.stripe.refunds.create({ charge: ann.charge.id, amount: 500 });
  await settled(h.t);
  return { ann, bob, refund };
}

describe('GET /api/admin/customers/:id/overview', () => {
  it('shows one customer whole, and nothing of another customer', async () => {
    const { ann, bob, refund } = await twoCustomers();
    const res = await get(`/api/admin/customers/${ann.customer.id}/overview`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.customer).toMatchObject({
      id: ann.customer.id,
      name: 'Ann Lee',
      email: 'user_ann@example.com',
      external_id: 'user_ann',
    });
    expect(body.subscriptions.map((s: { id: string }) => s.id)).toEqual([ann.subscription.id]);
    expect(body.invoices.map((i: { id: string; total: number }) => [i.id, i.total])).toEqual([
      [ann.invoiceId, 2900],
    ]);
    expect(
      body.payments.map((p: { id: string; amount: number; amount_refunded: number }) => [
        p.id,
        p.amount,
        p.amount_refunded,
      ]),
    ).toEqual([[ann.charge.id, 2900, 500]]);
    // Refunded by charge in Stripe, the refund still names the invoice its payment paid.
    expect(
      body.refunds.map((r: { id: string; amount: number; invoice_id: string | null }) => [
        r.id,
        r.amount,
        r.invoice_id,
      ]),
    ).toEqual([[refund.id, 500, ann.invoiceId]]);
    expect(body.disputes).toEqual([]);
    expect(body.history).toContainEqual(
      expect.objectContaining({
        source: 'mrr',
        kind: 'new',
        subscription_id: ann.subscription.id,
        mrr_after: 2900,
      }),
    );
    expect(body.entitlements.subscriptions.map((s: { id: string }) => s.id)).toEqual([ann.subscription.id]);
    expect(body.credits.payer).toEqual({ kind: 'user', id: 'user_ann' });

    // The events: about Ann's objects only, their payloads with no email, name or card fingerprint.
    const annObjects = new Set([
      ann.customer.id,
      ann.subscription.id,
      ann.invoiceId,
      ann.charge.id,
      refund.id,
    ]);
    const types = body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['customer.created', 'invoice.paid', 'charge.refunded']));
    const bobObjects = [bob.customer.id, bob.subscription.id, bob.invoiceId, bob.charge.id];
    for (const event of body.events) expect(bobObjects).not.toContain(event.object_id);
    expect(body.events.some((e: { object_id: string }) => annObjects.has(e.object_id))).toBe(true);
    const payloads = JSON.stringify(body.events.map((e: { payload: unknown }) => e.payload));
    expect(payloads).not.toContain('user_ann@example.com');
    expect(payloads).not.toContain('Ann Lee');
    expect(payloads).toContain(ann.invoiceId);
    expect(payloads).not.toMatch(/"fingerprint":"(?!\[redacted\])/);
    expect(JSON.stringify(body)).not.toContain('Bob Stone');
  });

  it('answers 404 for an unknown customer, and only to admins', async () => {
    const { ann } = await twoCustomers();
    const missing = await get('/api/admin/customers/cus_nothere/overview');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('customer_not_found');
    for (const key of [h.t.serviceKey, await h.t.userToken('user_ann')])
      expect((await get(`/api/admin/customers/${ann.customer.id}/overview`, key)).statusCode).toBe(403);
  });
});

describe('GET /api/admin/search', () => {
  it('finds a customer by the start of its name, of a later word, or of several words, in any case', async () => {
    const { ann, bob } = await twoCustomers();
    for (const q of ['an', 'ANN', 'Lee', 'ann le', 'Ann Lee'])
      expect(await search(q), q).toEqual([
        expect.objectContaining({ kind: 'customer', id: ann.customer.id, matched: 'name_prefix' }),
      ]);
    expect((await search('sto')).map((hit) => hit.id)).toEqual([bob.customer.id]);
    expect(await search('nn')).toEqual([]);
    expect(await search('Ann Leeway')).toEqual([]);
  });

  it('finds a customer by exact email (its keyed hash) and by the host app’s user id', async () => {
    const { ann } = await twoCustomers();
    expect(await search(' USER_ANN@example.com ')).toEqual([
      expect.objectContaining({ id: ann.customer.id, matched: 'email', customer_name: 'Ann Lee' }),
    ]);
    expect(await search('user_ann@example.co')).toEqual([]);
    expect(await search('user_ann')).toEqual([
      expect.objectContaining({ id: ann.customer.id, matched: 'external_id' }),
    ]);
  });

  it('resolves any Stripe id to its object and its customer', async () => {
    const { ann, refund } = await twoCustomers();
    const [event] = await queryRows<{ external_id: string }>(
      h.t.database.db,
      sql`select external_id from events where object_id = ${ann.invoiceId} limit 1`,
    );
    const cases: Array<[string, string]> = [
      [ann.customer.id, 'customer'],
      [ann.subscription.id, 'subscription'],
      [ann.invoiceId, 'invoice'],
      [ann.charge.id, 'charge'],
      [ann.charge.payment_intent as string, 'payment_intent'],
      [refund.id, 'refund'],
    ];
    for (const [id, kind] of cases)
      expect(await search(id), id).toEqual([
        expect.objectContaining({ kind, id, matched: 'stripe_id', customer_id: ann.customer.id }),
      ]);
    expect(await search(event!.external_id)).toEqual([
      expect.objectContaining({ kind: 'event', matched: 'stripe_id', customer_id: ann.customer.id }),
    ]);
    expect(await search('sub_nothere')).toEqual([]);
  });

  it('refuses a bad query with 400, and anyone but an admin with 403', async () => {
    for (const url of [
      '/api/admin/search',
      '/api/admin/search?q=a',
      '/api/admin/search?q=%20a%20',
      `/api/admin/search?q=${'x'.repeat(255)}`,
      '/api/admin/search?q=an%00n',
      '/api/admin/search?q=ann&x=1',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code, url).toMatch(/\w/);
    }
    for (const key of [h.t.serviceKey, await h.t.userToken('user_ann')])
      expect((await get('/api/admin/search?q=ann', key)).statusCode).toBe(403);
  });

  it('no longer finds an erased customer by name or email; its name index is gone', async () => {
    const { ann } = await twoCustomers();
    await h.stripe.subscriptions.cancel(ann.subscription.id);
    await settled(h.t);
    const erased = await h.t.app.inject({
      method: 'POST',
      url: `/api/customers/${ann.customer.id}/erase`,
      headers: bearer(h.t.adminKey),
    });
    expect(erased.statusCode, erased.body).toBe(200);
    await settled(h.t);
    expect(await search('ann')).toEqual([]);
    expect(await search('user_ann@example.com')).toEqual([]);
    const [row] = await queryRows<{ name_prefixes: string[] | null }>(
      h.t.database.db,
      sql`select name_prefixes from customers where id = ${ann.customer.id}`,
    );
    expect(row!.name_prefixes).toBeNull();
    // Found by its id still: the page shows what is left (amounts, dates) of an erased customer.
    expect(await search(ann.customer.id)).toEqual([
      expect.objectContaining({ customer_name: null, customer_email: null }),
    ]);
  });

  it('`recur reseal` writes the index of names stored before it existed', async () => {
    const { ann } = await twoCustomers();
    await h.t.database.db.execute(sql`update customers set name_prefixes = null`);
    expect(await search('ann')).toEqual([]);
    const report = await resealWithCurrentKey(h.t.database.db, h.t.services.cipher);
    expect(report.reindexed).toBe(2);
    expect((await search('ann')).map((hit) => hit.id)).toEqual([ann.customer.id]);
    expect((await resealWithCurrentKey(h.t.database.db, h.t.services.cipher)).reindexed).toBe(0);
  });
});
