import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userOf } from '../auth/principal.js';
import { dateTime, idParams, idText, text } from '../http/input.js';
import { createdRange, cursorParam, decodeCursor, encodeCursor } from '../http/pagination.js';
import { errorResponses } from '../http/schemas.js';
import { sortQueryFields } from '../http/sorting.js';
import { orgContextQuery } from '../organizations/context-schemas.js';
import { type CustomerService, customerNotFound } from './service.js';

export const customerView = z
  .object({
    id: z.string(),
    external_id: z.string().nullable().describe('The host app’s user id'),
    organization_id: z
      .string()
      .nullable()
      .describe('The host app’s organisation id, for an organisation’s customer'),
    email: z.string().nullable(),
    name: z.string().nullable(),
    currency: z.string().nullable(),
    default_payment_method_id: z.string().nullable(),
    deleted: z.boolean(),
    erased_at: z
      .string()
      .nullable()
      .describe('When its personal data was erased on request; name, email and user id are then null'),
    created_at: z.string(),
  })
  .describe('Customer');

const listQuery = z
  .object({
    q: text(254)
      .trim()
      .min(2)
      .optional()
      .describe(
        'Search: a customer id (cus_…), a whole email (by its keyed hash), or the start of an email, of its domain or of a word of the name (case-insensitive; decrypted and matched among at most 5,000 customers a page, newest first)',
      ),
    email: text(254).optional().describe('Exact address (matched by its keyed hash)'),
    external_id: idText().optional(),
    deleted: z.enum(['true', 'false']).optional(),
    created_from: dateTime().optional().describe('Created at or after (ISO 8601)'),
    created_to: dateTime().optional().describe('Created at or before (ISO 8601)'),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: cursorParam(),
    // Name and email are sealed, so no index can order by them: creation time is the one key.
    ...sortQueryFields(['created'], 'created'),
  })
  .strict();

const userOnly = ['user'] as const;
const admin = ['admin'] as const;
const tags = ['customers'];

export function customerRoutes(customers: CustomerService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/me/customer',
      {
        config: { access: userOnly },
        schema: {
          tags,
          summary:
            'The calling user’s Stripe customer, or with ?org= an organisation’s (404 until a first billing need made one)',
          querystring: orgContextQuery,
          response: { 200: customerView, ...errorResponses },
        },
      },
      async (request) => {
        const row = await customers.findForPayer(userOf(request.principal), request.query.org);
        if (!row) throw customerNotFound();
        return customers.view(row);
      },
    );

    app.get(
      '/api/customers',
      {
        config: { access: admin },
        schema: {
          tags,
          summary:
            'Customers, newest first (oldest first with order=asc), searched by id, email or name, filtered by email, user id, deletion and creation date',
          querystring: listQuery,
          response: {
            200: z.object({ data: z.array(customerView), next_cursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const q = request.query;
        if (q.q !== undefined) {
          const found = await customers.search(
            q.q,
            {
              externalId: q.external_id,
              deleted: q.deleted === undefined ? undefined : q.deleted === 'true',
              createdFrom: q.created_from ? new Date(q.created_from) : undefined,
              createdTo: q.created_to ? new Date(q.created_to) : undefined,
            },
            { limit: q.limit, before: q.cursor ? decodeCursor(q.cursor) : undefined, order: q.order },
          );
          return {
            data: found.rows.map((row) => customers.view(row)),
            next_cursor: found.next ? encodeCursor(found.next) : null,
          };
        }
        const rows = await customers.list(
          {
            email: q.email,
            externalId: q.external_id,
            deleted: q.deleted === undefined ? undefined : q.deleted === 'true',
            ...createdRange(q.created_from, q.created_to),
          },
          { limit: q.limit, before: q.cursor ? decodeCursor(q.cursor) : undefined, order: q.order },
        );
        const page = rows.slice(0, q.limit);
        const last = page.at(-1);
        return {
          data: page.map((row) => customers.view(row)),
          next_cursor:
            rows.length > q.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
        };
      },
    );

    app.get(
      '/api/customers/:id',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'One customer by its Stripe id',
          params: idParams,
          response: { 200: customerView, ...errorResponses },
        },
      },
      async (request) => {
        const row = await customers.get(request.params.id);
        if (!row) throw customerNotFound(`Customer '${request.params.id}' was not found`);
        return customers.view(row);
      },
    );

    app.post(
      '/api/customers/:id/erase',
      {
        config: { access: admin },
        schema: {
          tags,
          summary:
            'Erase the customer’s personal data on request: deleted in Stripe (invoices keep their legal fields), name, email and user link cleared in Recur, stored events scrubbed',
          description:
            'Refused with 409 `customer_has_live_subscriptions` while a subscription still bills or gives access. Repeating it is harmless.',
          params: idParams,
          response: {
            200: z.object({
              customer: customerView,
              events_scrubbed: z.number().int().describe('Stored events rewritten without personal data'),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const erased = await customers.erase(request.params.id);
        if (!erased) throw customerNotFound(`Customer '${request.params.id}' was not found`);
        return { customer: customers.view(erased.row), events_scrubbed: erased.eventsScrubbed };
      },
    );
  };
}
