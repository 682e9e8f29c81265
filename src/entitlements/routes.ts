import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userIdOf } from '../auth/principal.js';
import { OVERAGE_RULES, USAGE_RESETS } from '../db/schema/plans.js';
import { idText } from '../http/input.js';
import { errorResponses } from '../http/schemas.js';
import { RECUR_STATUSES } from '../subscriptions/status.js';
import type { EntitlementService } from './service.js';

export const entitlementsView = z
  .object({
    user_id: z.string(),
    organization_id: z
      .string()
      .nullable()
      .describe(
        'The context answered (`?org=`); null: the user’s own subscriptions and every organisation’s they belong to, merged',
      ),
    benefits: z.record(z.string(), z.union([z.boolean(), z.number(), z.string()])),
    sources: z
      .record(z.string(), z.string().nullable())
      .describe(
        'For each benefit, the organisation whose subscriptions or purchases give its value; null: the user’s own',
      ),
    subscriptions: z.array(
      z.object({
        id: z.string(),
        plan_id: z.string().nullable(),
        organization_id: z.string().nullable().describe('The organisation that pays for it; null: the user'),
        status: z.enum(RECUR_STATUSES),
        stripe_status: z.string().nullable().describe('null for an external subscription'),
        access_until: z
          .string()
          .nullable()
          .describe('When access ends unless paid or renewed; null while the subscription renews'),
      }),
    ),
    purchases: z
      .array(
        z.object({
          id: z.string().describe('The purchase (pur_…)'),
          plan_id: z.string().describe('The one-time plan bought'),
          organization_id: z.string().nullable().describe('The organisation that paid; null: the user'),
        }),
      )
      .describe(
        'Paid purchases of one-time plans: their benefits (but credits, granted once) are held for good, like a subscription that never ends, until a full refund',
      ),
    usage: z
      .record(
        z.string(),
        z.object({
          limit: z.number().int().describe('The limit in force this period (0: credits only)'),
          used: z.number().int(),
          reserved: z.number().int().describe('Units held by open reservations'),
          balance: z
            .number()
            .int()
            .describe(
              'What may still be used now: the allowance left, plus the credits for overage `credits`',
            ),
          credits: z
            .number()
            .int()
            .describe('The payer’s credit balance for the feature: negative while credits are owed'),
          overage: z.enum(OVERAGE_RULES),
          reset: z.enum(USAGE_RESETS),
          period_start: z.string(),
          resets_at: z.string().nullable().describe('When the count starts again; null: never'),
        }),
      )
      .describe(
        'Per usage feature (a metered limit of a granting plan, or credits held), the standing of the payer that gives it: its benefit’s source, else the user’s own first',
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
  'The merged benefits of the subscriptions that give the user access now: their own and those of ' +
  'every organisation they are a member of (any role), or with `org` one organisation’s alone (404 ' +
  'unless the user is its member). Read from the local mirror (never from Stripe). active and trialing ' +
  'give access (up to a scheduled cancellation); past_due keeps it for RECUR_ENTITLEMENT_GRACE_DAYS ' +
  'from the start of the unpaid period; canceled, incomplete, incomplete_expired, unpaid and paused ' +
  'give none. Within one payer (the user, or an organisation): its base plans merge as flags OR-ed, ' +
  'the largest number, the first plan’s text; then each add-on adds its numbers times its quantity, ' +
  'ORs its flags and gives a text only where the base has none. Across payers: flags OR-ed, the ' +
  'largest number, the first text (the user’s own first, then organisations by id). A user with no ' +
  'subscription gets empty benefits.';

const contextQuery = z
  .object({ org: idText().optional().describe('One organisation’s entitlements (its id)') })
  .strict();

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
          querystring: contextQuery,
          response: { 200: entitlementsView, ...errorResponses },
        },
      },
      async (request) => entitlements.forUser(userIdOf(request.principal), request.query.org),
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
          querystring: contextQuery,
          response: { 200: entitlementsView, ...errorResponses },
        },
      },
      async (request) => entitlements.forUser(request.params.externalId, request.query.org),
    );
  };
}
