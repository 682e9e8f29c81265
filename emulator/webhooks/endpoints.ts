/** `/v1/webhook_endpoints`: where Stripe sends events, and the secret that signs them. */
import type Stripe from 'stripe';
import type { EmulatorContext, EmulatorModule } from '../core/context.js';
import { invalidRequest } from '../core/errors.js';
import { newId, randomToken } from '../core/ids.js';
import { listFields, type PaginationParams, paginate } from '../core/list.js';
import { p } from '../core/params.js';
import { deletedObject, initialMetadata, mergeMetadata, mustGet } from '../core/records.js';
import type { Wire } from '../core/wire.js';
import { endpointsOf, secretsOf } from './endpoint-store.js';

const NOUN = 'webhook endpoint';
const EVENT_TYPE = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidRequest(`Invalid URL: ${url}`, { param: 'url', code: 'url_invalid' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalidRequest(`Invalid URL: ${url}. URLs must begin with http or https.`, {
      param: 'url',
      code: 'url_invalid',
    });
  }
  return url;
}

function checkEvents(events: string[]): string[] {
  events.forEach((type, index) => {
    if (type !== '*' && !EVENT_TYPE.test(type)) {
      throw invalidRequest(`Invalid enabled_events[${index}]: ${type} is not a valid event type`, {
        param: `enabled_events[${index}]`,
      });
    }
  });
  return events;
}

function install(ctx: EmulatorContext): void {
  const endpoints = endpointsOf(ctx.store);
  const secrets = secretsOf(ctx.store);

  ctx.route<Wire<Stripe.WebhookEndpointCreateParams>>({
    method: 'POST',
    path: '/v1/webhook_endpoints',
    params: {
      url: p.string({ required: true }),
      enabled_events: p.array(p.string(), { required: true }),
      api_version: p.string(),
      connect: p.boolean(),
      description: p.string({ emptyable: true }),
      metadata: p.metadata(),
    },
    handler: ({ params }) => {
      const endpoint: Stripe.WebhookEndpoint = {
        id: newId('we'),
        object: 'webhook_endpoint',
        api_version: params.api_version ?? null,
        application: null,
        created: ctx.clock.now(),
        description: params.description ?? null,
        enabled_events: checkEvents(params.enabled_events),
        livemode: false,
        metadata: initialMetadata(params.metadata),
        status: 'enabled',
        url: checkUrl(params.url),
      };
      const secret = `whsec_${randomToken(32)}`;
      endpoints.save(endpoint);
      secrets.save({ id: endpoint.id, secret });
      // The only response that ever shows the secret.
      return { ...endpoint, secret };
    },
  });

  ctx.route({
    method: 'GET',
    path: '/v1/webhook_endpoints/:id',
    handler: ({ pathParams }) => mustGet(endpoints, pathParams.id!, NOUN),
  });

  ctx.route<Wire<Stripe.WebhookEndpointUpdateParams>>({
    method: 'POST',
    path: '/v1/webhook_endpoints/:id',
    params: {
      description: p.string({ emptyable: true }),
      disabled: p.boolean(),
      enabled_events: p.array(p.string()),
      metadata: p.metadata(),
      url: p.string(),
    },
    handler: ({ pathParams, params }) => {
      const endpoint = mustGet(endpoints, pathParams.id!, NOUN);
      const updated: Stripe.WebhookEndpoint = {
        ...endpoint,
        ...(params.description !== undefined && { description: params.description || null }),
        ...(params.disabled !== undefined && { status: params.disabled ? 'disabled' : 'enabled' }),
        ...(params.enabled_events && { enabled_events: checkEvents(params.enabled_events) }),
        ...(params.url !== undefined && { url: checkUrl(params.url) }),
        metadata: mergeMetadata(endpoint.metadata, params.metadata),
      };
      return endpoints.save(updated);
    },
  });

  ctx.route<PaginationParams>({
    method: 'GET',
    path: '/v1/webhook_endpoints',
    params: listFields(),
    handler: ({ params }) =>
      paginate(endpoints.newestFirst(), params, { url: '/v1/webhook_endpoints', noun: NOUN }),
  });

  ctx.route({
    method: 'DELETE',
    path: '/v1/webhook_endpoints/:id',
    handler: ({ pathParams }) => {
      const endpoint = mustGet(endpoints, pathParams.id!, NOUN);
      endpoints.delete(endpoint.id);
      secrets.delete(endpoint.id);
      return deletedObject(endpoint.id, 'webhook_endpoint');
    },
  });
}

export const webhookEndpointsModule: EmulatorModule = { name: 'webhook_endpoints', install };
