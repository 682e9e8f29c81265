import type Stripe from 'stripe';
import type { WriteMode } from '../../mirror/repository.js';
import { writeSubscriptionSnapshot } from '../../mirror/subscription-writer.js';
import { notifying, subscriptionCancelledNotice, trialWillEndNotice } from '../../notifications/outbox.js';
import { applyInOrder, type EventHandler, type HandlerContext } from './context.js';

/** The ordering rule's write step for subscriptions (see mirror/subscription-writer.ts). */
export function writeSubscription(ctx: HandlerContext) {
  return (current: Stripe.Subscription, stamp: Date, mode: WriteMode): Promise<boolean> =>
    writeSubscriptionSnapshot(ctx.tx, current, stamp, mode);
}

const subscription: EventHandler = (ctx) =>
  applyInOrder(ctx, 'subscription', ctx.event.data.object as Stripe.Subscription, writeSubscription(ctx));

export const subscriptionHandlers: Record<string, EventHandler> = {
  'customer.subscription.created': subscription,
  'customer.subscription.updated': subscription,
  'customer.subscription.deleted': notifying(subscription, subscriptionCancelledNotice),
  'customer.subscription.paused': subscription,
  'customer.subscription.resumed': subscription,
  'customer.subscription.trial_will_end': notifying(subscription, trialWillEndNotice),
  'customer.subscription.pending_update_applied': subscription,
  'customer.subscription.pending_update_expired': subscription,
};
