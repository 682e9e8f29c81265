import type { OpenAPIV3_1 } from 'openapi-types';
import { z } from 'zod';
import { APP_EVENT_TYPES, type AppEventType, appEventEnvelope } from './catalog.js';
import { APP_EVENT_DOCS, exampleEvent } from './catalog-docs.js';

/** The Standard Webhooks headers every delivery carries. */
const SIGNATURE_HEADERS: OpenAPIV3_1.ParameterObject[] = [
  {
    name: 'webhook-id',
    description: 'The message id (`msg_…`): the same on every retry and every endpoint; deduplicate on it',
  },
  { name: 'webhook-timestamp', description: 'Seconds since the epoch when this attempt was signed' },
  {
    name: 'webhook-signature',
    description:
      '`v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with the endpoint’s secret; during a rotation two, space-separated, one per secret',
  },
].map((header) => ({ ...header, in: 'header', required: true, schema: { type: 'string' as const } }));

/**
 * The envelope of one type as JSON Schema (2020-12, the dialect of OpenAPI 3.1). Objects stay open
 * (no `additionalProperties: false`): a field may be added within a version, and a receiver that
 * validates must not refuse it.
 */
export function appEventJsonSchema(type: AppEventType): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(appEventEnvelope(type), {
    target: 'draft-2020-12',
    io: 'input',
    reused: 'inline',
  });
  return schema;
}

/**
 * The OpenAPI 3.1 `webhooks` section: one entry per message type Recur sends to the host app,
 * with the envelope's schema and an example body, so the docs show them and clients can generate
 * event types.
 */
export function appWebhooksOpenApi(): OpenAPIV3_1.Document['webhooks'] {
  const webhooks = Object.fromEntries(
    APP_EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          operationId: `appWebhook_${type.replace(/\W+/g, '_')}`,
          tags: ['app webhooks'],
          summary: type,
          description: `${APP_EVENT_DOCS[type].sent}\n\nSigned per the Standard Webhooks specification; retried with backoff until a 2xx answer.`,
          parameters: SIGNATURE_HEADERS,
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: appEventJsonSchema(type), example: exampleEvent(type) },
            },
          },
          responses: {
            '200': {
              description:
                'Any 2xx acknowledges the delivery; any other answer, or none within the timeout, is retried',
            },
          },
        },
      },
    ]),
  );
  // openapi-types gives a 3.1 media type 3.0's schema object; zod's JSON Schema is what 3.1 takes.
  return webhooks as OpenAPIV3_1.Document['webhooks'];
}
