// Invoices from draft to open: gathering lines, applying discounts and the customer's balance,
// numbering and finalizing. Collecting payment is in collection.ts.

import type Stripe from 'stripe';
import { recordBalanceTransaction } from '../../resources/customers/balance-transactions.js';
import { allocateDiscounts } from '../domain/discounts.js';
import { invoiceNumber } from '../domain/numbering.js';
import { invoiceMoney } from '../domain/totals.js';
import { type NewInvoice, newInvoice } from '../objects/invoice-objects.js';
import { newInvoicePayment, newPaymentIntent } from '../objects/payment-objects.js';
import { type Billing, customerId, invoiceBookkeeping } from './context.js';
import type { EventBatch } from './event-batch.js';
import { invoiceItemLine } from './invoice-lines.js';
import { afterInvoicePaid } from './subscription-status.js';
import { applyInvoiceTax } from './taxes.js';

/** Lines shown inline on an invoice; the rest are reached through /v1/invoices/:id/lines. */
const INLINE_LINES = 10;

/** Pending invoice items of a customer (and of one subscription, when given), oldest first. */
export function pendingInvoiceItems(billing: Billing, customer: string, subscription?: string | null) {
  return billing.data.invoiceItems.filter(
    (item) =>
      item.customer === customer &&
      item.invoice === null &&
      (subscription === undefined ||
        (item.parent?.subscription_details?.subscription ?? null) === subscription),
  );
}

export interface DraftInput extends Omit<NewInvoice, 'customer'> {
  customer: string;
  /** Lines billed directly (subscription items), built for the invoice id given. */
  lines?: (invoiceId: string) => Stripe.InvoiceLineItem[];
  /** Pending invoice items to sweep onto the invoice. */
  invoiceItems?: Stripe.InvoiceItem[];
  discounts?: string[];
}

/** Creates a draft invoice and records `invoice.created`. */
export function createDraftInvoice(billing: Billing, batch: EventBatch, input: DraftInput): Stripe.Invoice {
  const customer = billing.catalog.customer(input.customer, 'customer');
  const invoice = newInvoice({ ...input, customer });
  invoice.discounts = input.discounts ?? [];
  const lines = input.lines?.(invoice.id) ?? [];
  for (const item of input.invoiceItems ?? []) {
    item.invoice = invoice.id;
    billing.data.invoiceItems.save(item);
    lines.push(invoiceItemLine(invoice.id, item));
  }
  invoice.lines.data = lines;
  recomputeInvoice(billing, invoice);
  billing.data.invoices.save(invoice);
  batch.record('invoice.created', view(invoice), input.created);
  return invoice;
}

/** Discounts that still apply at `at`, in the order they were added. */
export function activeDiscounts(
  billing: Billing,
  ids: Array<string | Stripe.Discount | Stripe.DeletedDiscount>,
  at: number,
) {
  return ids
    .map((d) => billing.data.discounts.get(typeof d === 'string' ? d : d.id))
    .filter((d): d is Stripe.Discount => !!d && (d.end === null || d.end > at));
}

/** Recomputes discounts and money fields from the lines; starting balance counts once finalized. */
export function recomputeInvoice(billing: Billing, invoice: Stripe.Invoice): void {
  const discounts = activeDiscounts(billing, invoice.discounts, invoice.created);
  const allocation = allocateDiscounts(
    invoice.lines.data,
    discounts.map((d) => ({ id: d.id, coupon: billing.catalog.coupon(String(d.source.coupon)) })),
  );
  invoice.lines.data.forEach((line, i) => {
    line.discount_amounts = allocation.lines[i] ?? [];
    line.discounts = line.discount_amounts.map((d) => String(d.discount));
  });
  const tax = applyInvoiceTax(billing, invoice, customerId(invoice.customer));
  const money = invoiceMoney(
    invoice.lines.data.map((l) => l.amount),
    allocation.totals.map((t) => t.amount),
    invoice.status === 'draft' ? 0 : invoice.starting_balance,
    tax.exclusive,
  );
  invoice.subtotal = money.subtotal;
  invoice.subtotal_excluding_tax = money.subtotal - tax.inclusive;
  invoice.total = money.total;
  invoice.total_excluding_tax = money.total - tax.exclusive - tax.inclusive;
  invoice.total_discount_amounts = allocation.totals.filter((t) => t.amount !== 0);
  invoice.amount_due = money.amount_due;
  invoice.amount_remaining = Math.max(money.amount_due - invoice.amount_paid, 0);
}

/** The invoice as the API shows it: at most ten lines inline. */
export function view(invoice: Stripe.Invoice): Stripe.Invoice {
  const lines = invoice.lines.data;
  return {
    ...invoice,
    lines: { ...invoice.lines, data: lines.slice(0, INLINE_LINES), has_more: lines.length > INLINE_LINES },
  };
}

