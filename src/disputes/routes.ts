import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, idText } from '../http/input.js';
import { pageQueryFields, parsePageQuery } from '../http/pagination.js';
import { errorResponses } from '../http/schemas.js';
import type { DisputeService } from './service.js';

const DISPUTE_STATUSES = [
  'warning_needs_response',
  'warning_under_review',
  'warning_closed',
  'needs_response',
  'under_review',
  'won',
  'lost',
  'prevented',
] as const;

const concerned = {
  id: z.string(),
  charge_id: z.string(),
  payment_intent_id: z.string().nullable(),
  invoice_id: z.string().nullable().describe('The invoice the disputed payment paid'),
  subscription_id: z.string().nullable().describe('The subscription that invoice belongs to'),
  customer_id: z.string().nullable(),
  user_id: z.string().nullable().describe('The host app’s user of the customer'),
};

export const disputeView = z
  .object({
    ...concerned,
    amount: z.number().int().describe('Minor units'),
    currency: z.string(),
    reason: z.string().describe('Stripe’s reason: fraudulent, product_not_received, general, …'),
    status: z.string().describe('Stripe’s status'),
    evidence_due_by: z.string().nullable(),
    is_charge_refundable: z.boolean(),
    access_frozen: z.boolean().describe('Whether it suspends the subscription’s entitlements now'),
    created_at: z.string(),
  })
  .describe('Dispute');

const disputeDetail = disputeView
  .extend({
    actions: z
      .array(
        z.object({
          action: z.enum(['access_suspended', 'access_restored', 'subscription_canceled', 'charge_refunded']),
          subscription_id: z.string().nullable(),
          result_id: z.string().nullable().describe('Stripe’s id of what the action made (a refund)'),
          created_at: z.string(),
        }),
      )
      .describe('What the dispute policy did, oldest first'),
  })
  .describe('DisputeDetail');

const warningView = z
  .object({
    ...concerned,
    fraud_type: z.string(),
    actionable: z.boolean().describe('False once the charge is refunded in full or disputed'),
    created_at: z.string(),
  })
  .describe('EarlyFraudWarning');

const byWhom = {
  subscription_id: idText().optional(),
  customer_id: idText().optional(),
};

const listQuery = z.object({
  status: z.enum(DISPUTE_STATUSES).optional(),
  reason: idText(60).optional(),
  ...byWhom,
  ...pageQueryFields,
});

const admin = ['admin'] as const;
const tags = ['disputes'];

export function disputeRoutes(disputes: DisputeService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/admin/disputes',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'Disputes, newest first, by status, reason, subscription, customer and creation time',
          querystring: listQuery,
          response: {
            200: z.object({ data: z.array(disputeView), next_cursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { createdFrom, createdTo, page } = parsePageQuery(request.query);
        const { status, reason, subscription_id, customer_id } = request.query;
        return disputes.list(
          {
            status,
            reason,
            subscriptionId: subscription_id,
            customerId: customer_id,
            createdFrom,
            createdTo,
          },
          page,
        );
      },
    );

    app.get(
      '/api/admin/disputes/:id',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'One dispute, with what the dispute policy did about it',
          params: idParams,
          response: { 200: disputeDetail, ...errorResponses },
        },
      },
      async (request) => disputes.get(request.params.id),
    );

    app.get(
      '/api/admin/early-fraud-warnings',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'Early fraud warnings, newest first, by subscription, customer and creation time',
          querystring: z.object({ ...byWhom, ...pageQueryFields }),
          response: {
            200: z.object({ data: z.array(warningView), next_cursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { createdFrom, createdTo, page } = parsePageQuery(request.query);
        const { subscription_id, customer_id } = request.query;
        return disputes.listWarnings(
          { subscriptionId: subscription_id, customerId: customer_id, createdFrom, createdTo },
          page,
        );
      },
    );
  };
}
