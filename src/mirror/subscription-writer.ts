import type Stripe from 'stripe';
import type { DbOrTx } from '../db/client.js';
import { movementRepository } from '../reports/movement-repository.js';
import { subscriptionItemRows, subscriptionRow } from '../stripe/mapping.js';
import { upsertSubscriptionOfPrice, type WriteMode } from './repository.js';

/**
 * One subscription snapshot into the mirror, whoever holds it (an event, or Stripe's answer to
 * Recur's own write): the row with its plan and, only when the row itself was written, its items
 * and its MRR movement. True when written. Three statements: the row (its plan read from the
 * catalog by the write), the items with the read of the MRR they make, and the MRR position.
 */
export async function writeSubscriptionSnapshot(
  tx: DbOrTx,
  subscription: Stripe.Subscription,
  stamp: Date,
  mode: WriteMode,
): Promise<boolean> {
  const row = subscriptionRow(subscription);
  if (!(await upsertSubscriptionOfPrice(tx, { ...row, priceId: row.priceId ?? null }, stamp, mode)))
    return false;
  await movementRepository.record(
    tx,
    subscription.id,
    stamp,
    subscriptionItemRows(subscription).map((item) => ({ ...item, stripeEventAt: stamp })),
  );
  return true;
}
