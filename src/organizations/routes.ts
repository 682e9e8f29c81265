import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userIdOf } from '../auth/principal.js';
import { ORGANIZATION_ROLES } from '../db/schema/index.js';
import { idParams, idText, text } from '../http/input.js';
import { errorResponses, upstreamErrorResponses } from '../http/schemas.js';
import type { OrganizationService } from './service.js';

const role = z
  .enum(ORGANIZATION_ROLES)
  .describe('`owner` and `billing_admin` may manage billing; `member` uses only');

const organizationBody = z
  .object({
    name: text(200).trim().min(1).describe('Shown on the billing page, on Checkout and on invoices'),
    billing_email: text(254)
      .nullable()
      .optional()
      .describe('Where Stripe sends invoices and receipts; null removes it, leaving it out keeps it'),
    auto_add_seats: z
      .boolean()
      .optional()
      .describe(
        'A member beyond the seats paid for adds (and is charged for) a seat instead of being refused',
      ),
    invoice_footer: text(5000).nullable().optional().describe('Printed at the foot of every invoice'),
    invoice_custom_fields: z
      .array(z.object({ name: text(40).trim().min(1), value: text(140).trim().min(1) }).strict())
      .max(4)
      .optional()
      .describe('Up to 4 fields printed on every invoice, such as a PO number or a tax id (Stripe’s limits)'),
  })
  .strict();

export const organizationView = z
  .object({
    id: z.string().describe('The host app’s organisation id'),
    name: z.string(),
    billing_email: z.string().nullable(),
    auto_add_seats: z.boolean(),
    invoice_footer: z.string().nullable(),
    invoice_custom_fields: z.array(z.object({ name: z.string(), value: z.string() })),
    customer_id: z.string().nullable().describe('Its Stripe customer, made on the first billing need'),
    member_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .describe('Organization');

const memberView = z
  .object({ user_id: z.string(), role, holds_seat: z.boolean(), created_at: z.string() })
  .describe('OrganizationMember');

const memberParams = z.object({ id: idText(), userId: idText() });
const memberBody = z
  .object({
    role,
    holds_seat: z
      .boolean()
      .optional()
      .describe(
        'Counts towards a per-seat subscription in `members` seat mode (default true; kept on update)',
      ),
  })
  .strict();

const backend = ['admin', 'service'] as const;
const tags = ['organizations'];

export function organizationRoutes(organizations: OrganizationService): FastifyPluginAsyncZod {
  return async (app) => {
    app.put(
      '/api/organizations/:id',
      {
        config: { access: backend, idempotent: true },
        schema: {
          tags,
          summary: 'Create or update an organisation (the host app’s id); its Stripe customer follows',
          params: idParams,
          body: organizationBody,
          response: { 200: organizationView, 201: organizationView, ...upstreamErrorResponses },
        },
      },
      async (request, reply) => {
        const { view, created } = await organizations.put(request.params.id, request.body);
        return reply.status(created ? 201 : 200).send(view);
      },
    );

    app.get(
      '/api/organizations/:id',
      {
        config: { access: backend },
        schema: {
          tags,
          summary: 'One organisation',
          params: idParams,
          response: { 200: organizationView, ...errorResponses },
        },
      },
      async (request) => organizations.get(request.params.id),
    );

    app.delete(
      '/api/organizations/:id',
      {
        config: { access: backend, idempotent: true },
        schema: {
          tags,
          summary: 'Delete an organisation and its memberships (409 while a subscription has not ended)',
          description: 'Its Stripe customer and billing history stay, for the reports and the invoices.',
          params: idParams,
          response: { 200: z.object({ id: z.string(), deleted: z.literal(true) }), ...errorResponses },
        },
      },
      async (request) => {
        await organizations.delete(request.params.id);
        return { id: request.params.id, deleted: true as const };
      },
    );

    app.get(
      '/api/organizations/:id/members',
      {
        config: { access: backend },
        schema: {
          tags,
          summary: 'The organisation’s members, oldest first',
          params: idParams,
          response: { 200: z.object({ data: z.array(memberView) }), ...errorResponses },
        },
      },
      async (request) => ({ data: await organizations.members(request.params.id) }),
    );

    app.put(
      '/api/organizations/:id/members/:userId',
      {
        config: { access: backend, idempotent: true },
        schema: {
          tags,
          summary: 'Add a member or change their role or seat',
          description:
            'On a per-seat subscription in `members` seat mode, a member who takes a seat beyond those paid for is refused with 409 `seat_limit_reached`, unless the organisation auto-adds seats.',
          params: memberParams,
          body: memberBody,
          response: { 200: memberView, 201: memberView, ...upstreamErrorResponses },
        },
      },
      async (request, reply) => {
        const { id, userId } = request.params;
        const { view, created } = await organizations.putMember(id, userId, request.body);
        return reply.status(created ? 201 : 200).send(view);
      },
    );

    app.delete(
      '/api/organizations/:id/members/:userId',
      {
        config: { access: backend, idempotent: true },
        schema: {
          tags,
          summary: 'Remove a member',
          params: memberParams,
          response: {
            200: z.object({ user_id: z.string(), deleted: z.literal(true) }),
            ...upstreamErrorResponses,
          },
        },
      },
      async (request) => {
        await organizations.removeMember(request.params.id, request.params.userId);
        return { user_id: request.params.userId, deleted: true as const };
      },
    );

    app.get(
      '/api/me/organizations',
      {
        config: { access: ['user'] },
        schema: {
          tags,
          summary: 'The organisations the calling user belongs to, with their role',
          response: {
            200: z.object({ data: z.array(z.object({ id: z.string(), name: z.string(), role })) }),
            ...errorResponses,
          },
        },
      },
      async (request) => ({ data: await organizations.ofUser(userIdOf(request.principal)) }),
    );
  };
}
