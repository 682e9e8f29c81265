import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { chargeRow, refundRow } from '../src/stripe/mapping.js';
import { bearer } from './support/app.js';
import { billingTestApp, customerWithCard, draftInvoice, monthlyPrice } from './support/billing-app.js';
import { byId, comparable, invoiceOfPayment, mirrorRows } from './support/mirror.js';
import { settled } from './support/wait.js';

/** Refunds go to Stripe first, land in the mirror from Stripe's answer, and the webhooks agree. */
const h = billingTestApp();

/** A customer with a card and a paid $50 first invoice. */
async function paidInvoice() {
  const customer = await customerWithCard(h.stripe);
  const price = await monthlyPrice(h.stripe, 5000);
  const subscription = await h.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: price.id }],
  });
  const invoice = await h.stripe.invoices.retrieve(subscription.latest_invoice as string);
  expect(invoice.status).toBe('paid');
  const [charge] = (await h.stripe.charges.list({ customer: customer.id })).data;
  await settled(h.t);
  return { customer, invoice, charge: charge! };
}

async function refund(payload: unknown, headers: Record<string, string> = {}) {
  return h.t.app.inject({
    method: 'POST',
    url: '/stripe/refunds',
    payload: payload as object,
    headers: { ...bearer(h.t.adminKey), ...headers },
  });
}

const all = async <T>(list: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of list) out.push(item);
  return out;
};

/** The refunds and charges tables hold exactly what Stripe holds. */
async function expectRefundMirrorEqualsStripe() {
  const snake = (row: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
        v instanceof Date ? v.toISOString() : v,
      ]),
    );
  const liveRefunds = await Promise.all(
    (await all(h.stripe.refunds.list({ limit: 100 }))).map(async (r) =>
      snake(refundRow(r, await invoiceOfPayment(h.stripe, r.payment_intent))),
    ),
  );
  const liveCharges = (await all(h.stripe.charges.list({ limit: 100 }))).map((c) => snake(chargeRow(c)));
  expect((await mirrorRows(h.t.database.db, 'refunds')).map(comparable)).toEqual(
    byId(liveRefunds).map(comparable),
  );
  expect((await mirrorRows(h.t.database.db, 'charges')).map(comparable)).toEqual(
    byId(liveCharges).map(comparable),
  );
}

async function mirroredCharge(id: string) {
  const [row] = await queryRows<{ amount_refunded: number; refunded: boolean }>(
    h.t.database.db,
    sql`select amount_refunded, refunded from charges where id = ${id}`,
  );
  return row;
}

