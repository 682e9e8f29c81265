// /v1/invoices, /v1/invoiceitems and /v1/invoice_payments.

import type Stripe from 'stripe';
import type { EmulatorContext } from '../../core/context.js';
import { cardError, docUrlFor, invalidRequest } from '../../core/errors.js';
import { inRange, listFields, type PaginationParams, paginate } from '../../core/list.js';
import type { RangeFilter } from '../../core/params.js';
import { p } from '../../core/params.js';
import { mergeMetadata, mustGet } from '../../core/records.js';
import { type SearchParams, searchFields, searchResult } from '../../core/search.js';
import { invoicePaymentIntent } from '../engine/collection.js';
import type { Billing } from '../engine/context.js';
import { view } from '../engine/invoicing.js';
import {
  createInvoice,
  createInvoiceItem,
  deleteDraft,
  deleteInvoiceItem,
  finalizeByHand,
  type PayParams,
  payByHand,
  updateInvoice,
} from '../engine/manual-invoicing.js';
import { previewInvoice } from '../engine/preview.js';
import { markUncollectible, voidInvoice } from '../engine/renewal.js';
import { act, catchUp } from './action.js';
import {
  createInvoiceFields,
  createInvoiceItemFields,
  listInvoiceFields,
  listInvoiceItemFields,
  payInvoiceFields,
  previewFields,
  updateInvoiceFields,
  updateInvoiceItemFields,
} from './invoice-params.js';

interface InvoiceListParams extends PaginationParams {
  customer?: string;
  subscription?: string;
  status?: string;
  collection_method?: string;
  created?: number | RangeFilter;
  due_date?: number | RangeFilter;
}

