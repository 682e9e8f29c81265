import { and, eq, notInArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { subscriptions } from '../db/schema/index.js';
import { ConflictError } from '../http/errors.js';
import { stripeStatusesOf } from './status.js';

/**
 * The one rule for a second subscription to a plan, shared by Checkout and POST /api/subscriptions:
 * refused (409 `already_subscribed`) while the customer has one that has not ended.
 */
export const liveSubscriptions = {
  /** A subscription of this customer to this plan that has not ended (pending, active or suspended). */
  async to(db: DbOrTx, customerId: string, planId: string): Promise<string | null> {
    const [row] = await db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.customerId, customerId),
          eq(subscriptions.planId, planId),
          notInArray(subscriptions.status, stripeStatusesOf('cancelled')),
        ),
      )
      .limit(1);
    return row?.id ?? null;
  },
};

export function alreadySubscribed(who: string, subscriptionId: string): ConflictError {
  return new ConflictError(
    'already_subscribed',
    `${who} already has subscription '${subscriptionId}' to this plan`,
    {
      subscription_id: subscriptionId,
    },
  );
}
