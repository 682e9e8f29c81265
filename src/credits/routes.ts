import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userIdOf } from '../auth/principal.js';
import { errorResponses } from '../http/schemas.js';
import {
  accountCreditGrantView,
  adminAccountCreditBody,
  adminCreditsQuery,
  adminGrantBody,
  creditsView,
  grantView,
  meCreditsQuery,
} from './schemas.js';
import type { CreditService } from './service.js';

const tags = ['credits'];

export function creditRoutes(credits: CreditService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/admin/credits',
      {
        config: { access: ['admin'], idempotent: true },
        schema: {
          tags,
          summary: 'Grant credits by hand to a user or an organisation, with a reason (audited)',
          description:
            'Errors: 400 validation_failed (amount ≤ 0, no reason, not exactly one of user_id and organization_id), expires_at_past; 404 not_found for an unknown organisation.',
          body: adminGrantBody,
          response: { 201: grantView, ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await credits.grant(request.body)),
    );

    app.post(
      '/api/admin/account-credit',
      {
        config: { access: ['admin'], idempotent: true },
        schema: {
          tags,
          summary:
            'Credit money to a user’s or an organisation’s Stripe customer, with a reason (audited): Stripe takes it off the next invoices',
          description:
            'A customer balance transaction in Stripe (docs.stripe.com/billing/customer/balance). Errors: 400 validation_failed (amount ≤ 0, an unknown currency, no reason, not exactly one of user_id and organization_id); 404 not_found for an unknown organisation, no_customer when the payer has no Stripe customer yet; 409 currency_mismatch when the customer is billed in another currency.',
          body: adminAccountCreditBody,
          response: { 201: accountCreditGrantView, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await credits.grantAccountCredit(request.body, { idempotencyKey: request.idempotencyKey })),
    );

    app.get(
      '/api/admin/credits',
      {
        config: { access: ['admin'] },
        schema: {
          tags,
          summary: 'A payer’s credit balances per feature and its ledger, newest first',
          querystring: adminCreditsQuery,
          response: { 200: creditsView, ...errorResponses },
        },
      },
      async (request) => {
        const { user_id, organization_id, ...page } = request.query;
        return credits.ofPayer({ user_id, organization_id }, page);
      },
    );

    app.get(
      '/api/me/credits',
      {
        config: { access: ['user'] },
        schema: {
          tags,
          summary:
            'The calling user’s credit balances per feature and ledger, or (org) an organisation’s they are a member of',
          querystring: meCreditsQuery,
          response: { 200: creditsView, ...errorResponses },
        },
      },
      async (request) => {
        const { org, ...page } = request.query;
        return credits.ofUser(userIdOf(request.principal), org, page);
      },
    );
  };
}