export function installInvoiceRoutes(ctx: EmulatorContext, billing: Billing): void {
  const invoices = billing.data.invoices;
  const find = (id: string) => mustGet(invoices, id, 'invoice');
  const subscriptionOf = (invoice: Stripe.Invoice) =>
    invoice.parent?.subscription_details?.subscription ?? null;

  ctx.route<Stripe.InvoiceCreateParams>({
    method: 'POST',
    path: '/v1/invoices',
    params: createInvoiceFields,
    handler: ({ params }) => act(billing, (batch) => view(createInvoice(billing, batch, params))),
  });
  ctx.route({
    method: 'GET',
    path: '/v1/invoices/:id',
    handler: ({ pathParams }) => {
      catchUp(billing);
      return view(find(pathParams.id!));
    },
  });
  ctx.route<Stripe.InvoiceUpdateParams>({
    method: 'POST',
    path: '/v1/invoices/:id',
    params: updateInvoiceFields,
    handler: ({ pathParams, params }) =>
      act(billing, (batch) => view(updateInvoice(billing, batch, find(pathParams.id!), params))),
  });
  ctx.route({
    method: 'DELETE',
    path: '/v1/invoices/:id',
    handler: ({ pathParams }) => act(billing, (batch) => deleteDraft(billing, batch, find(pathParams.id!))),
  });
  ctx.route<InvoiceListParams>({
    method: 'GET',
    path: '/v1/invoices',
    params: listInvoiceFields,
    handler: ({ params }) => {
      catchUp(billing);
      const matches = (i: Stripe.Invoice) =>
        (!params.customer || i.customer === params.customer) &&
        (!params.subscription || subscriptionOf(i) === params.subscription) &&
        (!params.status || i.status === params.status) &&
        (!params.collection_method || i.collection_method === params.collection_method) &&
        inRange(i.created, params.created) &&
        (params.due_date === undefined || (i.due_date !== null && inRange(i.due_date, params.due_date)));
      const page = paginate(invoices.newestFirst(), params, {
        url: '/v1/invoices',
        noun: 'invoice',
        matches,
      });
      return { ...page, data: page.data.map(view) };
    },
  });
  ctx.route<SearchParams>({
    method: 'GET',
    path: '/v1/invoices/search',
    params: searchFields,
    handler: ({ params }) => {
      catchUp(billing);
      const result = searchResult(invoices.newestFirst(), params, {
        url: '/v1/invoices/search',
        resource: 'invoices',
        fields: {
          customer: (i) => String(i.customer),
          status: (i) => i.status,
          subscription: (i) => (subscriptionOf(i) as string | null) ?? null,
          total: (i) => i.total,
          created: (i) => i.created,
          number: (i) => i.number,
        },
      });
      return { ...result, data: result.data.map(view) };
    },
  });
  ctx.route<PaginationParams>({
    method: 'GET',
    path: '/v1/invoices/:id/lines',
    params: listFields(),
    handler: ({ pathParams, params }) => {
      const invoice = find(pathParams.id!);
      return paginate(invoice.lines.data, params, {
        url: `/v1/invoices/${invoice.id}/lines`,
        noun: 'line_item',
      });
    },
  });
  ctx.route<Stripe.InvoiceCreatePreviewParams>({
    method: 'POST',
    path: '/v1/invoices/create_preview',
    params: previewFields,
    handler: ({ params }) => {
      catchUp(billing);
      return view(previewInvoice(billing, params));
    },
  });
  ctx.route<{ auto_advance?: boolean }>({
    method: 'POST',
    path: '/v1/invoices/:id/finalize',
    params: { auto_advance: p.boolean() },
    handler: ({ pathParams, params }) =>
      act(billing, (batch) =>
        view(finalizeByHand(billing, batch, find(pathParams.id!), params.auto_advance)),
      ),
  });
  ctx.route<PayParams>({
    method: 'POST',
    path: '/v1/invoices/:id/pay',
    params: payInvoiceFields,
    handler: ({ pathParams, params }) =>
      act(billing, (batch) => {
        const { invoice, outcome } = payByHand(billing, batch, find(pathParams.id!), params);
        if (!outcome.paid) throw declined(billing, invoice, outcome.charge);
        return view(invoice);
      }),
  });
  ctx.route({
    method: 'POST',
    path: '/v1/invoices/:id/void',
    handler: ({ pathParams }) =>
      act(billing, (batch) => {
        const invoice = find(pathParams.id!);
        if (invoice.status !== 'open' && invoice.status !== 'uncollectible') {
          throw invalidRequest(
            `You can only void an open or uncollectible invoice; this one is ${invoice.status}.`,
            {
              code: 'invoice_not_editable',
            },
          );
        }
        voidInvoice(billing, batch, invoice, billing.clock.nowForObject(invoice));
        return view(invoice);
      }),
  });
  ctx.route({
    method: 'POST',
    path: '/v1/invoices/:id/mark_uncollectible',
    handler: ({ pathParams }) =>
      act(billing, (batch) => {
        const invoice = find(pathParams.id!);
        if (invoice.status !== 'open') {
          throw invalidRequest(
            `You can only mark an open invoice uncollectible; this one is ${invoice.status}.`,
            {
              code: 'invoice_not_editable',
            },
          );
        }
        markUncollectible(billing, batch, invoice, billing.clock.nowForObject(invoice));
        return view(invoice);
      }),
  });
  ctx.route({
    method: 'POST',
    path: '/v1/invoices/:id/send',
    handler: ({ pathParams }) =>
      act(billing, (batch) => {
        // A draft is finalized first, then sent; a paid invoice can be sent too, with no mention of
        // its payment (https://docs.stripe.com/api/invoices/send).
        const invoice = find(pathParams.id!);
        if (invoice.status === 'draft') finalizeByHand(billing, batch, invoice);
        if (invoice.status !== 'open' && invoice.status !== 'paid') {
          throw invalidRequest(`You can't send an invoice with status ${invoice.status}.`, {
            code: 'invoice_not_editable',
          });
        }
        batch.record('invoice.sent', view(invoice), billing.clock.nowForObject(invoice));
        return view(invoice);
      }),
  });

  installInvoiceItemRoutes(ctx, billing);
}

