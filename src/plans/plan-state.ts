import { ConflictError, NotFoundError } from '../http/errors.js';
import type { PlanWithPrices, PriceRow } from './repository.js';

/** Only an active plan takes new prices and amount changes. */
export function assertPlanActive(plan: PlanWithPrices): void {
  if (plan.status !== 'active') throw new ConflictError('plan_archived', `Plan '${plan.key}' is archived`);
}

/** The plan's price named by Recur's or Stripe's id, which must still be on sale. */
export function activePriceOf(plan: PlanWithPrices, priceId: string): PriceRow {
  const price = plan.prices.find((p) => p.id === priceId || p.stripePriceId === priceId);
  if (!price) throw new NotFoundError('Price', priceId);
  if (!price.active) throw new ConflictError('price_archived', `Price '${priceId}' is already archived`);
  return price;
}
