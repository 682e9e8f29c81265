import type Stripe from 'stripe';
import {
  planIdOfPrice,
  replaceSubscriptionItems,
  upsertMirror,
  type WriteMode,
} from '../../mirror/repository.js';
import { notifying, subscriptionCancelledNotice, trialWillEndNotice } from '../../notifications/outbox.js';
import { movementRepository } from '../../reports/movement-repository.js';
import { subscriptionItemRows, subscriptionRow } from '../../stripe/mapping.js';
import { applyInOrder, type EventHandler, type HandlerContext } from './context.js';

/** Writes one subscription snapshot and, only when the row itself was written, its items and MRR movement. */
export function writeSubscription(ctx: HandlerContext) {
  return async (current: Stripe.Subscription, stamp: Date, mode: WriteMode): Promise<boolean> => {
    const row = subscriptionRow(current);
    row.planId = await planIdOfPrice(ctx.tx, row.priceId ?? null);
    if (!(await upsertMirror(ctx.tx, 'subscription', row, stamp, mode))) return false;
    await replaceSubscriptionItems(
      ctx.tx,
      current.id,
      subscriptionItemRows(current).map((item) => ({ ...item, stripeEventAt: stamp })),
    );
    await movementRepository.record(ctx.tx, current.id, stamp);
    return true;
  };
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
