import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../http/errors.js';
import { errorResponse } from '../http/schemas.js';
import type { WebhookLimiter } from '../http/webhook-limits.js';
import type { PaymentNoticeIntake } from './intake.js';
import { PAYMENT_SIGNATURE_HEADER } from './signature.js';

const received = z.object({ received: z.literal(true), duplicate: z.boolean() });

const DESCRIPTION = `The generic payment webhook: a payment provider reports \`{ "subscription_id", "event": "payment_success" | "payment_failed", "amount", "date", "reason"?, "currency"? }\`, signed with \`X-Recur-Signature: sha256=<hex HMAC-SHA256 of the raw body under RECUR_PAYMENT_WEBHOOK_SECRET>\`.

Answers 202 when stored (the worker applies it), 200 for a duplicate delivery (stored once, applied once).

- External subscription: a success makes it active and moves its billing period one cycle on from the old period end (the first success of a pending one starts the first cycle on the payment date); a failure suspends it (past_due).
- Stripe-managed subscription: a success marks its open invoice paid out of band in Stripe (409 \`no_open_invoice\` when it has none; \`amount\` must be the invoice's amount due); a failure is recorded and answered 409 \`stripe_managed\`, since Stripe collects its payments itself.`;

/** The route keeps bodies raw: the signature is over the exact bytes the provider sent. */
export async function paymentWebhookRoutes(
  app: FastifyInstance,
  deps: { intake: PaymentNoticeIntake; limits: WebhookLimiter },
): Promise<void> {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post(
    '/api/webhooks/payment',
    {
      config: { access: 'signed' },
      schema: {
        tags: ['webhooks'],
        summary: 'Payment webhook of external payment providers (X-Recur-Signature verified)',
        description: DESCRIPTION,
        response: {
          200: received,
          202: received,
          400: errorResponse,
          401: errorResponse,
          404: errorResponse,
          409: errorResponse,
          429: errorResponse,
          503: errorResponse,
        },
      },
    },
    async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const header = request.headers[PAYMENT_SIGNATURE_HEADER];
      const signature = typeof header === 'string' ? header : undefined;
      try {
        deps.intake.checkSignature(body, signature);
      } catch (error) {
        // Only a refused signature counts as junk; the webhook being off is no client's doing.
        if (error instanceof AppError && error.status === 401) await deps.limits.refused(request.ip, error);
        throw error;
      }
      await deps.limits.signed(request.ip);
      const { duplicate } = await deps.intake.accept(body, signature);
      return reply.status(duplicate ? 200 : 202).send({ received: true as const, duplicate });
    },
  );
}
