import type Stripe from 'stripe';
import type { WriteMode } from '../../mirror/repository.js';
import { type BringInPrice, writeSubscriptionSnapshot } from '../../mirror/subscription-writer.js';
import { notifying, subscriptionCancelledNotice, trialWillEndNotice } from '../../notifications/outbox.js';
import type { CatalogSync } from '../../sync/catalog.js';
import { fileInCatalog, productOf } from './catalog.js';
import { applyInOrder, type EventHandler, type HandlerContext, on, type TypedHandler } from './context.js';

/**
 * The ordering rule's write step for subscriptions (see mirror/subscription-writer.ts). With
 * `bringInPrice`, a subscription whose price the catalog lacks brings it in.
 */
export function writeSubscription(ctx: HandlerContext, bringInPrice?: BringInPrice) {
  return (current: Stripe.Subscription, stamp: Date, mode: WriteMode): Promise<boolean> =>
    writeSubscriptionSnapshot(ctx.tx, current, stamp, mode, bringInPrice);
}

/** How many untaken products a process remembers before it starts again. */
const UNTAKEN_REMEMBERED = 1_000;

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

/**
 * Stripe's subscription events. One may arrive before the events of its price and product (a
 * Dashboard price used at once): it brings them into the catalog, as a price's event brings its
 * product, so that the subscription has its plan from its first write.
 */
export function subscriptionHandlers(
  sync: CatalogSync,
  invalidateCache: () => Promise<void>,
): Record<string, EventHandler> {
  // Products the catalog would not take (Recur's own, not yet known to it): asked about once per
  // process, not at every event of their subscriptions. Once the plan is known, no event asks.
  const untaken = new Set<string>();
  const subscription: TypedHandler<(typeof SUBSCRIPTION)[number]> = (ctx, event) => {
    const bringInPrice: BringInPrice = async (price) => {
      const product = productOf(price);
      if (untaken.has(product)) return false;
      // The subscription's own copy of the price is as new as the event: no read from Stripe.
      if ((await fileInCatalog(ctx, sync, invalidateCache, price)) !== 'skipped') return true;
      if (untaken.size >= UNTAKEN_REMEMBERED) untaken.clear();
      untaken.add(product);
      return false;
    };
    return applyInOrder(ctx, 'subscription', event.data.object, writeSubscription(ctx, bringInPrice));
  };
  return {
    ...on(SUBSCRIPTION, subscription),
    // Types with a notice are registered again below: the later entry replaces the plain one.
    ...on(['customer.subscription.deleted'], notifying(subscription, subscriptionCancelledNotice)),
    ...on(['customer.subscription.trial_will_end'], notifying(subscription, trialWillEndNotice)),
  };
}
