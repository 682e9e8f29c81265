import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userIdOf } from '../auth/principal.js';
import { idText } from '../http/input.js';
import { errorResponses } from '../http/schemas.js';
import { RECUR_STATUSES } from '../subscriptions/status.js';
import type { EntitlementService } from './service.js';

export const entitlementsView = z
  .object({
    user_id: z.string(),
    benefits: z.record(z.string(), z.union([z.boolean(), z.number(), z.string()])),
    subscriptions: z.array(
      z.object({
        id: z.string(),
        plan_id: z.string().nullable(),
        status: z.enum(RECUR_STATUSES),
        stripe_status: z.string().nullable().describe('null for an external subscription'),
        access_until: z
          .string()
          .nullable()
          .describe('When access ends unless paid or renewed; null while the subscription renews'),
      }),
    ),
    as_of: z.string(),
    sequence: z
      .number()
      .int()
      .describe(
        'The sequence of the last webhook message about this user (subject `user:<id>`), 0 when none: this answer includes every change such messages announced up to it, so a cached copy keeps a later `entitlements.updated` only when its sequence is higher',
      ),
  })
  .describe('Entitlements');

const description =
  'The merged benefits of the user’s subscriptions that give access now, read from the local mirror ' +
  '(never from Stripe). active and trialing give access (up to a scheduled cancellation); past_due ' +
  'keeps it for RECUR_ENTITLEMENT_GRACE_DAYS from the start of the unpaid period; canceled, incomplete, ' +
  'incomplete_expired, unpaid and paused give none. Across subscriptions: flags are OR-ed, numbers take ' +
  'the largest (a number such as seats is per subscription: not multiplied by quantity, not summed), ' +
  'texts keep the first plan’s in catalog order. A user with no customer gets empty benefits.';

const tags = ['entitlements'];

export function entitlementRoutes(entitlements: EntitlementService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/me/entitlements',
      {
        config: { access: ['user'] },
        schema: {
          tags,
          summary: 'What the calling user may do',
          description,
          response: { 200: entitlementsView, ...errorResponses },
        },
      },
      async (request) => entitlements.forUser(userIdOf(request.principal)),
    );

    app.get(
      '/api/users/:externalId/entitlements',
      {
        config: { access: ['service', 'admin'] },
        schema: {
          tags,
          summary: 'What a user of the host app may do, by its user id',
          description,
          params: z.object({ externalId: idText() }),
          response: { 200: entitlementsView, ...errorResponses },
        },
      },
      async (request) => entitlements.forUser(request.params.externalId),
    );
  };
}
