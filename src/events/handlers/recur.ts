import { externalSubscriptionRepository } from '../../subscriptions/external-repository.js';
import { applyInOrder, type EventHandler, on, type TypedHandler } from './context.js';
import { writeSubscription } from './subscription.js';

/**
 * A subscription Recur created is confirmed against its source of truth: a Stripe one is read again
 * from Stripe and applied in order (so a mirror row written from a stale answer is corrected); an
 * external one, kept by Recur alone, must be in the database.
 */
const subscriptionCreated: TypedHandler<'recur.subscription_created'> = async (ctx, event) => {
  const announced = event.data.object;
  if (announced.provider === 'external') {
    if (!(await externalSubscriptionRepository.findSubscription(ctx.tx, announced.id)))
      throw new Error(`external subscription ${announced.id} is missing from the database`);
    return 'noop';
  }
  const fetched = await ctx.objects.retrieve('subscription', announced.id);
  if (!fetched) return 'noop';
  // Stamped on Stripe's clock, in its whole seconds: Recur's own millisecond time would rank this
  // read above Stripe's events of the same second and drop them.
  const fetchedAt = new Date(Math.floor(fetched.fetchedAt.getTime() / 1000) * 1000);
  return applyInOrder({ ...ctx, eventAt: fetchedAt }, 'subscription', fetched.object, writeSubscription(ctx));
};

export const recurHandlers: Record<string, EventHandler> = on(
  ['recur.subscription_created'],
  subscriptionCreated,
);
