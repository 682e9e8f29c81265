import { and, eq, notInArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { subscriptions } from '../db/schema/index.js';
import { stripeStatusesOf } from '../subscriptions/status.js';

export const checkoutRepository = {
  /** A subscription of this customer to this plan that has not ended (pending, active or suspended). */
  async liveSubscriptionTo(db: DbOrTx, customerId: string, planId: string): Promise<string | null> {
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
