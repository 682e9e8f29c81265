import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ServiceUnavailableError, ValidationError } from '../http/errors.js';
import type { WebhookLimiter } from '../http/webhook-limits.js';
import { verifyStripeSignature } from '../stripe/signature.js';
import type { EventInbox } from './inbox.js';

const received = z.object({ received: z.literal(true), duplicate: z.boolean() });

export interface WebhookRouteDeps {
  inbox: EventInbox;
  /** Read per request: the embedded emulator's secret is only known after start-up. */
  secrets: () => string[];
  limits: WebhookLimiter;
  /** Told of each request refused for its signature: the alert rule counts bursts. */
  signatureRefused: () => void;
}

/**
 * Stripe's one endpoint (also at /api/payments/webhook). Verify, store once, answer: everything else
 * happens in the worker, so Stripe gets its 200 in milliseconds.
 */
export async function stripeWebhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps): Promise<void> {
  // The signature is over the exact bytes Stripe sent, so this scope keeps bodies raw.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  for (const url of ['/stripe/webhook', '/api/payments/webhook']) {
    app.post(
      url,
      {
        config: { access: 'signed' },
        schema: {
          tags: ['webhooks'],
          summary: 'Stripe webhook endpoint (Stripe-Signature verified; duplicates stored once)',
          response: { 200: received },
        },
        // The answer is built right here, so checking it against its schema on every delivery
        // is work for nothing on the busiest route; the schema still documents it.
        serializerCompiler: () => JSON.stringify,
      },
      async (request) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        if (body.length === 0)
          return deps.limits.refused(
            request.ip,
            new ValidationError('empty_body', 'The webhook body is empty'),
          );
        const header = request.headers['stripe-signature'];
        // Decoded once: the verifier would otherwise decode the bytes twice and the inbox again.
        const text = body.toString('utf8');
        const check = verifyStripeSignature(
          text,
          typeof header === 'string' ? header : undefined,
          deps.secrets(),
        );
        if (!check.ok) {
          if (check.reason !== 'body is not a JSON event') deps.signatureRefused();
          return deps.limits.refused(
            request.ip,
            new ValidationError(
              check.reason === 'body is not a JSON event' ? 'invalid_payload' : 'invalid_signature',
              `Webhook refused: ${check.reason}`,
            ),
          );
        }
        await deps.limits.signed(request.ip);
        const event = check.event;
        if (
          typeof event.id !== 'string' ||
          typeof event.type !== 'string' ||
          typeof event.created !== 'number' ||
          !event.data?.object
        ) {
          throw new ValidationError(
            'invalid_payload',
            'The body is not a Stripe event (id, type, created, data.object)',
          );
        }
        try {
          const { duplicate } = await deps.inbox.ingestStripe(event, text);
          return { received: true as const, duplicate };
        } catch (error) {
          request.log.error({ err: error, stripeEventId: event.id }, 'inbox insert failed');
          // Stripe retries on any non-2xx: a 503 now loses nothing.
          throw new ServiceUnavailableError(
            'inbox_unavailable',
            'The event could not be stored; Stripe will retry',
          );
        }
      },
    );
  }
}
