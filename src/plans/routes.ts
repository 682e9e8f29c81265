import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ForbiddenError } from '../http/errors.js';
import { errorResponses, upstreamErrorResponses } from '../http/schemas.js';
import {
  addPriceBody,
  createPlanBody,
  deletePlanResult,
  listPlansQuery,
  planIdParams,
  planList,
  planPriceParams,
  planView,
  priceAmountChange,
  updatePlanBody,
} from './schemas.js';
import type { PlanService } from './service.js';

const admin = ['admin'] as const;
const tags = ['plans'];

export function planRoutes(plans: PlanService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/plans',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'List plans with their prices and benefits (active ones are public and cached)',
          querystring: listPlansQuery,
          response: { 200: planList, ...errorResponses },
        },
      },
      async (request) => {
        const { status } = request.query;
        if (status !== 'active' && request.principal?.role !== 'admin') {
          throw new ForbiddenError('Only admins may list archived plans');
        }
        return { data: await plans.list(status) };
      },
    );

    app.get(
      '/api/plans/:id',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Get a plan by id or key (archived plans are visible to admins only)',
          params: planIdParams,
          response: { 200: planView, ...errorResponses },
        },
      },
      async (request) =>
        plans.get(request.params.id, { includeArchived: request.principal?.role === 'admin' }),
    );

    app.post(
      '/api/plans',
      {
        config: { access: admin, idempotent: true },
        schema: {
          tags,
          summary: 'Create a plan: a Stripe product with its prices, then the catalog entry',
          body: createPlanBody,
          response: { 201: planView, ...upstreamErrorResponses },
        },
      },
      async (request, reply) => {
        const plan = await plans.create(request.body, { idempotencyKey: request.idempotencyKey });
        return reply.status(201).send(plan);
      },
    );

    app.patch(
      '/api/plans/:id',
      {
        config: { access: admin, idempotent: true },
        schema: {
          tags,
          summary: 'Change a plan’s key, name, description, benefits or trial',
          params: planIdParams,
          body: updatePlanBody,
          response: { 200: planView, ...upstreamErrorResponses },
        },
      },
      async (request) =>
        plans.update(request.params.id, request.body, { idempotencyKey: request.idempotencyKey }),
    );

    app.delete(
      '/api/plans/:id',
      {
        config: { access: admin, idempotent: true },
        schema: {
          tags,
          summary: 'Delete a plan that never had subscribers, or archive one that had',
          params: planIdParams,
          response: { 200: deletePlanResult, ...upstreamErrorResponses },
        },
      },
      async (request) => plans.delete(request.params.id, { idempotencyKey: request.idempotencyKey }),
    );

    app.post(
      '/api/plans/:id/prices',
      {
        config: { access: admin, idempotent: true },
        schema: {
          tags,
          summary: 'Add a recurring price to a plan',
          params: planIdParams,
          body: addPriceBody,
          response: { 201: planView, ...upstreamErrorResponses },
        },
      },
      async (request, reply) => {
        const plan = await plans.addPrice(request.params.id, request.body, {
          idempotencyKey: request.idempotencyKey,
        });
        return reply.status(201).send(plan);
      },
    );

    app.patch(
      '/api/plans/:id/prices/:priceId',
      {
        config: { access: admin, idempotent: true },
        schema: {
          tags,
          summary: 'Change a price’s amount: a new price replaces it, the old one is archived',
          params: planPriceParams,
          body: priceAmountChange,
          response: { 200: planView, ...upstreamErrorResponses },
        },
      },
      async (request) =>
        plans.changePriceAmount(request.params.id, request.params.priceId, request.body, {
          idempotencyKey: request.idempotencyKey,
        }),
    );

    app.delete(
      '/api/plans/:id/prices/:priceId',
      {
        config: { access: admin, idempotent: true },
        schema: {
          tags,
          summary: 'Archive a price (existing subscribers keep it)',
          params: planPriceParams,
          response: { 200: planView, ...upstreamErrorResponses },
        },
      },
      async (request) =>
        plans.archivePrice(request.params.id, request.params.priceId, {
          idempotencyKey: request.idempotencyKey,
        }),
    );
  };
}
