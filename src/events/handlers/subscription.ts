import type Stripe from 'stripe';
import type { WriteMode } from '../../mirror/repository.js';
import { writeSubscriptionSnapshot } from '../../mirror/subscription-writer.js';
import { notifying, subscriptionCancelledNotice, trialWillEndNotice } from '../../notifications/outbox.js';
import { applyInOrder, type EventHandler, type HandlerContext, on, type TypedHandler } from './context.js';

/** The ordering rule's write step for subscriptions (see mirror/subscription-writer.ts). */
export function writeSubscription(ctx: HandlerContext) {
  return (current: Stripe.Subscription, stamp: Date, mode: WriteMode): Promise<boolean> =>
    writeSubscriptionSnapshot(ctx.tx, current, stamp, mode);
}

const SUBSCRIPTION = [
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'customer.subscription.trial_will_end',
  'customer.subscription.pending_update_applied',
  'customer.subscription.pending_update_expired',
] as const;

const subscription: TypedHandler<(typeof SUBSCRIPTION)[number]> = (ctx, event) =>
  applyInOrder(ctx, 'subscription', event.data.object, writeSubscription(ctx));

export const subscriptionHandlers: Record<string, EventHandler> = {
  ...on(SUBSCRIPTION, subscription),
  // Types with a notice are registered again below: the later entry replaces the plain one.
  ...on(['customer.subscription.deleted'], notifying(subscription, subscriptionCancelledNotice)),
  ...on(['customer.subscription.trial_will_end'], notifying(subscription, trialWillEndNotice)),
};
