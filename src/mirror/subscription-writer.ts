import type Stripe from 'stripe';
import type { DbOrTx } from '../db/client.js';
import { movementRepository } from '../reports/movement-repository.js';
import { subscriptionItemRows, subscriptionRow } from '../stripe/mapping.js';
import { planIdOfPrice, replaceSubscriptionItems, upsertMirror, type WriteMode } from './repository.js';

/**
 * One subscription snapshot into the mirror, whoever holds it (an event, or Stripe's answer to
 * Recur's own write): the row with its plan and, only when the row itself was written, its items
 * and its MRR movement. True when written.
 */
export async function writeSubscriptionSnapshot(
  tx: DbOrTx,
  subscription: Stripe.Subscription,
  stamp: Date,
  mode: WriteMode,
): Promise<boolean> {
  const row = subscriptionRow(subscription);
  row.planId = await planIdOfPrice(tx, row.priceId ?? null);
  if (!(await upsertMirror(tx, 'subscription', row, stamp, mode))) return false;
  await replaceSubscriptionItems(
    tx,
    subscription.id,
    subscriptionItemRows(subscription).map((item) => ({ ...item, stripeEventAt: stamp })),
  );
  await movementRepository.record(tx, subscription.id, stamp);
  return true;
}
