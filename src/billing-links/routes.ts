import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idText, SAFE_TEXT, text } from '../http/input.js';
import { errorResponses } from '../http/schemas.js';
import type { BillingLinkService } from './service.js';

/** Links are for one visit: a quarter of an hour by default, a day at most. */
export const LINK_LIFETIME = { defaultSeconds: 900, minSeconds: 60, maxSeconds: 86_400 } as const;

const createLinkBody = z
  .object({
    user_id: text(200).trim().min(1).describe('The host app’s user id (the token’s subject)'),
    email: z
      .email()
      .max(254)
      .regex(SAFE_TEXT)
      .optional()
      .describe('Fills in the Stripe customer made at first Checkout'),
    name: text(256).trim().min(1).optional(),
    organization_id: idText()
      .optional()
      .describe(
        'Open the page in this organisation’s context (the link carries ?org=): the user must be its owner or billing admin (403 organization_role_forbidden for a member, 404 otherwise)',
      ),
    expires_in: z
      .number()
      .int()
      .min(LINK_LIFETIME.minSeconds)
      .max(LINK_LIFETIME.maxSeconds)
      .default(LINK_LIFETIME.defaultSeconds)
      .describe('Seconds the link stays valid (60 to 86400, default 900)'),
  })
  .strict();

const billingLinkView = z.object({
  url: z
    .string()
    .describe(
      'The billing page with the token in its fragment (#token=…), and ?org=<id> for an organisation’s context',
    ),
  expires_at: z.string(),
});

export function billingLinkRoutes(links: BillingLinkService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/billing/links',
      {
        config: { access: ['admin', 'service'] },
        schema: {
          tags: ['billing page'],
          summary: 'A short-lived signed link that opens the billing page as one of the host app’s users',
          body: createLinkBody,
          response: { 201: billingLinkView, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { user_id, email, name, expires_in, organization_id } = request.body;
        const link = await links.createLink(
          { userId: user_id, ...(email ? { email } : {}), ...(name ? { name } : {}) },
          expires_in,
          organization_id,
        );
        return reply.status(201).send(link);
      },
    );
  };
}
