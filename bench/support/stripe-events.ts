import { signStripePayload } from '../../src/stripe/signature.js';

/**
 * A signed `customer.updated` event as Stripe sends it, for benchmarks that post to the webhook
 * endpoint. `padding` lengthens the description so that the body has a chosen size.
 */
export function customerUpdatedEvent(options: {
  n: number;
  run: string;
  prefix: string;
  secret: string;
  padding?: number;
}) {
  const { n, run, prefix, secret } = options;
  const id = `evt_${prefix}_${run}_${n}`;
  const customerId = `cus_${prefix}_${run}_${n}`;
  const now = Math.floor(Date.now() / 1000);
  const customer = {
    id: customerId,
    object: 'customer',
    created: now,
    email: `person${n}@example.com`,
    name: `Person ${n}`,
    metadata: { recur_user_id: `user_${run}_${n}` },
    invoice_settings: {
      default_payment_method: null,
      custom_fields: null,
      footer: null,
      rendering_options: null,
    },
    currency: 'usd',
    ...(options.padding ? { description: 'x'.repeat(options.padding) } : {}),
  };
  const body = JSON.stringify({
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: now,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'customer.updated',
    data: { object: customer },
  });
  return { id, customerId, body, signature: signStripePayload(body, secret) };
}