describe('refunds', () => {
  it('refunds part of a paid invoice by invoice id, then the rest by payment id', async () => {
    const { invoice, charge } = await paidInvoice();
    const partial = await refund({
      invoice_id: invoice.id,
      amount: 1500,
      reason: 'requested_by_customer',
      note: 'goodwill',
    });
    expect(partial.statusCode, partial.body).toBe(201);
    expect(partial.json()).toMatchObject({
      status: 'succeeded',
      amount: 1500,
      currency: 'usd',
      charge_id: charge.id,
      payment_intent_id: charge.payment_intent,
      invoice_id: invoice.id,
      reason: 'requested_by_customer',
    });
    // Recorded from Stripe's answer, before any webhook is waited for.
    expect(await mirroredCharge(charge.id)).toEqual({ amount_refunded: 1500, refunded: false });
    const live = await h.stripe.refunds.retrieve(partial.json().id);
    expect(live.metadata).toEqual({ recur_invoice_id: invoice.id, recur_note: 'goodwill' });

    const rest = await refund({ payment_id: charge.payment_intent, reason: 'duplicate' });
    expect(rest.statusCode, rest.body).toBe(201);
    expect(rest.json()).toMatchObject({ amount: 3500, invoice_id: null, charge_id: charge.id });
    expect(await mirroredCharge(charge.id)).toEqual({ amount_refunded: 5000, refunded: true });

    await settled(h.t);
    await expectRefundMirrorEqualsStripe();

    const again = await refund({ payment_id: charge.id, reason: 'duplicate' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('not_refundable');

    const list = await h.t.app.inject({
      method: 'GET',
      url: `/api/refunds?charge_id=${charge.id}&limit=1`,
      headers: bearer(h.t.adminKey),
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().data).toHaveLength(1);
    const next = await h.t.app.inject({
      method: 'GET',
      url: `/api/refunds?charge_id=${charge.id}&limit=1&cursor=${list.json().next_cursor}`,
      headers: bearer(h.t.adminKey),
    });
    const ids = [...list.json().data, ...next.json().data].map((r: { id: string }) => r.id).sort();
    expect(ids).toEqual([partial.json().id, rest.json().id].sort());
    expect(next.json().next_cursor).toBeNull();
  });

  it('refuses more than the refundable remainder, with the remainder in the details', async () => {
    const { charge } = await paidInvoice();
    expect(
      (await refund({ payment_id: charge.id, amount: 4000, reason: 'requested_by_customer' })).statusCode,
    ).toBe(201);
    const res = await refund({ payment_id: charge.id, amount: 1001, reason: 'requested_by_customer' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'amount_exceeds_refundable',
      details: { refundable: 1000, currency: 'usd' },
    });
    expect((await h.stripe.charges.retrieve(charge.id)).amount_refunded).toBe(4000);
  });

  it('refunds once for a retried request, with or without an Idempotency-Key', async () => {
    const { charge } = await paidInvoice();
    const body = { payment_id: charge.id, amount: 1000, reason: 'duplicate' };
    const first = await refund(body, { 'idempotency-key': 'refund-order-17' });
    const retry = await refund(body, { 'idempotency-key': 'refund-order-17' });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json().id).toBe(first.json().id);
    expect((await h.stripe.refunds.list({ charge: charge.id })).data).toHaveLength(1);

    // Without a key, a second identical request is a second refund (the amount refunded so far moved).
    const second = await refund(body);
    expect(second.statusCode).toBe(201);
    expect(second.json().id).not.toBe(first.json().id);
    expect((await h.stripe.charges.retrieve(charge.id)).amount_refunded).toBe(2000);
  });

  it('answers 409 not_refundable for an invoice that was not paid', async () => {
    const { customer } = await paidInvoice();
    const draft = await draftInvoice(h.stripe, customer.id);
    const res = await refund({ invoice_id: draft.id, reason: 'requested_by_customer' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('not_refundable');
  });

  it('refuses every bad request with its own 4xx and refunds nothing', async () => {
    const { invoice, charge } = await paidInvoice();
    const cases: Array<[unknown, number, string]> = [
      [{ reason: 'duplicate' }, 400, 'invalid_refund_target'],
      [{ payment_id: charge.id, invoice_id: invoice.id, reason: 'duplicate' }, 400, 'invalid_refund_target'],
      [{ payment_id: 'cus_123', reason: 'duplicate' }, 400, 'validation_failed'],
      [{ invoice_id: 'pi_123', reason: 'duplicate' }, 400, 'validation_failed'],
      [{ payment_id: charge.id }, 400, 'validation_failed'],
      [{ payment_id: charge.id, reason: 'changed_mind' }, 400, 'validation_failed'],
      [{ payment_id: charge.id, reason: 'duplicate', amount: 0 }, 400, 'validation_failed'],
      [{ payment_id: charge.id, reason: 'duplicate', amount: -5 }, 400, 'validation_failed'],
      [{ payment_id: charge.id, reason: 'duplicate', amount: 10.5 }, 400, 'validation_failed'],
      [{ payment_id: charge.id, reason: 'duplicate', amount: '100' }, 400, 'validation_failed'],
      [{ payment_id: charge.id, reason: 'duplicate', note: 'x'.repeat(501) }, 400, 'validation_failed'],
      [{ payment_id: charge.id, reason: 'duplicate', currency: 'eur' }, 400, 'validation_failed'],
      [{ payment_id: charge.id, reason: 'duplicate', amount: 5001 }, 400, 'amount_exceeds_refundable'],
      [{ payment_id: 'ch_doesnotexist', reason: 'duplicate' }, 404, 'payment_not_found'],
      [{ payment_id: 'pi_doesnotexist', reason: 'duplicate' }, 404, 'payment_not_found'],
      [{ invoice_id: 'in_doesnotexist', reason: 'duplicate' }, 404, 'invoice_not_found'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await refund(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error.code, JSON.stringify(payload)).toBe(code);
    }
    const badKey = await refund(
      { payment_id: charge.id, reason: 'duplicate' },
      { 'idempotency-key': 'k'.repeat(256) },
    );
    expect(badKey.json().error.code).toBe('invalid_idempotency_key');
    for (const token of [h.t.serviceKey, await h.t.userToken('user_ada')]) {
      const res = await refund({ payment_id: charge.id, reason: 'duplicate' }, bearer(token));
      expect(res.statusCode).toBe(403);
    }
    expect((await h.stripe.refunds.list({ limit: 100 })).data).toHaveLength(0);
    expect((await h.stripe.charges.retrieve(charge.id)).amount_refunded).toBe(0);
    await settled(h.t);
    expect(await mirrorRows(h.t.database.db, 'refunds')).toEqual([]);
    expect(await mirroredCharge(charge.id)).toEqual({ amount_refunded: 0, refunded: false });
  });

  it('refuses bad list queries with precise errors', async () => {
    for (const [query, code] of [
      ['limit=0', 'validation_failed'],
      ['created_from=soon', 'validation_failed'],
      ['cursor=zzz', 'invalid_cursor'],
      ['created_from=2026-02-01T00:00:00Z&created_to=2026-01-01T00:00:00Z', 'invalid_date_range'],
    ]) {
      const res = await h.t.app.inject({
        method: 'GET',
        url: `/api/refunds?${query}`,
        headers: bearer(h.t.adminKey),
      });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code, query).toBe(code);
    }
  });
});