/** The 402 Stripe answers when paying an invoice fails, naming the charge and payment intent. */
function declined(billing: Billing, invoice: Stripe.Invoice, charge: Stripe.Charge | null) {
  if (!charge) {
    const intent = invoicePaymentIntent(billing, invoice);
    if (intent?.status === 'requires_action') {
      return invalidRequest(
        'This payment requires additional user action before it can be completed successfully.',
        {
          code: 'invoice_payment_intent_requires_action',
        },
      );
    }
    return invalidRequest(
      'This customer has no attached payment source or default payment method. Please consider adding a default payment method.',
    );
  }
  const intent = billing.data.paymentIntents.get(String(charge.payment_intent));
  return cardError(
    charge.failure_code ?? 'card_declined',
    charge.failure_message ?? 'Your card was declined.',
    {
      ...(charge.outcome?.reason && { declineCode: charge.outcome.reason }),
      extras: {
        charge: charge.id,
        payment_intent: intent,
        doc_url: docUrlFor(charge.failure_code ?? 'card_declined'),
      },
    },
  );
}

function installInvoiceItemRoutes(ctx: EmulatorContext, billing: Billing): void {
  const items = billing.data.invoiceItems;
  const find = (id: string) => mustGet(items, id, 'invoiceitem');
  ctx.route<Stripe.InvoiceItemCreateParams>({
    method: 'POST',
    path: '/v1/invoiceitems',
    params: createInvoiceItemFields,
    handler: ({ params }) => act(billing, (batch) => createInvoiceItem(billing, batch, params)),
  });
  ctx.route({
    method: 'GET',
    path: '/v1/invoiceitems/:id',
    handler: ({ pathParams }) => find(pathParams.id!),
  });
  ctx.route<Stripe.InvoiceItemUpdateParams>({
    method: 'POST',
    path: '/v1/invoiceitems/:id',
    params: updateInvoiceItemFields,
    handler: ({ pathParams, params }) => {
      const item = find(pathParams.id!);
      if (params.description !== undefined) item.description = params.description;
      if (params.discountable !== undefined) item.discountable = params.discountable;
      if (params.metadata !== undefined) {
        item.metadata = mergeMetadata(item.metadata ?? {}, params.metadata as Record<string, string> | null);
      }
      return items.save(item);
    },
  });
  ctx.route({
    method: 'DELETE',
    path: '/v1/invoiceitems/:id',
    handler: ({ pathParams }) =>
      act(billing, (batch) => deleteInvoiceItem(billing, batch, find(pathParams.id!))),
  });
  ctx.route<
    PaginationParams & {
      customer?: string;
      invoice?: string;
      pending?: boolean;
      created?: RangeFilter | number;
    }
  >({
    method: 'GET',
    path: '/v1/invoiceitems',
    params: listInvoiceItemFields,
    handler: ({ params }) => {
      const matches = (i: Stripe.InvoiceItem) =>
        (!params.customer || i.customer === params.customer) &&
        (!params.invoice || i.invoice === params.invoice) &&
        (params.pending === undefined || (i.invoice === null) === params.pending) &&
        inRange(i.date, params.created);
      return paginate(items.newestFirst(), params, { url: '/v1/invoiceitems', noun: 'invoiceitem', matches });
    },
  });

  const payments = billing.data.invoicePayments;
  ctx.route({
    method: 'GET',
    path: '/v1/invoice_payments/:id',
    handler: ({ pathParams }) => mustGet(payments, pathParams.id!, 'invoice_payment'),
  });
  ctx.route<PaginationParams & Stripe.InvoicePaymentListParams>({
    method: 'GET',
    path: '/v1/invoice_payments',
    params: listFields({
      invoice: p.string(),
      status: p.enum(['canceled', 'open', 'paid']),
      // The invoice a payment intent paid is found this way since invoices no longer name it.
      payment: p.object({ type: p.enum(['payment_intent'], { required: true }), payment_intent: p.string() }),
    }),
    handler: ({ params }) => {
      const matches = (payment: Stripe.InvoicePayment) =>
        (!params.invoice || payment.invoice === params.invoice) &&
        (!params.status || payment.status === params.status) &&
        (!params.payment?.payment_intent || payment.payment.payment_intent === params.payment.payment_intent);
      return paginate(payments.newestFirst(), params, {
        url: '/v1/invoice_payments',
        noun: 'invoice_payment',
        matches,
      });
    },
  });
}
