// Invoices through the official SDK: one-off invoices and invoice items, the status machine,
// numbering, discounts across renewals, and the hosted page and PDF the invoice links to.

import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Harness } from '../testing/harness.js';
import {
  advanceClock,
  at,
  billingTestHarness,
  type Catalog,
  customerWithCard,
} from './testing/billing-fixtures.js';
import { expectValidXref } from './testing/pdf-structure.js';

let h: Harness;
let stripe: Stripe;
let catalog: Catalog;

const billing = billingTestHarness();
beforeEach(() => {
  ({ h, stripe, catalog } = billing);
});

async function draftWithItems(customer: string, amounts: number[]): Promise<Stripe.Invoice> {
  const invoice = await stripe.invoices.create({
    customer,
    collection_method: 'send_invoice',
    days_until_due: 14,
  });
  for (const amount of amounts) {
    await stripe.invoiceItems.create({
      customer,
      invoice: invoice.id,
      amount,
      currency: 'usd',
      description: `Item ${amount}`,
    });
  }
  return stripe.invoices.retrieve(invoice.id);
}

describe('one-off invoices', () => {
  it('moves draft → open → paid out of band, numbered per customer', async () => {
    const customer = await stripe.customers.create({ email: 'billing@example.com', name: 'Acme' });
    const draft = await draftWithItems(customer.id, [1500, 2500]);
    expect(draft).toMatchObject({
      status: 'draft',
      number: null,
      total: 4000,
      amount_due: 4000,
      billing_reason: 'manual',
    });
    const open = await stripe.invoices.finalizeInvoice(draft.id);
    expect(open.status).toBe('open');
    expect(open.number).toBe(`${customer.invoice_prefix}-0001`);
    // `days_until_due` counts from the invoice's creation, not its finalization (a second later, at times).
    expect(open.due_date).toBe(draft.created + 14 * 86_400);
    expect(open.hosted_invoice_url).toContain(`/invoices/${open.id}`);
    const paid = await stripe.invoices.pay(open.id, { paid_out_of_band: true });
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 4000, amount_remaining: 0 });
    const second = await stripe.invoices.finalizeInvoice((await draftWithItems(customer.id, [100])).id);
    expect(second.number).toBe(`${customer.invoice_prefix}-0002`);
    await expect(stripe.invoices.finalizeInvoice(second.id)).rejects.toMatchObject({
      code: 'invoice_not_editable',
    });
  });

  it('voids, marks uncollectible, deletes drafts, and refuses what Stripe refuses', async () => {
    const customer = await stripe.customers.create({});
    const toVoid = await stripe.invoices.finalizeInvoice((await draftWithItems(customer.id, [500])).id);
    expect((await stripe.invoices.voidInvoice(toVoid.id)).status).toBe('void');
    await expect(stripe.invoices.pay(toVoid.id)).rejects.toMatchObject({ code: 'invoice_not_editable' });
    const bad = await stripe.invoices.finalizeInvoice((await draftWithItems(customer.id, [700])).id);
    const uncollectible = await stripe.invoices.markUncollectible(bad.id);
    expect(uncollectible.status).toBe('uncollectible');
    expect(uncollectible.status_transitions.marked_uncollectible_at).not.toBeNull();
    const draft = await draftWithItems(customer.id, [900]);
    expect(await stripe.invoices.del(draft.id)).toEqual({ id: draft.id, object: 'invoice', deleted: true });
    const items = await stripe.invoiceItems.list({ customer: customer.id, pending: true });
    expect(items.data.map((i) => i.amount)).toEqual([900]);
  });

  it('charges the customer’s card when paid, and answers a decline with 402', async () => {
    const customer = await customerWithCard(stripe, { card: 'pm_card_chargeCustomerFail' });
    const invoice = await stripe.invoices.create({ customer: customer.id });
    await stripe.invoiceItems.create({
      customer: customer.id,
      invoice: invoice.id,
      amount: 1234,
      currency: 'usd',
    });
    const declined = await stripe.invoices.pay(invoice.id).catch((e: Stripe.errors.StripeError) => e);
    expect(declined).toMatchObject({ type: 'StripeCardError', code: 'card_declined', statusCode: 402 });
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'open', attempt_count: 1 });
    const paid = await stripe.invoices.pay(invoice.id, { payment_method: 'pm_card_mastercard' });
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 1234, attempt_count: 2 });
    const charges = await stripe.charges.list({ customer: customer.id });
    expect(charges.data.map((c) => [c.status, c.payment_method_details?.card?.brand])).toEqual([
      ['succeeded', 'mastercard'],
      ['failed', 'visa'],
    ]);
  });

  it('pages an invoice’s lines beyond the ten shown inline', async () => {
    const customer = await stripe.customers.create({});
    const invoice = await draftWithItems(
      customer.id,
      Array.from({ length: 12 }, (_, i) => 100 + i),
    );
    expect(invoice.lines.data).toHaveLength(10);
    expect(invoice.lines.has_more).toBe(true);
    const all: Stripe.InvoiceLineItem[] = [];
    for await (const line of stripe.invoices.listLineItems(invoice.id, { limit: 5 })) all.push(line);
    expect(all).toHaveLength(12);
    expect(all[0]).toMatchObject({ object: 'line_item', invoice: invoice.id });
  });

  it('serves the hosted invoice page and a valid PDF with the number, lines and totals', async () => {
    const customer = await stripe.customers.create({ name: 'Acme Corp' });
    const invoice = await stripe.invoices.finalizeInvoice(
      (await draftWithItems(customer.id, [1500, 2500])).id,
    );
    const page = await fetch(invoice.hosted_invoice_url!);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain(invoice.number!);
    expect(html).toContain('$40.00');
    const pdfResponse = await fetch(invoice.invoice_pdf!);
    expect(pdfResponse.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await pdfResponse.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expectValidXref(pdf);
    const text = pdf.toString('latin1');
    expect(text).toContain(`(${invoice.number})`);
    expect(text).toContain('(Item 1500)');
    expect(text).toContain('($40.00)');
    expect((await fetch(`${h.emulator.url}/invoices/in_missing/pdf`)).status).toBe(404);
  });
});

