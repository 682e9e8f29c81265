import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, text } from '../http/input.js';
import { errorResponses } from '../http/schemas.js';
import type { CustomerLookup } from './lookup.js';
import type { CustomerOverviewService } from './overview.js';
import { overviewView } from './overview-schema.js';
import { customerNotFound } from './service.js';

const nullableText = z.string().nullable();

const searchQuery = z
  .object({
    q: text(254)
      .trim()
      .min(2)
      .describe(
        'A Stripe id (cus_, sub_, in_, pi_, ch_, re_, dp_, evt_, pm_, cs_ …), a whole email, the host app’s user or organisation id, or the start of a name (2 characters or more)',
      ),
  })
  .strict();

const searchHit = z
  .object({
    kind: z
      .string()
      .describe('customer, subscription, invoice, payment_intent, charge, refund, dispute, event …'),
    id: z.string(),
    matched: z.enum(['stripe_id', 'email', 'external_id', 'organization_id', 'name_prefix']),
    customer_id: nullableText,
    customer_name: nullableText,
    customer_email: nullableText,
    external_id: nullableText,
    organization_id: nullableText,
  })
  .describe('SearchHit');

const admin = ['admin'] as const;
const tags = ['customers'];

export function customerAdminRoutes(deps: {
  overview: CustomerOverviewService;
  lookup: CustomerLookup;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/admin/customers/:id/overview',
      {
        config: { access: admin },
        schema: {
          tags,
          summary:
            'One customer whole: contact, subscriptions and their history, invoices, payments, refunds, disputes, entitlements, usage, credits and events (50 newest of each)',
          params: idParams,
          response: { 200: overviewView, ...errorResponses },
        },
      },
      async (request) => {
        const overview = await deps.overview.overview(request.params.id);
        if (!overview) throw customerNotFound(`Customer '${request.params.id}' was not found`);
        return overview;
      },
    );

    app.get(
      '/api/admin/search',
      {
        config: { access: admin },
        schema: {
          tags,
          summary:
            'The console’s search: a Stripe id, an exact email, a user or organisation id, or the start of a name (at most 20 hits)',
          querystring: searchQuery,
          response: { 200: z.object({ data: z.array(searchHit) }), ...errorResponses },
        },
      },
      async (request) => ({ data: await deps.lookup.search(request.query.q) }),
    );
  };
}
