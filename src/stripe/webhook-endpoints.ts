import type Stripe from 'stripe';
import { stripeIdempotencyKey } from './client.js';
import { callStripe } from './errors.js';

/**
 * Makes Stripe (in practice the built-in emulator) deliver every event to `url`, and returns the
 * signing secret. Stripe shows a secret only when an endpoint is created, so an endpoint left from
 * an earlier run at the same URL is replaced.
 */
export async function registerWebhookEndpoint(stripe: Stripe, url: string): Promise<string> {
  await removeWebhookEndpoint(stripe, url);
  const created = await callStripe(() =>
    stripe.webhookEndpoints.create(
      { url, enabled_events: ['*'], description: 'Recur (embedded)' },
      { idempotencyKey: stripeIdempotencyKey('webhook-endpoint', undefined, 'create') },
    ),
  );
  if (!created.secret) throw new Error('Stripe created a webhook endpoint without a secret');
  return created.secret;
}

/** Removes the endpoints at `url`: a process that listened only for a while leaves none behind. */
export async function removeWebhookEndpoint(stripe: Stripe, url: string): Promise<void> {
  const existing = await callStripe(() => stripe.webhookEndpoints.list({ limit: 100 }));
  for (const endpoint of existing.data.filter((e) => e.url === url)) {
    await callStripe(() => stripe.webhookEndpoints.del(endpoint.id));
  }
}
