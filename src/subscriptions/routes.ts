import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateTime, idParams, idText, text } from '../http/input.js';
import { createdRange, cursorParam } from '../http/pagination.js';
import { errorResponse, errorResponses, upstreamErrorResponses } from '../http/schemas.js';
import { sortQueryFields } from '../http/sorting.js';
import { orgContextQuery } from '../organizations/context-schemas.js';
import { changePreview } from './changes.js';
import { SUBSCRIPTION_SORTS } from './repository.js';
import type { SubscriptionService } from './service.js';
import { RECUR_STATUSES, type RecurStatus, STRIPE_STATUSES, statusFilterOf } from './status.js';
import { subscriptionListItem, subscriptionView } from './views.js';

const changeBody = z
  .object({
    plan_id: idText().optional().describe('Plan id or key; default: the current plan'),
    price_id: idText().optional().describe('Recur’s or Stripe’s price id'),
    interval: z.enum(['day', 'week', 'month', 'year']).optional(),
    quantity: z.number().int().min(1).max(10_000).optional(),
    immediately: z.boolean().optional().describe('Apply a downgrade now instead of at the period end'),
  })
  .strict();

const applyChangeBody = changeBody.extend({
  proration_date: z
    .number()
    .int()
    .positive()
    .max(253_402_300_799)
    .optional()
    .describe('From the preview (Unix seconds)'),
});

const cancelBody = z
  .object({
    at_period_end: z.boolean().default(true),
    reason: text(500).optional(),
    feedback: z
      .enum([
        'customer_service',
        'low_quality',
        'missing_features',
        'other',
        'switched_service',
        'too_complex',
        'too_expensive',
        'unused',
      ])
      .optional(),
  })
  .strict();

const listQuery = z
  .object({
    status: z
      .enum([...RECUR_STATUSES, ...STRIPE_STATUSES])
      .optional()
      .describe('Recur’s status (active, …) or Stripe’s (past_due, …)'),
    plan_id: text(200).optional(),
    customer_id: text(200).optional(),
    provider: z.enum(['stripe', 'external']).optional(),
    created_from: dateTime().optional().describe('Created at or after (ISO 8601)'),
    created_to: dateTime().optional().describe('Created before (ISO 8601)'),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: cursorParam(),
    ...sortQueryFields(SUBSCRIPTION_SORTS, 'created'),
  })
  .strict();

const changeResult = z.object({
  kind: z.enum(['upgrade', 'downgrade', 'quantity', 'interval']),
  effective: z.enum(['now', 'period_end']),
  effective_at: z.string(),
  invoice_id: z.string().nullable(),
  subscription: subscriptionView,
});

const statusesOf = (status: string) =>
  (RECUR_STATUSES as readonly string[]).includes(status)
    ? statusFilterOf(status as RecurStatus)
    : { stripeStatuses: [status], paymentActionRequired: null };

const managers = ['user', 'admin', 'service'] as const;
const tags = ['subscriptions'];
const writeResponses = { ...upstreamErrorResponses, 402: errorResponse };

export function subscriptionRoutes(subscriptions: SubscriptionService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/me/subscriptions',
      {
        config: { access: ['user'] },
        schema: {
          tags,
          summary: 'The calling user’s subscriptions, or with ?org= an organisation’s, oldest first',
          querystring: orgContextQuery,
          response: { 200: z.object({ data: z.array(subscriptionView) }), ...errorResponses },
        },
      },
      async (request) => ({ data: await subscriptions.listFor(request.principal!, request.query.org) }),
    );

    app.get(
      '/api/subscriptions',
      {
        config: { access: ['admin', 'service'] },
        schema: {
          tags,
          summary: 'Subscriptions, filtered, newest first (or sorted by `sort`/`order`), a page at a time',
          description:
            'For an admin each subscription also carries its customer’s email and name (decrypted); a service key gets null there.',
          querystring: listQuery,
          response: {
            200: z.object({ data: z.array(subscriptionListItem), next_cursor: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const q = request.query;
        return subscriptions.list(
          {
            ...(q.status && statusesOf(q.status)),
            planId: q.plan_id,
            customerId: q.customer_id,
            provider: q.provider,
            ...createdRange(q.created_from, q.created_to),
          },
          { limit: q.limit, sort: { key: q.sort, order: q.order }, cursor: q.cursor },
          request.principal?.role === 'admin',
        );
      },
    );

    app.get(
      '/api/subscriptions/:id',
      {
        config: { access: managers },
        schema: {
          tags,
          summary:
            'One subscription (a user sees their own, and an organisation’s as its owner or billing admin)',
          params: idParams,
          response: { 200: subscriptionView, ...errorResponses },
        },
      },
      async (request) => subscriptions.get(request.principal!, request.params.id),
    );

    app.post(
      '/api/subscriptions/:id/preview-change',
      {
        config: { access: managers },
        schema: {
          tags,
          summary: 'What a plan, interval or quantity change would charge now and at the next renewal',
          params: idParams,
          body: changeBody,
          response: { 200: changePreview, ...upstreamErrorResponses },
        },
      },
      async (request) => subscriptions.previewChange(request.principal!, request.params.id, request.body),
    );

    app.post(
      '/api/subscriptions/:id/change',
      {
        config: { access: managers, idempotent: true },
        schema: {
          tags,
          summary: 'Change plan, interval or quantity: upgrades now with proration, downgrades at period end',
          params: idParams,
          body: applyChangeBody,
          response: { 200: changeResult, ...writeResponses },
        },
      },
      async (request) =>
        subscriptions.change(request.principal!, request.params.id, request.body, {
          idempotencyKey: request.idempotencyKey,
        }),
    );

    app.post(
      '/api/subscriptions/:id/cancel',
      {
        config: { access: managers, idempotent: true },
        schema: {
          tags,
          summary: 'Cancel at the period end (default) or now (no credit for unused time)',
          params: idParams,
          body: cancelBody,
          response: { 200: subscriptionView, ...writeResponses },
        },
      },
      async (request) =>
        subscriptions.cancel(request.principal!, request.params.id, request.body, {
          idempotencyKey: request.idempotencyKey,
        }),
    );

    app.post(
      '/api/subscriptions/:id/resume',
      {
        config: { access: managers, idempotent: true },
        schema: {
          tags,
          summary: 'Undo a pending cancellation',
          params: idParams,
          response: { 200: subscriptionView, ...writeResponses },
        },
      },
      async (request) =>
        subscriptions.resume(request.principal!, request.params.id, {
          idempotencyKey: request.idempotencyKey,
        }),
    );

    app.post(
      '/api/subscriptions/:id/reactivate',
      {
        config: { access: managers, idempotent: true },
        schema: {
          tags,
          summary: 'Resume a paused subscription, or start an ended one again on the same price',
          params: idParams,
          response: { 200: subscriptionView, ...writeResponses },
        },
      },
      async (request) =>
        subscriptions.reactivate(request.principal!, request.params.id, {
          idempotencyKey: request.idempotencyKey,
        }),
    );
  };
}
