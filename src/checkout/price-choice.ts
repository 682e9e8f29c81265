import { AppError, ConflictError, ValidationError } from '../http/errors.js';
import type { PlanWithPrices, PriceRow } from '../plans/repository.js';
import type { CreateCheckoutInput } from './schemas.js';

type PriceWish = Pick<CreateCheckoutInput, 'price_id' | 'interval' | 'interval_count' | 'currency'>;

/**
 * The price a checkout sells: the one named, or the plan's only active price matching the interval
 * and currency asked for. With nothing asked and several intervals on offer, the monthly price.
 */
export function choosePrice(plan: PlanWithPrices | null, planId: string, wish: PriceWish): PriceRow {
  if (!plan) throw new AppError(404, 'plan_not_found', `Plan '${planId}' was not found`);
  if (plan.status !== 'active') throw new ConflictError('plan_archived', `Plan '${plan.key}' is archived`);
  if (wish.price_id !== undefined) {
    const price = plan.prices.find((p) => p.id === wish.price_id || p.stripePriceId === wish.price_id);
    if (!price)
      throw new AppError(404, 'price_not_found', `Plan '${plan.key}' has no price '${wish.price_id}'`);
    if (!price.active) throw new ConflictError('price_archived', `Price '${wish.price_id}' is archived`);
    return price;
  }
  let candidates = plan.prices.filter(
    (p) =>
      p.active &&
      (wish.interval === undefined || p.interval === wish.interval) &&
      (wish.interval_count === undefined || p.intervalCount === wish.interval_count) &&
      (wish.currency === undefined || p.currency === wish.currency),
  );
  if (wish.interval === undefined && new Set(candidates.map((p) => p.interval)).size > 1) {
    const monthly = candidates.filter((p) => p.interval === 'month' && p.intervalCount === 1);
    if (monthly.length > 0) candidates = monthly;
  }
  if (candidates.length === 0) {
    throw new ValidationError(
      'price_not_available',
      `Plan '${plan.key}' has no active price matching the request`,
    );
  }
  if (candidates.length > 1) {
    throw new ValidationError(
      'price_ambiguous',
      `Plan '${plan.key}' has ${candidates.length} matching prices; give price_id, interval or currency`,
      {
        prices: candidates.map((p) => ({
          id: p.id,
          currency: p.currency,
          interval: p.interval,
          interval_count: p.intervalCount,
        })),
      },
    );
  }
  return candidates[0]!;
}
