// Invoices and invoice items made through the API (rather than by a subscription): creation,
// edits while draft, deletion, and the status changes an integration drives by hand.

import type Stripe from 'stripe';
import { previousAttributes } from '../../core/diff.js';
import { invalidRequest, parameterMissing } from '../../core/errors.js';
import { initialMetadata, mergeMetadata } from '../../core/records.js';
import { newInvoiceItem } from '../objects/invoice-objects.js';
import { attemptInvoicePayment, invoicePaymentIntent, settlePaidInvoice } from './collection.js';
import { type Billing, customerId } from './context.js';
import type { EventBatch } from './event-batch.js';
import { invoiceItemLine } from './invoice-lines.js';
import {
  createDraftInvoice,
  finalizeInvoice,
  markInvoicePaid,
  pendingInvoiceItems,
  recomputeInvoice,
  view,
} from './invoicing.js';

export function createInvoice(
  billing: Billing,
  batch: EventBatch,
  params: Stripe.InvoiceCreateParams,
): Stripe.Invoice {
  if (!params.customer) throw parameterMissing('customer');
  const customer = billing.catalog.customer(params.customer, 'customer');
  const at = billing.clock.nowForCustomer(customer.id);
  const subscription = params.subscription ? billing.data.subscriptions.get(params.subscription) : undefined;
  if (params.subscription && !subscription) {
    throw invalidRequest(`No such subscription: '${params.subscription}'`, {
      param: 'subscription',
      code: 'resource_missing',
    });
  }
  const collectionMethod = params.collection_method ?? 'charge_automatically';
  const dueDate =
    params.due_date ??
    (collectionMethod === 'send_invoice' ? at + (params.days_until_due ?? 30) * 86_400 : null);
  const include = params.pending_invoice_items_behavior === 'include';
  return createDraftInvoice(billing, batch, {
    customer: customer.id,
    currency: params.currency ?? subscription?.currency ?? 'usd',
    created: at,
    billingReason: 'manual',
    collectionMethod,
    subscription: subscription ?? null,
    period: { start: at, end: at },
    autoAdvance: params.auto_advance ?? false,
    description: params.description ?? null,
    metadata: initialMetadata(params.metadata as Record<string, string> | undefined),
    defaultPaymentMethod: params.default_payment_method ?? null,
    dueDate,
    testClock: (customer.test_clock as string | null) ?? null,
    invoiceItems: include ? pendingInvoiceItems(billing, customer.id, subscription?.id ?? null) : [],
  });
}

export function updateInvoice(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  params: Stripe.InvoiceUpdateParams,
): Stripe.Invoice {
  const at = billing.clock.nowForObject(invoice);
  const before = structuredClone(view(invoice));
  const draftOnly = [
    'collection_method',
    'days_until_due',
    'due_date',
    'default_payment_method',
    'discounts',
  ];
  const touched = draftOnly.find((key) => key in params);
  if (touched && invoice.status !== 'draft') {
    throw invalidRequest(`You can only update \`${touched}\` on a draft invoice.`, { param: touched });
  }
  if (params.metadata !== undefined) {
    invoice.metadata = mergeMetadata(
      invoice.metadata ?? {},
      params.metadata as Record<string, string> | null,
    );
  }
  if (params.description !== undefined) invoice.description = params.description || null;
  if (params.auto_advance !== undefined) invoice.auto_advance = params.auto_advance;
  if (params.collection_method) invoice.collection_method = params.collection_method;
  if (params.default_payment_method !== undefined)
    invoice.default_payment_method = params.default_payment_method || null;
  if (typeof params.due_date === 'number') invoice.due_date = params.due_date;
  if (params.days_until_due !== undefined) invoice.due_date = at + params.days_until_due * 86_400;
  billing.data.invoices.save(invoice);
  batch.record(
    'invoice.updated',
    view(invoice),
    at,
    previousAttributes(
      before as unknown as Record<string, unknown>,
      view(invoice) as unknown as Record<string, unknown>,
    ),
  );
  return invoice;
}

export function deleteDraft(billing: Billing, batch: EventBatch, invoice: Stripe.Invoice) {
  if (invoice.status !== 'draft') {
    throw invalidRequest('You can only delete draft invoices.', { code: 'invoice_not_editable' });
  }
  // Its invoice items go back to pending, as Stripe leaves them.
  for (const item of billing.data.invoiceItems.filter((i) => i.invoice === invoice.id)) {
    billing.data.invoiceItems.save({ ...item, invoice: null });
  }
  billing.data.invoices.delete(invoice.id);
  batch.record('invoice.deleted', view(invoice), billing.clock.nowForObject(invoice));
  return { id: invoice.id, object: 'invoice' as const, deleted: true as const };
}

export function finalizeByHand(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  autoAdvance?: boolean,
) {
  if (invoice.status !== 'draft') {
    throw invalidRequest("This invoice is already finalized, you can't re-finalize a non-draft invoice.", {
      code: 'invoice_not_editable',
    });
  }
  if (autoAdvance !== undefined) invoice.auto_advance = autoAdvance;
  finalizeInvoice(billing, batch, invoice, billing.clock.nowForObject(invoice));
  return invoice;
}

