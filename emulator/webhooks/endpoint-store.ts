/**
 * Where webhook endpoints live. The secret is kept beside the endpoint rather than on it because
 * Stripe shows `secret` only in the response that creates the endpoint.
 */
import type Stripe from 'stripe';
import type { Collection, Store } from '../core/store.js';
import type { WebhookTarget, WebhookTargets } from '../core/webhook-dispatcher.js';

export interface EndpointSecret {
  id: string;
  secret: string;
}

export const endpointsOf = (store: Store): Collection<Stripe.WebhookEndpoint> =>
  store.collection<Stripe.WebhookEndpoint>('webhook_endpoint');

export const secretsOf = (store: Store): Collection<EndpointSecret> =>
  store.collection<EndpointSecret>('webhook_endpoint_secret');

function toTarget(endpoint: Stripe.WebhookEndpoint, store: Store): WebhookTarget {
  return {
    id: endpoint.id,
    url: endpoint.url,
    secret: secretsOf(store).get(endpoint.id)?.secret ?? '',
    enabledEvents: endpoint.enabled_events,
    enabled: endpoint.status === 'enabled',
  };
}

/** The dispatcher's view of the endpoints, always read fresh from the store. */
export function webhookTargets(store: Store): WebhookTargets {
  return {
    all: () =>
      endpointsOf(store)
        .all()
        .map((endpoint) => toTarget(endpoint, store)),
    get: (id) => {
      const endpoint = endpointsOf(store).get(id);
      return endpoint ? toTarget(endpoint, store) : undefined;
    },
  };
}
