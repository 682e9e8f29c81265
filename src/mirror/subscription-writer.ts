import type Stripe from 'stripe';
import type { DbOrTx } from '../db/client.js';
import { movementRepository } from '../reports/movement-repository.js';
import { fileUnderPlanOfPrice } from '../reports/revenue-rollup.js';
import { subscriptionItemRows, subscriptionRow } from '../stripe/mapping.js';
import { upsertSubscriptionOfPrice, type WriteMode } from './repository.js';

/**
 * Brings a price the catalog lacks into it (with its product, when that is missing too); true when
 * the catalog then has a plan for it. Events may deliver a subscription before its price's event.
 */
export type BringInPrice = (price: Stripe.Price) => Promise<boolean>;

/**
 * One subscription snapshot into the mirror, whoever holds it (an event, or Stripe's answer to
 * Recur's own write): the row with its plan and, only when the row itself was written, its items
 * and its MRR movement. True when written. Three statements: the row (its plan read from the
 * catalog by the write), the items with the read of the MRR they make, and the MRR position.
 *
 * A row written with no plan while it has a price (the price's event not applied yet) asks
 * `bringInPrice` for it and is filed under its plan before the movement is recorded, so the
 * movement, the position and the revenue rollup are the plan's whatever the delivery order.
 */
export async function writeSubscriptionSnapshot(
  tx: DbOrTx,
  subscription: Stripe.Subscription,
  stamp: Date,
  mode: WriteMode,
  bringInPrice?: BringInPrice,
): Promise<boolean> {
  const row = subscriptionRow(subscription);
  const priceId = row.priceId ?? null;
  const { written, planId } = await upsertSubscriptionOfPrice(tx, { ...row, priceId }, stamp, mode);
  if (!written) return false;
  if (planId === null && priceId !== null && bringInPrice) {
    const price = subscription.items.data.find((item) => item.price.id === priceId)?.price;
    if (price && (await bringInPrice(price))) await fileUnderPlanOfPrice(tx, subscription.id);
  }
  await movementRepository.record(
    tx,
    subscription.id,
    stamp,
    subscriptionItemRows(subscription).map((item) => ({ ...item, stripeEventAt: stamp })),
  );
  return true;
}
