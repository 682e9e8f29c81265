// Saving a subscription and announcing the change: `customer.subscription.updated` carries the
// old values of exactly the fields that changed, and nothing is announced when nothing changed.

import type Stripe from 'stripe';
import { previousAttributes } from '../../core/diff.js';
import type { Billing } from './context.js';
import type { EventBatch } from './event-batch.js';

export function changeSubscription(
  billing: Billing,
  batch: EventBatch,
  subscription: Stripe.Subscription,
  at: number,
  mutate: (subscription: Stripe.Subscription) => void,
  eventType = 'customer.subscription.updated',
): Stripe.Subscription {
  const before = structuredClone(subscription);
  mutate(subscription);
  billing.data.subscriptions.save(subscription);
  const previous = previousAttributes(
    before as unknown as Record<string, unknown>,
    subscription as unknown as Record<string, unknown>,
  );
  // A subscription still being created is announced once, in its final state.
  if (batch.isUnannounced(subscription.id)) return subscription;
  if (Object.keys(previous).length > 0 || eventType !== 'customer.subscription.updated') {
    batch.record(
      eventType,
      subscription,
      at,
      eventType === 'customer.subscription.updated' ? previous : undefined,
    );
  }
  return subscription;
}
