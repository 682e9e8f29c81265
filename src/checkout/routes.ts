import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userIdOf, userOf } from '../auth/principal.js';
import { upstreamErrorResponses } from '../http/schemas.js';
import { checkoutSessionView, createCheckoutBody, createPortalBody, portalSessionView } from './schemas.js';
import type { CheckoutService } from './service.js';

const userOnly = ['user'] as const;
const tags = ['checkout'];

export function checkoutRoutes(checkout: CheckoutService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/checkout/sessions',
      {
        config: { access: userOnly, idempotent: true },
        schema: {
          tags,
          summary:
            'Start a Stripe Checkout for a plan, for the user or (organization_id) an organisation; the payer’s Stripe customer is made on first need',
          description:
            'Errors: 403 organization_role_forbidden, 404 not_found for an organisation the user is not a member of; 404 plan_not_found, price_not_found; 409 plan_archived, price_archived, already_subscribed ' +
            '(a subscription to the plan that has not ended); 400 price_not_available, price_ambiguous, ' +
            'coupon_not_found, coupon_expired, promotion_code_not_found, discount_not_applicable, ' +
            'invalid_return_url, redirect_not_allowed (return URLs must be on the app’s origins or Recur’s billing page).',
          body: createCheckoutBody,
          response: { 201: checkoutSessionView, ...upstreamErrorResponses },
        },
      },
      async (request, reply) => {
        const { userId, email, name } = userOf(request.principal);
        const session = await checkout.createSession(
          { userId, ...(email ? { email } : {}), ...(name ? { name } : {}) },
          request.body,
          { idempotencyKey: request.idempotencyKey },
        );
        return reply.status(201).send(session);
      },
    );

    app.post(
      '/api/portal/sessions',
      {
        config: { access: userOnly, idempotent: true },
        schema: {
          tags,
          summary:
            'Open the Stripe Customer Portal for the user or (organization_id) an organisation (404 customer_not_found before a first Checkout)',
          body: createPortalBody,
          response: { 201: portalSessionView, ...upstreamErrorResponses },
        },
      },
      async (request, reply) => {
        const portal = await checkout.createPortalSession(userIdOf(request.principal), request.body ?? {}, {
          idempotencyKey: request.idempotencyKey,
        });
        return reply.status(201).send(portal);
      },
    );
  };
}
