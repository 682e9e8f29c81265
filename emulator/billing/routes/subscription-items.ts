// /v1/subscription_items: each call is a subscription update on one item, with its prorations.

import type Stripe from 'stripe';
import type { EmulatorContext } from '../../core/context.js';
import { resourceMissing } from '../../core/errors.js';
import { listFields, type PaginationParams, paginate } from '../../core/list.js';
import { p } from '../../core/params.js';
import { deletedObject, mustGet } from '../../core/records.js';
import type { Billing } from '../engine/context.js';
import { updateSubscription } from '../engine/subscription-update.js';
import { act, catchUp } from './action.js';
import {
  deleteSubscriptionItemFields,
  subscriptionItemFields,
  updateSubscriptionItemFields,
} from './subscription-params.js';

type ProrationParams = Pick<Stripe.SubscriptionUpdateParams, 'proration_behavior' | 'proration_date'>;

export function installSubscriptionItemRoutes(ctx: EmulatorContext, billing: Billing): void {
  const subscriptions = billing.data.subscriptions;
  const locate = (itemId: string) => {
    for (const subscription of subscriptions.all()) {
      const item = subscription.items.data.find((i) => i.id === itemId);
      if (item) return { subscription, item };
    }
    throw resourceMissing('subscription_item', itemId);
  };
  const proration = (params: ProrationParams) => ({
    ...(params.proration_behavior && { proration_behavior: params.proration_behavior }),
    ...(params.proration_date !== undefined && { proration_date: params.proration_date }),
  });

  ctx.route<Stripe.SubscriptionItemCreateParams & ProrationParams>({
    method: 'POST',
    path: '/v1/subscription_items',
    params: subscriptionItemFields,
    handler: ({ params }) =>
      act(billing, (batch) => {
        const subscription = mustGet(subscriptions, params.subscription, 'subscription', 'subscription');
        const known = new Set(subscription.items.data.map((i) => i.id));
        updateSubscription(billing, batch, subscription, {
          items: [
            {
              price: params.price!,
              ...(params.quantity !== undefined && { quantity: params.quantity }),
              ...(params.metadata && { metadata: params.metadata }),
            },
          ],
          ...proration(params),
        });
        return subscription.items.data.find((i) => !known.has(i.id))!;
      }),
  });

  ctx.route({
    method: 'GET',
    path: '/v1/subscription_items/:id',
    handler: ({ pathParams }) => {
      catchUp(billing);
      return locate(pathParams.id!).item;
    },
  });

  ctx.route<Stripe.SubscriptionItemUpdateParams & ProrationParams>({
    method: 'POST',
    path: '/v1/subscription_items/:id',
    params: updateSubscriptionItemFields,
    handler: ({ pathParams, params }) =>
      act(billing, (batch) => {
        const { subscription, item } = locate(pathParams.id!);
        updateSubscription(billing, batch, subscription, {
          items: [
            {
              id: item.id,
              ...(params.price && { price: params.price }),
              ...(params.quantity !== undefined && { quantity: params.quantity }),
              ...(params.metadata !== undefined && { metadata: params.metadata }),
            },
          ],
          ...proration(params),
        });
        return locate(item.id).item;
      }),
  });

  ctx.route<ProrationParams>({
    method: 'DELETE',
    path: '/v1/subscription_items/:id',
    params: deleteSubscriptionItemFields,
    handler: ({ pathParams, params }) =>
      act(billing, (batch) => {
        const { subscription, item } = locate(pathParams.id!);
        updateSubscription(billing, batch, subscription, {
          items: [{ id: item.id, deleted: true }],
          ...proration(params),
        });
        return deletedObject(item.id, 'subscription_item');
      }),
  });

  ctx.route<PaginationParams & { subscription: string }>({
    method: 'GET',
    path: '/v1/subscription_items',
    params: listFields({ subscription: p.string({ required: true }) }),
    handler: ({ params }) => {
      catchUp(billing);
      const subscription = mustGet(subscriptions, params.subscription, 'subscription', 'subscription');
      return paginate([...subscription.items.data].reverse(), params, {
        url: '/v1/subscription_items',
        noun: 'subscription_item',
      });
    },
  });
}
