import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { APP_WEBHOOK_DELIVERY_STATUSES } from '../db/schema/index.js';
import { dateTime, idParams } from '../http/input.js';
import { cursorParam, decodeCursor, pageOf } from '../http/pagination.js';
import { errorResponses } from '../http/schemas.js';
import type { AttemptRow, DeliveryRow } from './endpoint-repository.js';
import type { EndpointService } from './endpoint-service.js';
import { tags } from './routes.js';

const deliveryView = z
  .object({
    id: z.string(),
    endpoint_id: z.string(),
    message_id: z.string().describe('The `webhook-id` header every attempt carries'),
    type: z.string(),
    subject: z.string(),
    sequence: z.number().int(),
    status: z.enum(APP_WEBHOOK_DELIVERY_STATUSES),
    attempts: z.number().int(),
    next_attempt_at: z.string().describe('When the next attempt is due, while pending'),
    last_attempt_at: z.string().nullable(),
    last_status_code: z
      .number()
      .int()
      .nullable()
      .describe('The HTTP status of the last answer; null before one or when none came'),
    delivered_at: z.string().nullable(),
    created_at: z.string(),
  })
  .describe('WebhookDelivery');

const attemptView = z.object({
  attempted_at: z.string(),
  duration_ms: z.number().int(),
  status_code: z.number().int().nullable().describe('null when no answer came'),
  response_body: z.string().nullable().describe('The first 1 KB of the answer'),
  error: z.string().nullable().describe('Why no answer came, or why the target was refused'),
  succeeded: z.boolean(),
});

function toDeliveryView(row: DeliveryRow): z.infer<typeof deliveryView> {
  return {
    id: row.id,
    endpoint_id: row.endpointId,
    message_id: row.messageId,
    type: row.type,
    subject: row.subject,
    sequence: row.sequence,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.nextAttemptAt.toISOString(),
    last_attempt_at: row.lastAttemptAt?.toISOString() ?? null,
    last_status_code: row.lastStatusCode,
    delivered_at: row.deliveredAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

function toAttemptView(row: AttemptRow): z.infer<typeof attemptView> {
  return {
    attempted_at: row.attemptedAt.toISOString(),
    duration_ms: row.durationMs,
    status_code: row.statusCode,
    response_body: row.responseBody,
    error: row.error,
    succeeded: row.succeeded,
  };
}

const admin = ['admin'] as const;

/** What was sent to an endpoint, every attempt of it, and sending again. */
export function appWebhookDeliveryRoutes(endpoints: EndpointService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/admin/webhook-endpoints/:id/deliveries',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'An endpoint’s deliveries, newest first',
          params: idParams,
          querystring: z.object({
            status: z.enum(APP_WEBHOOK_DELIVERY_STATUSES).optional(),
            limit: z.coerce.number().int().min(1).max(100).default(25),
            cursor: cursorParam(),
          }),
          response: {
            200: z.object({ data: z.array(deliveryView), next_cursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { status, limit, cursor } = request.query;
        const rows = await endpoints.deliveries(
          request.params.id,
          { status },
          { limit, before: cursor ? decodeCursor(cursor) : undefined },
        );
        return pageOf(rows, limit, (row) => ({ at: row.createdAt, id: row.id }), toDeliveryView);
      },
    );

    app.post(
      '/api/admin/webhook-endpoints/:id/resend-failed',
      {
        config: { access: admin, idempotent: true },
        schema: {
          tags,
          summary: 'Send again every failed delivery to this endpoint created since a time',
          params: idParams,
          body: z.object({ since: dateTime().describe('Created at or after (ISO 8601)') }).strict(),
          response: { 202: z.object({ resent: z.number().int() }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const resent = await endpoints.resendFailed(request.params.id, new Date(request.body.since));
        return reply.status(202).send({ resent });
      },
    );

    app.get(
      '/api/admin/webhook-deliveries/:id',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'One delivery with every attempt and the body as signed and sent',
          params: idParams,
          response: {
            200: deliveryView.extend({
              body: z.string().describe('The JSON text exactly as signed and sent'),
              attempts_log: z.array(attemptView).describe('Oldest first'),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { delivery, attempts } = await endpoints.delivery(request.params.id);
        return {
          ...toDeliveryView(delivery),
          body: delivery.body,
          attempts_log: attempts.map(toAttemptView),
        };
      },
    );

    app.post(
      '/api/admin/webhook-deliveries/:id/resend',
      {
        config: { access: admin, idempotent: true },
        schema: {
          tags,
          summary: 'Send a delivery again now, whatever its status (a succeeded one too)',
          params: idParams,
          response: { 202: deliveryView, ...errorResponses },
        },
      },
      async (request, reply) => {
        await endpoints.resend(request.params.id);
        const { delivery } = await endpoints.delivery(request.params.id);
        return reply.status(202).send(toDeliveryView(delivery));
      },
    );
  };
}
