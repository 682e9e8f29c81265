// /v1/test_helpers/test_clocks and /v1/subscription_schedules.

import type Stripe from 'stripe';
import type { EmulatorContext } from '../../core/context.js';
import { listFields, type PaginationParams, paginate } from '../../core/list.js';
import { type ParamFields, p } from '../../core/params.js';
import { mustGet } from '../../core/records.js';
import { type Billing, customerId } from '../engine/context.js';
import { cancelSchedule, createSchedule, releaseSchedule, updateSchedule } from '../engine/schedules.js';
import type { TestClocks } from '../engine/test-clocks.js';
import { act, catchUp } from './action.js';

export function installTestClockRoutes(ctx: EmulatorContext, billing: Billing, clocks: TestClocks): void {
  const all = billing.data.testClocks;
  const find = (id: string) => mustGet(all, id, 'test_clock');
  ctx.route<Stripe.TestHelpers.TestClockCreateParams>({
    method: 'POST',
    path: '/v1/test_helpers/test_clocks',
    params: { frozen_time: p.timestamp({ required: true }), name: p.string({ maxLength: 300 }) },
    handler: ({ params }) => clocks.create(params),
  });
  ctx.route({
    method: 'GET',
    path: '/v1/test_helpers/test_clocks/:id',
    handler: ({ pathParams }) => find(pathParams.id!),
  });
  ctx.route<PaginationParams>({
    method: 'GET',
    path: '/v1/test_helpers/test_clocks',
    params: listFields(),
    handler: ({ params }) =>
      paginate(all.newestFirst(), params, { url: '/v1/test_helpers/test_clocks', noun: 'test_clock' }),
  });
  ctx.route({
    method: 'DELETE',
    path: '/v1/test_helpers/test_clocks/:id',
    handler: ({ pathParams }) => clocks.delete(find(pathParams.id!)),
  });
  ctx.route<{ frozen_time: number }>({
    method: 'POST',
    path: '/v1/test_helpers/test_clocks/:id/advance',
    params: { frozen_time: p.timestamp({ required: true }) },
    handler: ({ pathParams, params }) => clocks.advance(find(pathParams.id!), params.frozen_time),
  });
}

const phaseItemsAndTerms: ParamFields = {
  items: p.array(
    p.object({
      price: p.ref('price', { required: true }),
      quantity: p.integer({ min: 0 }),
      metadata: p.metadata(),
    }),
    {
      required: true,
    },
  ),
  duration: p.object({
    interval: p.enum(['day', 'month', 'week', 'year'], { required: true }),
    interval_count: p.integer({ min: 1 }),
  }),
  proration_behavior: p.enum(['always_invoice', 'create_prorations', 'none']),
  metadata: p.metadata(),
};

/** On create a phase starts where the previous ends (the schedule's `start_date` for the first). */
const createPhaseFields = p.object({ ...phaseItemsAndTerms, end_date: p.timestamp() });

const updatePhaseFields = p.object({
  ...phaseItemsAndTerms,
  start_date: p.oneOf([p.enum(['now']), p.timestamp()]),
  end_date: p.oneOf([p.enum(['now']), p.timestamp()]),
});

const createScheduleFields: ParamFields = {
  customer: p.ref('customer'),
  from_subscription: p.ref('subscription'),
  start_date: p.oneOf([p.enum(['now']), p.timestamp()]),
  end_behavior: p.enum(['cancel', 'none', 'release', 'renew']),
  phases: p.array(createPhaseFields),
  metadata: p.metadata(),
};

const updateScheduleFields: ParamFields = {
  end_behavior: p.enum(['cancel', 'none', 'release', 'renew']),
  phases: p.array(updatePhaseFields),
  proration_behavior: p.enum(['always_invoice', 'create_prorations', 'none']),
  metadata: p.metadata(),
};

export function installScheduleRoutes(ctx: EmulatorContext, billing: Billing): void {
  const schedules = billing.data.schedules;
  const find = (id: string) => mustGet(schedules, id, 'subscription_schedule');
  ctx.route<Stripe.SubscriptionScheduleCreateParams>({
    method: 'POST',
    path: '/v1/subscription_schedules',
    params: createScheduleFields,
    handler: ({ params }) => act(billing, (batch) => createSchedule(billing, batch, params)),
  });
  ctx.route({
    method: 'GET',
    path: '/v1/subscription_schedules/:id',
    handler: ({ pathParams }) => {
      catchUp(billing);
      return find(pathParams.id!);
    },
  });
  ctx.route<Stripe.SubscriptionScheduleUpdateParams>({
    method: 'POST',
    path: '/v1/subscription_schedules/:id',
    params: updateScheduleFields,
    handler: ({ pathParams, params }) =>
      act(billing, (batch) => updateSchedule(billing, batch, find(pathParams.id!), params)),
  });
  ctx.route<{ preserve_cancel_date?: boolean }>({
    method: 'POST',
    path: '/v1/subscription_schedules/:id/release',
    params: { preserve_cancel_date: p.boolean() },
    handler: ({ pathParams }) =>
      act(billing, (batch) => {
        const schedule = find(pathParams.id!);
        return releaseSchedule(
          billing,
          batch,
          schedule,
          billing.clock.nowForCustomer(customerId(schedule.customer as string)),
        );
      }),
  });
  ctx.route<Stripe.SubscriptionScheduleCancelParams>({
    method: 'POST',
    path: '/v1/subscription_schedules/:id/cancel',
    params: { invoice_now: p.boolean(), prorate: p.boolean() },
    handler: ({ pathParams, params }) =>
      act(billing, (batch) => cancelSchedule(billing, batch, find(pathParams.id!), params)),
  });
  ctx.route<PaginationParams & { customer?: string }>({
    method: 'GET',
    path: '/v1/subscription_schedules',
    params: listFields({ customer: p.string() }),
    handler: ({ params }) =>
      paginate(schedules.newestFirst(), params, {
        url: '/v1/subscription_schedules',
        noun: 'subscription_schedule',
        matches: (s) => !params.customer || s.customer === params.customer,
      }),
  });
}