export interface PayParams {
  paid_out_of_band?: boolean;
  payment_method?: string;
  off_session?: boolean;
}

/** `POST /v1/invoices/:id/pay`: finalizes a draft first, as Stripe does, then collects. */
export function payByHand(billing: Billing, batch: EventBatch, invoice: Stripe.Invoice, params: PayParams) {
  const at = billing.clock.nowForObject(invoice);
  if (invoice.status === 'draft') finalizeInvoice(billing, batch, invoice, at);
  if (invoice.status === 'paid')
    throw invalidRequest('Invoice is already paid', { code: 'invoice_already_paid' });
  if (invoice.status !== 'open') {
    throw invalidRequest(`You cannot pay an invoice with status ${invoice.status}.`, {
      code: 'invoice_not_editable',
    });
  }
  if (params.paid_out_of_band) {
    const intent = invoicePaymentIntent(billing, invoice);
    if (intent && intent.status !== 'succeeded') {
      intent.status = 'canceled';
      intent.canceled_at = at;
      billing.data.paymentIntents.save(intent);
    }
    markInvoicePaid(billing, batch, invoice, at, { outOfBand: true });
    return { invoice, outcome: { paid: true as const } };
  }
  const outcome = attemptInvoicePayment(billing, batch, invoice, at, {
    paymentMethod: params.payment_method ?? null,
    offSession: params.off_session ?? true,
  });
  return { invoice, outcome };
}

/** A client confirmed an invoice's payment intent itself (the `default_incomplete` flow). */
export function afterIntentConfirmed(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  intent: Stripe.PaymentIntent,
  at: number,
): void {
  invoice.attempt_count += 1;
  invoice.attempted = true;
  if (intent.status === 'succeeded') settlePaidInvoice(billing, batch, invoice, intent, at);
  else {
    billing.data.invoices.save(invoice);
    batch.record('invoice.payment_failed', view(invoice), at);
  }
}

export function createInvoiceItem(
  billing: Billing,
  batch: EventBatch,
  params: Stripe.InvoiceItemCreateParams,
): Stripe.InvoiceItem {
  if (!params.customer) throw parameterMissing('customer');
  const customer = billing.catalog.customer(params.customer, 'customer');
  const at = billing.clock.nowForCustomer(customer.id);
  const priceId = params.pricing?.price;
  const price = priceId ? billing.catalog.price(priceId, 'pricing[price]') : null;
  const quantity = params.quantity ?? 1;
  if (!price && params.amount === undefined) throw parameterMissing('amount');
  const amount = price ? (price.unit_amount ?? 0) * quantity : params.amount!;
  const currency = price?.currency ?? params.currency;
  if (!currency) throw parameterMissing('currency');
  const invoice = params.invoice ? billing.data.invoices.get(params.invoice) : undefined;
  if (params.invoice && !invoice) {
    throw invalidRequest(`No such invoice: '${params.invoice}'`, {
      param: 'invoice',
      code: 'resource_missing',
    });
  }
  if (invoice && invoice.status !== 'draft') {
    throw invalidRequest('You can only add invoice items to draft invoices.', {
      param: 'invoice',
      code: 'invoice_not_editable',
    });
  }
  const item = newInvoiceItem({
    customer: customer.id,
    currency,
    amount,
    quantity,
    unitAmountDecimal: String(price ? (price.unit_amount ?? 0) : amount / quantity),
    price,
    description:
      params.description ?? (price ? billing.catalog.product(String(price.product)).name : 'Invoice item'),
    date: at,
    period: { start: params.period?.start ?? at, end: params.period?.end ?? at },
    proration: false,
    discountable: params.discountable ?? true,
    invoice: invoice?.id ?? null,
    subscription: params.subscription ?? null,
    subscriptionItem: null,
    metadata: initialMetadata(params.metadata as Record<string, string> | undefined),
    testClock: (customer.test_clock as string | null) ?? null,
  });
  billing.data.invoiceItems.save(item);
  batch.record('invoiceitem.created', item, at);
  if (invoice) {
    invoice.lines.data.push(invoiceItemLine(invoice.id, item));
    recomputeInvoice(billing, invoice);
    billing.data.invoices.save(invoice);
  }
  return item;
}

export function deleteInvoiceItem(billing: Billing, batch: EventBatch, item: Stripe.InvoiceItem) {
  const invoice = item.invoice ? billing.data.invoices.get(String(item.invoice)) : undefined;
  if (invoice && invoice.status !== 'draft') {
    throw invalidRequest('You cannot delete an invoice item attached to a finalized invoice.', {
      code: 'invoice_not_editable',
    });
  }
  if (invoice) {
    invoice.lines.data = invoice.lines.data.filter(
      (line) =>
        line.parent?.invoice_item_details?.invoice_item !== item.id &&
        line.parent?.subscription_item_details?.invoice_item !== item.id,
    );
    recomputeInvoice(billing, invoice);
    billing.data.invoices.save(invoice);
  }
  billing.data.invoiceItems.delete(item.id);
  batch.record(
    'invoiceitem.deleted',
    item,
    billing.clock.nowForCustomer(customerId(item.customer as string)),
  );
  return { id: item.id, object: 'invoiceitem' as const, deleted: true as const };
}
