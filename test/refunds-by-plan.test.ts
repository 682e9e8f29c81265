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
// the invoice it paid: the revenue report by plan finds the refund's invoice through Stripe's
// invoice payments, and files the refund under that invoice's subscription's plan of today.
const h = billingTestApp();

const admin = (method: 'GET' | 'POST', url: string, payload?: object) =>
  h.t.app.inject({ method, url, headers: bearer(h.t.adminKey), ...(payload ? { payload } : {}) });

async function paymentOf(invoice: string): Promise<string> {
  const [payment] = (await h.stripe.invoicePayments.list({ invoice, status: 'paid' })).data;
  const intent = payment?.payment.payment_intent;
  if (typeof intent !== 'string') throw new Error(`invoice ${invoice} was not paid by a payment intent`);
  return intent;
}

/** The revenue report's one month, refunded only, for the whole catalog or one plan. */
async function refunded(month: string, planId?: string): Promise<number[]> {
  const query = `from=${month}&to=${month}&currency=usd${planId ? `&plan_id=${planId}` : ''}`;
  const res = await admin('GET', `/api/reports/revenue?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().months.map((m: { refunded: number }) => m.refunded);
}

const monthOf = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 7);

describe('refunds in the revenue report by plan', () => {
  it('files a refund under the plan of the invoice its payment paid, whoever made it, and moves it with a plan change', async () => {
    const basic = await createPlan(h.t, { key: 'basic' });
    const pro = await createPlan(h.t, {
      key: 'pro',
      prices: [{ currency: 'usd', unit_amount: 5000, interval: 'month' }],
    });
    const ana = await subscribedUser(h.t, h.stripe, 'ana', basic.prices[0]!.stripe_price_id);
    const ben = await subscribedUser(h.t, h.stripe, 'ben', pro.prices[0]!.stripe_price_id);
    const anaInvoice = ana.subscription.latest_invoice as string;
    const benInvoice = ben.subscription.latest_invoice as string;

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

    // Each paid invoice's payment was recorded from its invoice_payment.paid event, so a refund of
    // it is filed without asking Stripe.
    const links = await queryRows<{ invoice_id: string; payment_intent_id: string }>(
      h.t.database.db,
      sql`select invoice_id, payment_intent_id from invoice_payments where invoice_id in (${anaInvoice}, ${benInvoice})
          order by invoice_id = ${benInvoice}`,
    );
    expect(links).toEqual([
      { invoice_id: anaInvoice, payment_intent_id: await paymentOf(anaInvoice) },
      { invoice_id: benInvoice, payment_intent_id: await paymentOf(benInvoice) },
    ]);

    const month = monthOf(dashboard.created);
    expect(await refunded(month)).toEqual([1200]);
    expect(await refunded(month, basic.id)).toEqual([500]);
    expect(await refunded(month, pro.id)).toEqual([700]);

    // Ana moves to Pro: her invoices count under Pro now, and so does the refund of one of them.
    const current = await h.stripe.subscriptions.retrieve(ana.subscription.id);
    await h.stripe.subscriptions.update(ana.subscription.id, {
      items: [{ id: current.items.data[0]!.id, price: pro.prices[0]!.stripe_price_id }],
      proration_behavior: 'none',
    });
    await settled(h.t);
    expect(await refunded(month, pro.id)).toEqual([1200]);
    // Basic is left with no invoice and no refund that month: the report lists nothing for it.
    expect(await refunded(month, basic.id)).toEqual([]);
  });
});
