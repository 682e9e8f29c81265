import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { upstreamErrorResponses } from '../http/schemas.js';
import type { SubscriptionCreation } from './creation.js';
import { createdSubscription, createSubscriptionBody } from './creation-schemas.js';

const STATUS_MAPPING = `Recur's status from Stripe's (\`stripe_status\`):

| stripe_status | status |
|---|---|
| incomplete | pending (first invoice not paid yet) |
| trialing, active | active |
| past_due, unpaid, paused | suspended |
| canceled, incomplete_expired | cancelled |

A subscription in a trial (\`trial_days\`, default the plan's) starts \`active\` (\`trialing\`); without one, a Stripe-managed subscription starts \`pending\` and turns \`active\` when its first invoice is paid. An external one (\`stripe_status\` null: Stripe does not hold it) starts \`pending\` (or \`active\` in a trial), turns \`active\` on a \`payment_success\` to POST /api/webhooks/payment, and \`suspended\` on a \`payment_failed\` or when its billing date passes unpaid.

A second subscription of the customer to the plan, while one has not ended, is 409 \`already_subscribed\` (as in Checkout).`;

export function subscriptionCreationRoutes(creation: SubscriptionCreation): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/subscriptions',
      {
        config: { access: ['admin', 'service'], idempotent: true },
        schema: {
          tags: ['subscriptions'],
          summary:
            'Subscribe a customer (by email) or an organisation to a plan, billed by Stripe or by an external provider',
          description: STATUS_MAPPING,
          body: createSubscriptionBody,
          response: { 201: createdSubscription, ...upstreamErrorResponses },
        },
      },
      async (request, reply) => {
        const created = await creation.create(request.body, { idempotencyKey: request.idempotencyKey });
        return reply.status(201).send(created);
      },
    );
  };
}
