import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, text } from '../http/input.js';
import { errorResponses } from '../http/schemas.js';
import { APP_EVENT_TYPES } from './catalog.js';
import type { EndpointRow } from './endpoint-repository.js';
import type { EndpointService } from './endpoint-service.js';

const MAX_WEBHOOK_URL_LENGTH = 2048;
export const MAX_OVERLAP_HOURS = 168;
const DEFAULT_OVERLAP_HOURS = 24;

const endpointView = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    event_types: z.array(z.string()).nullable().describe('null: every type'),
    enabled: z.boolean(),
    disabled_reason: z
      .string()
      .nullable()
      .describe('`manual`, or `failing` when Recur gave up after days of failures; null when enabled'),
    failing_since: z
      .string()
      .nullable()
      .describe('The first failed attempt since the last success; null while deliveries succeed'),
    previous_secret_expires_at: z
      .string()
      .nullable()
      .describe('After a rotation, the old secret keeps signing beside the new one until then'),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .describe('WebhookEndpoint');

export function toEndpointView(row: EndpointRow): z.infer<typeof endpointView> {
  const overlapEnds = row.previousSecretExpiresAt;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: row.eventTypes,
    enabled: row.enabled,
    disabled_reason: row.disabledReason,
    failing_since: row.failingSince?.toISOString() ?? null,
    previous_secret_expires_at: overlapEnds && overlapEnds > new Date() ? overlapEnds.toISOString() : null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

const withSecret = z.object({
  endpoint: endpointView,
  secret: z.string().describe('`whsec_…`: shown in this answer only; Recur cannot show it again'),
});

const endpointFields = {
  url: text(MAX_WEBHOOK_URL_LENGTH)
    .min(1)
    .describe('https:// (required in live mode), no credentials; must not lead to a private address'),
  description: text(500),
  event_types: z
    .array(z.enum(APP_EVENT_TYPES))
    .min(1)
    .max(APP_EVENT_TYPES.length * 2)
    .nullable()
    .describe('The types this endpoint receives; null or absent: every type'),
  enabled: z.boolean(),
};

const createBody = z
  .object({
    ...endpointFields,
    description: endpointFields.description.optional(),
    event_types: endpointFields.event_types.optional(),
    enabled: endpointFields.enabled.optional(),
  })
  .strict();

const updateBody = z
  .object(endpointFields)
  .partial()
  .strict()
  .refine(
    (body) => Object.keys(body).length > 0,
    'Give at least one of url, description, event_types, enabled',
  );

const rotateBody = z
  .object({
    overlap_hours: z
      .number()
      .int()
      .min(0)
      .max(MAX_OVERLAP_HOURS)
      .default(DEFAULT_OVERLAP_HOURS)
      .describe('How long the old secret keeps signing beside the new one (0: stops at once)'),
  })
  .strict()
  .optional();

const admin = ['admin'] as const;
export const tags = ['app webhooks'];

/** The host app's webhook endpoints: created, changed, rotated, tested and deleted by admins. */
export function appWebhookEndpointRoutes(endpoints: EndpointService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/admin/webhook-endpoints',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'List the host app’s webhook endpoints (never their secrets)',
          response: { 200: z.object({ data: z.array(endpointView) }), ...errorResponses },
        },
      },
      async () => ({ data: (await endpoints.list()).map(toEndpointView) }),
    );

    app.post(
      '/api/admin/webhook-endpoints',
      {
        config: { access: admin, idempotent: true },
        schema: {
          tags,
          summary: 'Add a webhook endpoint; its signing secret is shown in this answer only',
          body: createBody,
          response: { 201: withSecret, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { endpoint, secret } = await endpoints.create(request.body);
        return reply.status(201).send({ endpoint: toEndpointView(endpoint), secret });
      },
    );

    app.get(
      '/api/admin/webhook-endpoints/:id',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'One webhook endpoint',
          params: idParams,
          response: { 200: endpointView, ...errorResponses },
        },
      },
      async (request) => toEndpointView(await endpoints.get(request.params.id)),
    );

    app.patch(
      '/api/admin/webhook-endpoints/:id',
      {
        config: { access: admin, idempotent: true },
        schema: {
          tags,
          summary: 'Change an endpoint’s URL, description, event types, or enable or disable it',
          params: idParams,
          body: updateBody,
          response: { 200: endpointView, ...errorResponses },
        },
      },
      async (request) => toEndpointView(await endpoints.update(request.params.id, request.body)),
    );

    app.delete(
      '/api/admin/webhook-endpoints/:id',
      {
        config: { access: admin, idempotent: true },
        schema: {
          tags,
          summary: 'Delete an endpoint with its deliveries and their attempts',
          params: idParams,
          response: { 200: endpointView, ...errorResponses },
        },
      },
      async (request) => toEndpointView(await endpoints.delete(request.params.id)),
    );

    app.post(
      '/api/admin/webhook-endpoints/:id/rotate-secret',
      {
        config: { access: admin, idempotent: true },
        schema: {
          tags,
          summary: 'Replace the signing secret; the old one keeps signing during the overlap',
          params: idParams,
          body: rotateBody,
          response: { 200: withSecret, ...errorResponses },
        },
      },
      async (request) => {
        const { endpoint, secret } = await endpoints.rotateSecret(
          request.params.id,
          request.body?.overlap_hours ?? DEFAULT_OVERLAP_HOURS,
        );
        return { endpoint: toEndpointView(endpoint), secret };
      },
    );

    app.post(
      '/api/admin/webhook-endpoints/:id/test',
      {
        config: { access: admin, idempotent: true },
        schema: {
          tags,
          summary: 'Send a `ping` to this endpoint only (enabled or not)',
          params: idParams,
          response: {
            202: z.object({ message_id: z.string(), delivery_id: z.string() }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const { messageId, deliveryId } = await endpoints.sendTest(request.params.id);
        return reply.status(202).send({ message_id: messageId, delivery_id: deliveryId });
      },
    );
  };
}
