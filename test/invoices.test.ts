import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { bearer } from './support/app.js';
import { billingTestApp, customerWithCard, draftInvoice, monthlyPrice } from './support/billing-app.js';
import { settled } from './support/wait.js';

/** Billing history through the API: read from the mirror the webhooks keep, PDFs from Stripe. */
const h = billingTestApp();

async function subscribe(customer: string, unitAmount: number) {
  const price = await monthlyPrice(h.stripe, unitAmount);
  return h.stripe.subscriptions.create({ customer, items: [{ price: price.id }] });
}

async function get(url: string, token: string) {
  return h.t.app.inject({ method: 'GET', url, headers: bearer(token) });
}

/** Three invoices of Ada (two paid, one draft) and one of Bob. */
async function history() {
  const ada = await customerWithCard(h.stripe, { userId: 'user_ada' });
  const bob = await customerWithCard(h.stripe, { userId: 'user_bob' });
  const adaBasic = await subscribe(ada.id, 1000);
  const adaPro = await subscribe(ada.id, 5000);
  const adaDraft = await draftInvoice(h.stripe, ada.id);
  const bobSub = await subscribe(bob.id, 2000);
  await settled(h.t);
  return { ada, bob, adaBasic, adaPro, adaDraft, bobSub };
}

describe('invoices', () => {
  it('shows a user their own invoices only, with the view fields and a download link', async () => {
    const { ada, adaBasic, adaDraft } = await history();
    const res = await get('/api/me/invoices', await h.t.userToken('user_ada'));
    expect(res.statusCode, res.body).toBe(200);
    const { data, next_cursor } = res.json();
    expect(next_cursor).toBeNull();
    expect(data).toHaveLength(3);
    expect(new Set(data.map((i: { customer_id: string }) => i.customer_id))).toEqual(new Set([ada.id]));

    const paid = data.find((i: { subscription_id: string }) => i.subscription_id === adaBasic.id);
    const live = await h.stripe.invoices.retrieve(adaBasic.latest_invoice as string);
    expect(paid).toEqual({
      id: live.id,
      number: live.number,
      status: 'paid',
      customer_id: ada.id,
      subscription_id: adaBasic.id,
      subscription_status: 'active',
      currency: 'usd',
      subtotal: 1000,
      total: 1000,
      tax: 0,
      total_excluding_tax: 1000,
      amount_due: 1000,
      amount_paid: 1000,
      amount_remaining: 0,
      period_start: new Date(live.period_start * 1000).toISOString(),
      period_end: new Date(live.period_end * 1000).toISOString(),
      billing_reason: 'subscription_create',
      attempt_count: live.attempt_count,
      next_payment_attempt: null,
      hosted_invoice_url: live.hosted_invoice_url,
      pdf_url: `/api/invoices/${live.id}/pdf`,
      paid_at: new Date(live.status_transitions.paid_at! * 1000).toISOString(),
      created_at: new Date(live.created * 1000).toISOString(),
    });
    const draft = data.find((i: { id: string }) => i.id === adaDraft.id);
    expect(draft).toMatchObject({ status: 'draft', pdf_url: null, subscription_id: null, total: 700 });
  });

  it('answers 404 for another user’s invoice, and for its PDF', async () => {
    const { bobSub } = await history();
    const ada = await h.t.userToken('user_ada');
    const bobInvoice = bobSub.latest_invoice as string;
    for (const url of [`/api/invoices/${bobInvoice}`, `/api/invoices/${bobInvoice}/pdf`]) {
      const res = await get(url, ada);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    const own = await get(`/api/invoices/${bobInvoice}`, await h.t.userToken('user_bob'));
    expect(own.statusCode).toBe(200);
    expect((await get(`/api/invoices/${bobInvoice}`, h.t.serviceKey)).json().id).toBe(bobInvoice);
    const stranger = await get('/api/me/invoices', await h.t.userToken('user_nobody'));
    expect(stranger.json()).toEqual({ data: [], next_cursor: null });
  });

  it('lists all invoices for admins and services, filtered and paged by cursor', async () => {
    const { ada, bob, adaPro, adaDraft } = await history();
    const all = await get('/api/invoices?limit=100', h.t.adminKey);
    expect(all.json().data).toHaveLength(4);

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/invoices?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await get(query, h.t.serviceKey)).json();
      pages.push(...page.data.map((i: { id: string }) => i.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(pages).toEqual(all.json().data.map((i: { id: string }) => i.id));

    const ids = async (query: string) =>
      (await get(`/api/invoices?${query}`, h.t.adminKey)).json().data.map((i: { id: string }) => i.id);
    expect(await ids('status=draft')).toEqual([adaDraft.id]);
    expect((await ids(`customer_id=${bob.id}`)).length).toBe(1);
    expect((await ids(`customer_id=${ada.id}&status=paid`)).length).toBe(2);
    expect(await ids(`subscription_id=${adaPro.id}`)).toEqual([adaPro.latest_invoice]);
    expect(await ids('created_to=2000-01-01T00:00:00Z')).toEqual([]);
    expect((await ids('created_from=2000-01-01T00:00:00Z')).length).toBe(4);
  });

  it('refuses bad list queries with precise errors', async () => {
    const cases: Array<[string, number, string]> = [
      ['status=unknown', 400, 'validation_failed'],
      ['limit=0', 400, 'validation_failed'],
      ['limit=101', 400, 'validation_failed'],
      ['created_from=yesterday', 400, 'validation_failed'],
      ['created_from=2026-02-01T00:00:00Z&created_to=2026-01-01T00:00:00Z', 400, 'invalid_date_range'],
      ['cursor=not-a-cursor', 400, 'invalid_cursor'],
    ];
    for (const [query, status, code] of cases) {
      const res = await get(`/api/invoices?${query}`, h.t.adminKey);
      expect(res.statusCode, query).toBe(status);
      expect(res.json().error.code, query).toBe(code);
    }
  });

  it('downloads the PDF from Stripe, and refuses one for a draft', async () => {
    const { adaBasic, adaDraft } = await history();
    const token = await h.t.userToken('user_ada');
    const invoice = await h.stripe.invoices.retrieve(adaBasic.latest_invoice as string);
    const res = await get(`/api/invoices/${invoice.id}/pdf`, token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${invoice.number}.pdf"`);
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(res.rawPayload.subarray(-6).toString('latin1')).toContain('%%EOF');

    const draft = await get(`/api/invoices/${adaDraft.id}/pdf`, token);
    expect(draft.statusCode).toBe(409);
    expect(draft.json().error.code).toBe('pdf_not_available');
    expect((await get('/api/invoices/in_missing/pdf', h.t.adminKey)).statusCode).toBe(404);
  });

  it('keeps a customer’s billing history after the customer is deleted in Stripe', async () => {
    const { ada } = await history();
    await h.stripe.customers.del(ada.id);
    await settled(h.t);
    const [row] = await queryRows<{ deleted: boolean }>(
      h.t.database.db,
      sql`select deleted from customers where id = ${ada.id}`,
    );
    expect(row!.deleted).toBe(true);

    const mine = (await get('/api/me/invoices', await h.t.userToken('user_ada'))).json().data;
    expect(mine).toHaveLength(3);
    const byCustomer = (await get(`/api/invoices?customer_id=${ada.id}`, h.t.adminKey)).json().data;
    expect(byCustomer).toHaveLength(3);
    const paid = mine.find((i: { status: string }) => i.status === 'paid');
    const pdf = await get(paid.pdf_url, await h.t.userToken('user_ada'));
    expect(pdf.statusCode).toBe(200);
  });
});