describe("the customer's invoice settings on new invoices", () => {
  it('copies the footer and custom fields onto each new invoice and shows them on its page and PDF', async () => {
    const customer = await stripe.customers.create({
      name: 'Acme Corp',
      email: 'ap@acme.example',
      payment_method: 'pm_card_visa',
      invoice_settings: {
        default_payment_method: 'pm_card_visa',
        footer: 'Acme Corp · Registered in England 01234567',
        custom_fields: [
          { name: 'PO number', value: 'PO-7731' },
          { name: 'VAT', value: 'GB123456789' },
        ],
      },
    });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.basic.id }],
    });
    const first = await stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(first.footer).toBe('Acme Corp · Registered in England 01234567');
    expect(first.custom_fields).toEqual([
      { name: 'PO number', value: 'PO-7731' },
      { name: 'VAT', value: 'GB123456789' },
    ]);
    const html = await (await fetch(first.hosted_invoice_url!)).text();
    expect(html).toContain('<dt>PO number</dt><dd>PO-7731</dd>');
    expect(html).toContain('Acme Corp · Registered in England 01234567');
    const pdf = Buffer.from(await (await fetch(first.invoice_pdf!)).arrayBuffer());
    expectValidXref(pdf);
    const text = pdf.toString('latin1');
    expect(text).toContain('(PO number: PO-7731)');
    expect(text).toContain('(VAT: GB123456789)');
    expect(text).toContain('Registered in England 01234567)');

    // A change reaches the invoices made after it; an invoice already made keeps what it had.
    await stripe.customers.update(customer.id, {
      invoice_settings: { footer: 'New footer', custom_fields: '' },
    });
    const next = await draftWithItems(customer.id, [700]);
    expect(next).toMatchObject({ footer: 'New footer', custom_fields: null });
    expect((await stripe.invoices.retrieve(first.id)).footer).toBe(
      'Acme Corp · Registered in England 01234567',
    );
  });
});

describe('discounts on subscription invoices', () => {
  it('applies a once coupon to the first invoice only, and a repeating one for its months', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: at('2026-01-10T00:00:00Z') });
    const customer = await customerWithCard(stripe, { testClock: clock.id });
    const once = await stripe.coupons.create({ percent_off: 50, duration: 'once' });
    const repeating = await stripe.coupons.create({
      amount_off: 500,
      currency: 'usd',
      duration: 'repeating',
      duration_in_months: 2,
    });
    const promo = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: repeating.id },
      code: 'SAVE5',
    });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.pro.id }],
      discounts: [{ coupon: once.id }, { promotion_code: promo.id }],
      expand: ['latest_invoice'],
    });
    // 5000 − 50% = 2500, then − 500 = 2000.
    const first = subscription.latest_invoice as Stripe.Invoice;
    expect(first.total_discount_amounts?.map((d) => d.amount)).toEqual([2500, 500]);
    expect(first).toMatchObject({ subtotal: 5000, total: 2000, amount_paid: 2000 });
    expect(subscription.discounts).toHaveLength(1);

    const totals: number[] = [];
    for (const month of ['02', '03', '04']) {
      await advanceClock(stripe, clock.id, at(`2026-${month}-10T01:00:01Z`));
      const renewed = await stripe.subscriptions.retrieve(subscription.id);
      totals.push((await stripe.invoices.retrieve(String(renewed.latest_invoice))).total);
    }
    // The repeating coupon covers two months from 10 January: the February invoice, not March's.
    expect(totals).toEqual([4500, 5000, 5000]);
    expect((await stripe.coupons.retrieve(once.id)).times_redeemed).toBe(1);
  });
});

describe('invoices for send_invoice subscriptions', () => {
  it('finalizes with a due date and leaves collection to the customer', async () => {
    const customer = await stripe.customers.create({ email: 'ap@example.com' });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.basic.id }],
      collection_method: 'send_invoice',
      days_until_due: 30,
      expand: ['latest_invoice'],
    });
    expect(subscription.status).toBe('active');
    const invoice = subscription.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({ status: 'open', collection_method: 'send_invoice', attempt_count: 0 });
    expect(invoice.due_date).toBe(subscription.created + 30 * 86_400);
    const sent = await stripe.invoices.sendInvoice(invoice.id);
    expect(sent.status).toBe('open');
  });

  // https://docs.stripe.com/api/invoices/send
  it('sends a draft by finalizing it first: invoice.finalized, then invoice.sent', async () => {
    const customer = await stripe.customers.create({ email: 'draft@example.com' });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 1500, currency: 'usd' });
    const draft = await stripe.invoices.create({
      customer: customer.id,
      collection_method: 'send_invoice',
      days_until_due: 14,
      pending_invoice_items_behavior: 'include',
    });
    expect(draft.status).toBe('draft');
    const sent = await stripe.invoices.sendInvoice(draft.id!);
    expect(sent).toMatchObject({ status: 'open', amount_due: 1500 });
    const types = (await stripe.events.list({ limit: 20 })).data
      .filter((e) => e.type === 'invoice.finalized' || e.type === 'invoice.sent')
      .map((e) => e.type)
      .reverse();
    expect(types).toEqual(['invoice.finalized', 'invoice.sent']);
  });
});
