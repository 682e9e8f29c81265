import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idText, text } from '../http/input.js';
import { createdRange, pageQueryFields } from '../http/pagination.js';
import { errorResponses, upstreamErrorResponses } from '../http/schemas.js';
import { sortQueryFields } from '../http/sorting.js';
import { REFUND_SORTS } from './repository.js';
import type { RefundService } from './service.js';

const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

const refundBody = z
  .object({
    payment_id: z
      .string()
      .max(203)
      .regex(/^(pi|ch)_[A-Za-z0-9]{1,200}$/, 'expected a payment intent (pi_…) or charge (ch_…) id')
      .optional(),
    invoice_id: z
      .string()
      .max(203)
      .regex(/^in_[A-Za-z0-9]{1,200}$/, 'expected an invoice id (in_…)')
      .optional(),
    amount: z
      .number()
      .int()
      .positive()
      .max(99_999_999)
      .optional()
      .describe('Minor units; absent refunds whatever is left to refund'),
    reason: z.enum(REFUND_REASONS),
    note: text(500).min(1).optional().describe('Kept in the refund’s Stripe metadata'),
  })
  .strict();

const refundView = z
  .object({
    id: z.string(),
    status: z.string().nullable(),
    amount: z.number().int(),
    currency: z.string(),
    charge_id: z.string().nullable(),
    payment_intent_id: z.string().nullable(),
    invoice_id: z
      .string()
      .nullable()
      .describe(
        'The invoice the refunded payment paid: named by the request, else found from the payment (null: none, or not found yet)',
      ),
    reason: z.string().nullable(),
  })
  .describe('Refund');

const refundListItem = refundView.extend({
  customer_id: z.string().nullable().describe('The customer of the refunded charge'),
  created_at: z.string(),
});

const listQuery = z.object({
  charge_id: idText().optional(),
  payment_intent_id: idText().optional(),
  invoice_id: idText().optional().describe('The refunds of the payment that paid this invoice'),
  ...pageQueryFields,
  ...sortQueryFields(REFUND_SORTS, 'created'),
});

const admin = ['admin'] as const;
const tags = ['refunds'];

export function refundRoutes(refunds: RefundService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/stripe/refunds',
      {
        config: { access: admin, idempotent: true },
        schema: {
          tags,
          summary: 'Refund a payment or a paid invoice, in part or in full',
          body: refundBody,
          response: { 201: refundView, ...upstreamErrorResponses },
        },
      },
      async (request, reply) => {
        const refund = await refunds.refund(request.body, { idempotencyKey: request.idempotencyKey });
        return reply.status(201).send(refund);
      },
    );

    app.get(
      '/api/refunds',
      {
        config: { access: admin },
        schema: {
          tags,
          summary:
            'Refunds, newest first (or sorted by `sort`/`order`), by charge, payment intent and creation time',
          querystring: listQuery,
          response: {
            200: z.object({ data: z.array(refundListItem), next_cursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const q = request.query;
        const { createdFrom, createdTo } = createdRange(q.created_from, q.created_to);
        return refunds.list(
          {
            chargeId: q.charge_id,
            paymentIntentId: q.payment_intent_id,
            invoiceId: q.invoice_id,
            createdFrom,
            createdTo,
          },
          { limit: q.limit, sort: { key: q.sort, order: q.order }, cursor: q.cursor },
        );
      },
    );
  };
}
