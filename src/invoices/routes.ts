import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, idText } from '../http/input.js';
import { createdRange, pageQueryFields } from '../http/pagination.js';
import { errorResponses, upstreamErrorResponses } from '../http/schemas.js';
import { sortQueryFields } from '../http/sorting.js';
import { orgContextField } from '../organizations/context-schemas.js';
import { RECUR_STATUSES } from '../subscriptions/status.js';
import { INVOICE_SORTS, type InvoiceFilter } from './repository.js';
import type { InvoiceService } from './service.js';

const INVOICE_STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;

const pageQuery = z.object({
  status: z.enum(INVOICE_STATUSES).optional(),
  ...pageQueryFields,
  ...sortQueryFields(INVOICE_SORTS, 'created'),
});

const meQuery = pageQuery.extend({ org: orgContextField });

const adminQuery = pageQuery.extend({
  customer_id: idText().optional(),
  subscription_id: idText().optional(),
});

const nullableTime = z.string().nullable();
export const invoiceViewSchema = z
  .object({
    id: z.string(),
    number: z.string().nullable(),
    status: z.string(),
    customer_id: z.string(),
    subscription_id: z.string().nullable(),
    subscription_status: z.enum(RECUR_STATUSES).nullable(),
    currency: z.string(),
    subtotal: z.number().int(),
    total: z.number().int(),
    tax: z.number().int().describe('Stripe Tax’s tax inside total; 0 without tax'),
    total_excluding_tax: z.number().int().describe('total less its tax'),
    amount_due: z.number().int(),
    amount_paid: z.number().int(),
    amount_remaining: z.number().int(),
    period_start: nullableTime,
    period_end: nullableTime,
    billing_reason: z.string().nullable(),
    attempt_count: z.number().int(),
    next_payment_attempt: nullableTime,
    hosted_invoice_url: z.string().nullable(),
    pdf_url: z.string().nullable(),
    paid_at: nullableTime,
    created_at: z.string(),
  })
  .describe('Invoice');

const invoicePage = z.object({ data: z.array(invoiceViewSchema), next_cursor: z.string().nullable() });

function toPage(query: z.infer<typeof pageQuery> & { customer_id?: string; subscription_id?: string }) {
  const { createdFrom, createdTo } = createdRange(query.created_from, query.created_to);
  const page = { limit: query.limit, sort: { key: query.sort, order: query.order }, cursor: query.cursor };
  const filter: InvoiceFilter = {
    status: query.status,
    customerId: query.customer_id,
    subscriptionId: query.subscription_id,
    createdFrom,
    createdTo,
  };
  return { filter, page };
}

const tags = ['invoices'];

export function invoiceRoutes(invoices: InvoiceService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/me/invoices',
      {
        config: { access: ['user'] },
        schema: {
          tags,
          summary:
            'The signed-in user’s invoices, or with ?org= an organisation’s, newest first (kept after their customer is deleted)',
          querystring: meQuery,
          response: { 200: invoicePage, ...errorResponses },
        },
      },
      async (request) => {
        const { filter, page } = toPage(request.query);
        return invoices.list(request.principal!, filter, page, request.query.org);
      },
    );

    app.get(
      '/api/invoices',
      {
        config: { access: ['admin', 'service'] },
        schema: {
          tags,
          summary:
            'All invoices, newest first (or sorted by `sort`/`order`), by status, customer, subscription and creation time',
          querystring: adminQuery,
          response: { 200: invoicePage, ...errorResponses },
        },
      },
      async (request) => {
        const { filter, page } = toPage(request.query);
        return invoices.list(request.principal!, filter, page);
      },
    );

    app.get(
      '/api/invoices/:id',
      {
        config: { access: ['admin', 'service', 'user'] },
        schema: {
          tags,
          summary: 'One invoice (a user sees their own, and an organisation’s as its owner or billing admin)',
          params: idParams,
          response: { 200: invoiceViewSchema, ...errorResponses },
        },
      },
      async (request) => invoices.get(request.principal!, request.params.id),
    );

    app.get(
      '/api/invoices/:id/pdf',
      {
        config: { access: ['admin', 'service', 'user'] },
        schema: {
          tags,
          summary: 'Download the invoice PDF (409 pdf_not_available for a draft)',
          params: idParams,
          produces: ['application/pdf'],
          response: {
            200: z.any().describe('The PDF document'),
            ...upstreamErrorResponses,
          },
        },
      },
      async (request, reply) => {
        const { filename, pdf } = await invoices.pdf(request.principal!, request.params.id);
        reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename="${filename}"`)
          .header('cache-control', 'private, no-store');
        if (pdf.length !== null) reply.header('content-length', pdf.length);
        return reply.send(pdf.body);
      },
    );
  };
}