/**
 * Finalizes a draft: numbers it, applies the customer's balance, publishes its URLs and, when
 * money is due, creates the payment intent that will collect it. An invoice with nothing due is
 * paid on the spot, as Stripe does.
 */
export function finalizeInvoice(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  at: number,
): void {
  const customer = billing.catalog.customer(customerId(invoice.customer));
  const prefix = customer.invoice_prefix ?? 'INVOICE';
  const sequence = customer.next_invoice_sequence ?? 1;
  invoice.number = invoiceNumber(prefix, sequence);
  invoice.starting_balance = customer.balance;
  // Open before the money is recomputed: the starting balance counts from finalization on.
  invoice.status = 'open';
  recomputeInvoice(billing, invoice);
  const owed = invoice.total + invoice.starting_balance;
  invoice.ending_balance = Math.min(owed, 0);
  billing.catalog.customers.save({
    ...customer,
    next_invoice_sequence: sequence + 1,
    // Billed in the currency of its first invoice from then on
    // (https://docs.stripe.com/api/customers/object#customer_object-currency).
    currency: customer.currency ?? invoice.currency,
  });
  // `customer.updated` "occurs whenever any property of a customer changes" (the SDK's event docs).
  if (customer.currency === null)
    batch.record('customer.updated', billing.catalog.customer(customer.id), at, { currency: null });
  // What the invoice took from the balance (or, for a credit invoice, gave it) is a transaction of
  // the customer's ledger (https://docs.stripe.com/billing/customer/balance).
  if (invoice.ending_balance !== invoice.starting_balance)
    recordBalanceTransaction(
      billing.store,
      (updated, previous, when) => batch.record('customer.updated', updated, when, previous),
      billing.catalog.customer(customer.id),
      {
        amount: invoice.ending_balance - invoice.starting_balance,
        currency: invoice.currency,
        type: 'applied_to_invoice',
        invoice: invoice.id,
        created: at,
      },
    );

  invoice.status_transitions.finalized_at = at;
  invoice.effective_at = at;
  invoice.automatically_finalizes_at = null;
  invoice.webhooks_delivered_at = invoice.webhooks_delivered_at ?? at;
  const base = `${billing.baseUrl()}/invoices/${invoice.id}`;
  invoice.hosted_invoice_url = base;
  invoice.invoice_pdf = `${base}/pdf`;
  if (invoice.collection_method === 'send_invoice' && invoice.due_date === null) {
    invoice.due_date = at + 30 * 86_400;
  }
  billing.data.invoices.save(invoice);
  batch.record('invoice.finalized', view(invoice), at);

  if (invoice.amount_due === 0) {
    markInvoicePaid(billing, batch, invoice, at);
    return;
  }
  createInvoicePaymentIntent(billing, batch, invoice, at);
}

function paymentDescription(reason: Stripe.Invoice.BillingReason | null): string | null {
  switch (reason) {
    case 'subscription_create':
      return 'Subscription creation';
    case 'subscription_cycle':
      return 'Subscription update';
    case 'subscription_update':
      return 'Subscription update';
    default:
      return null;
  }
}

function createInvoicePaymentIntent(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  at: number,
) {
  const pi = newPaymentIntent({
    amount: invoice.amount_due,
    currency: invoice.currency,
    customer: customerId(invoice.customer),
    description: paymentDescription(invoice.billing_reason),
    metadata: {},
    paymentMethod: null,
    created: at,
  });
  billing.data.paymentIntents.save(pi);
  billing.data.invoicePayments.save(newInvoicePayment({ invoice, paymentIntent: pi.id, created: at }));
  billing.data.invoiceBookkeeping.save({ ...invoiceBookkeeping(billing, invoice.id), paymentIntent: pi.id });
  batch.record('payment_intent.created', pi, at);
}

/** Marks an invoice paid (by a charge, out of band, or because nothing was due). */
export function markInvoicePaid(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  at: number,
  options: { outOfBand?: boolean; payment?: { record: Stripe.InvoicePayment; amount: number } } = {},
): void {
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.status = 'paid';
  invoice.status_transitions.paid_at = at;
  invoice.next_payment_attempt = null;
  invoice.auto_advance = false;
  if (options.outOfBand) invoice.attempted = true;
  billing.data.invoices.save(invoice);
  batch.record('invoice.paid', view(invoice), at);
  // Paid out of band, no payment succeeded; a charge or a zero amount counts as one.
  if (!options.outOfBand) batch.record('invoice.payment_succeeded', view(invoice), at);
  if (options.payment) {
    const { record, amount } = options.payment;
    record.status = 'paid';
    record.amount_paid = amount;
    record.status_transitions.paid_at = at;
    billing.data.invoicePayments.save(record);
    batch.record('invoice_payment.paid', record, at);
  }
  afterInvoicePaid(billing, batch, invoice, at);
}
