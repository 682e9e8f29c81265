import { sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { bearer } from './support/app.js';
import { createPlan } from './support/billing.js';
import { billingTestApp } from './support/billing-app.js';
import { subscribedUser } from './support/usage.js';
import { settled } from './support/wait.js';

// A refund names only its payment, and since the 2025 API neither the payment nor its charge names
// the invoice it paid. A refund's row keeps that invoice, found from the payment's
// invoice_payment.paid event (or Stripe's invoice payments), whoever made the refund.
const h = billingTestApp();

const admin = (method: 'GET' | 'POST', url: string, payload?: object) =>
  h.t.app.inject({ method, url, headers: bearer(h.t.adminKey), ...(payload ? { payload } : {}) });

async function paymentOf(invoice: string): Promise<string> {
  const [payment] = (await h.stripe.invoicePayments.list({ invoice, status: 'paid' })).data;
  const intent = payment?.payment.payment_intent;
  if (typeof intent !== 'string') throw new Error(`invoice ${invoice} was not paid by a payment intent`);
  return intent;
}

/** GET /api/refunds, filtered by invoice: each refund's id and invoice. */
async function refundsOf(invoice: string) {
  const res = await admin('GET', `/api/refunds?invoice_id=${invoice}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data.map((r: { id: string; invoice_id: string | null }) => [r.id, r.invoice_id]);
}

describe('the invoice a refund returns', () => {
  it('is kept on the refund, made in the Dashboard by payment or through Recur by invoice, and lists refunds by invoice', async () => {
    const basic = await createPlan(h.t, { key: 'basic' });
    const pro = await createPlan(h.t, {
      key: 'pro',
      prices: [{ currency: 'usd', unit_amount: 5000, interval: 'month' }],
    });
    const ana = await subscribedUser(h.t, h.stripe, 'ana', basic.prices[0]!.stripe_price_id);
    const ben = await subscribedUser(h.t, h.stripe, 'ben', pro.prices[0]!.stripe_price_id);
    const anaInvoice = ana.subscription.latest_invoice as string;
    const benInvoice = ben.subscription.latest_invoice as string;

    // Each paid invoice's payment is recorded from its invoice_payment.paid event, so that a refund
    // of it finds the invoice without asking Stripe.
    const links = await queryRows<{ invoice_id: string; payment_intent_id: string }>(
      h.t.database.db,
      sql`select invoice_id, payment_intent_id from invoice_payments where invoice_id in (${anaInvoice}, ${benInvoice})
          order by invoice_id = ${benInvoice}`,
    );
    expect(links).toEqual([
      { invoice_id: anaInvoice, payment_intent_id: await paymentOf(anaInvoice) },
      { invoice_id: benInvoice, payment_intent_id: await paymentOf(benInvoice) },
    ]);
    // Ana's as if that event had not arrived yet: her refund's invoice is then asked of Stripe.
    await h.t.database.db.execute(sql`delete from invoice_payments where invoice_id = ${anaInvoice}`);

    // Ana's $5.00 refunded in Stripe's Dashboard (by payment); Ben's $7.00 through Recur, by invoice.
    const dashboard: Stripe.Refund = await h.stripe.refunds.create({
      payment_intent: await paymentOf(anaInvoice),
      amount: 500,
    });
    const viaRecur = await admin('POST', '/stripe/refunds', {
      invoice_id: benInvoice,
      amount: 700,
      reason: 'requested_by_customer',
    });
    expect(viaRecur.statusCode, viaRecur.body).toBe(201);
    await settled(h.t);

    const rows = await queryRows<{ id: string; invoice_id: string | null }>(
      h.t.database.db,
      sql`select id, invoice_id from refunds order by amount`,
    );
    expect(rows).toEqual([
      { id: dashboard.id, invoice_id: anaInvoice },
      { id: viaRecur.json().id, invoice_id: benInvoice },
    ]);

    expect(await refundsOf(anaInvoice)).toEqual([[dashboard.id, anaInvoice]]);
    expect(await refundsOf(benInvoice)).toEqual([[viaRecur.json().id, benInvoice]]);
    const listed = await admin('GET', '/api/refunds');
    expect(
      listed
        .json()
        .data.map((r: { invoice_id: string }) => r.invoice_id)
        .sort(),
    ).toEqual([anaInvoice, benInvoice].sort());
  });
});
