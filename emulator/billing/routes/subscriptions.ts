// /v1/subscriptions and /v1/subscription_items.

import type Stripe from 'stripe';
import type { EmulatorContext } from '../../core/context.js';
import { inRange, type PaginationParams, paginate } from '../../core/list.js';
import type { RangeFilter } from '../../core/params.js';
import { mustGet } from '../../core/records.js';
import { type SearchParams, searchFields, searchResult } from '../../core/search.js';
import { cancelSubscription } from '../engine/cancellation.js';
import type { Billing } from '../engine/context.js';
import { currentPeriod } from '../engine/renewal.js';
import { createSubscription, type SubscriptionCreateInput } from '../engine/subscription-create.js';
import { resumeSubscription, updateSubscription } from '../engine/subscription-update.js';
import { act, catchUp } from './action.js';
import { installSubscriptionItemRoutes } from './subscription-items.js';
import {
  cancelSubscriptionFields,
  createSubscriptionFields,
  listSubscriptionFields,
  resumeSubscriptionFields,
  updateSubscriptionFields,
} from './subscription-params.js';

interface ListParams extends PaginationParams {
  customer?: string;
  price?: string;
  status?: string;
  collection_method?: string;
  created?: number | RangeFilter;
  current_period_end?: number | RangeFilter;
  current_period_start?: number | RangeFilter;
  test_clock?: string;
}

/** Stripe lists every status but `canceled` unless asked (`all`, `ended` and the statuses by name). */
function statusMatches(subscription: Stripe.Subscription, status: string | undefined): boolean {
  if (status === 'all') return true;
  if (status === 'ended')
    return subscription.status === 'canceled' || subscription.status === 'incomplete_expired';
  if (status) return subscription.status === status;
  return subscription.status !== 'canceled' && subscription.status !== 'incomplete_expired';
}

export function installSubscriptionRoutes(ctx: EmulatorContext, billing: Billing): void {
  const subscriptions = billing.data.subscriptions;
  const find = (id: string) => mustGet(subscriptions, id, 'subscription');

  ctx.route<SubscriptionCreateInput>({
    method: 'POST',
    path: '/v1/subscriptions',
    params: createSubscriptionFields,
    handler: ({ params }) => act(billing, (batch) => createSubscription(billing, batch, params)),
  });

  ctx.route({
    method: 'GET',
    path: '/v1/subscriptions/:id',
    handler: ({ pathParams }) => {
      catchUp(billing);
      return find(pathParams.id!);
    },
  });

  ctx.route<Stripe.SubscriptionUpdateParams>({
    method: 'POST',
    path: '/v1/subscriptions/:id',
    params: updateSubscriptionFields,
    handler: ({ pathParams, params }) =>
      act(billing, (batch) => updateSubscription(billing, batch, find(pathParams.id!), params)),
  });

  ctx.route<Stripe.SubscriptionCancelParams>({
    method: 'DELETE',
    path: '/v1/subscriptions/:id',
    params: cancelSubscriptionFields,
    handler: ({ pathParams, params }) =>
      act(billing, (batch) => cancelSubscription(billing, batch, find(pathParams.id!), params)),
  });

  ctx.route<Stripe.SubscriptionResumeParams>({
    method: 'POST',
    path: '/v1/subscriptions/:id/resume',
    params: resumeSubscriptionFields,
    handler: ({ pathParams, params }) =>
      act(billing, (batch) => resumeSubscription(billing, batch, find(pathParams.id!), params)),
  });

  ctx.route<ListParams>({
    method: 'GET',
    path: '/v1/subscriptions',
    params: listSubscriptionFields,
    handler: ({ params }) => {
      catchUp(billing);
      const matches = (s: Stripe.Subscription) =>
        statusMatches(s, params.status) &&
        (!params.customer || s.customer === params.customer) &&
        (!params.price || s.items.data.some((item) => item.price.id === params.price)) &&
        (!params.collection_method || s.collection_method === params.collection_method) &&
        (!params.test_clock || s.test_clock === params.test_clock) &&
        inRange(s.created, params.created) &&
        inRange(currentPeriod(s).end, params.current_period_end) &&
        inRange(currentPeriod(s).start, params.current_period_start);
      return paginate(subscriptions.newestFirst(), params, {
        url: '/v1/subscriptions',
        noun: 'subscription',
        matches,
      });
    },
  });

  ctx.route<SearchParams>({
    method: 'GET',
    path: '/v1/subscriptions/search',
    params: searchFields,
    handler: ({ params }) => {
      catchUp(billing);
      return searchResult(subscriptions.newestFirst(), params, {
        url: '/v1/subscriptions/search',
        resource: 'subscriptions',
        fields: {
          status: (s) => s.status,
          customer: (s) => String(s.customer),
          created: (s) => s.created,
          canceled_at: (s) => s.canceled_at,
          price: (s) => s.items.data[0]?.price.id,
        },
      });
    },
  });

  installSubscriptionItemRoutes(ctx, billing);
}
