import type { Benefit, BenefitValue } from '../db/schema/plans.js';
import { ValidationError } from '../http/errors.js';
import { isSupportedCurrency, MAXIMUM_AMOUNT, MINIMUM_CHARGE } from './currencies.js';
import type { PriceInput, TierInput } from './schemas.js';

/**
 * The catalog's rules that need no database: each failure is a ValidationError with a precise
 * code, so clients can react to the reason rather than parse a message.
 */

export const SLUG = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
export const MAX_TRIAL_DAYS = 730;

/** Stripe bills at most once a year: the longest allowed count per interval. */
const MAX_INTERVAL_COUNT = { day: 365, week: 52, month: 12, year: 1 } as const;

export function checkPlanKey(key: string): void {
  if (!SLUG.test(key) || key.length > 64) {
    throw new ValidationError(
      'invalid_plan_key',
      `Plan key '${key}' must be a slug: lowercase letters and digits separated by - or _, at most 64 characters`,
      { field: 'key' },
    );
  }
}

export function checkTrialDays(days: number): void {
  if (days > MAX_TRIAL_DAYS) {
    throw new ValidationError(
      'trial_too_long',
      `trial_days may be at most ${MAX_TRIAL_DAYS} (Stripe's limit)`,
      {
        field: 'trial_days',
      },
    );
  }
}

export type BenefitType = 'flag' | 'limit' | 'text';

export function benefitType(value: BenefitValue): BenefitType {
  return typeof value === 'boolean' ? 'flag' : typeof value === 'number' ? 'limit' : 'text';
}

export function checkBenefits(benefits: Benefit[]): void {
  const seen = new Set<string>();
  benefits.forEach((benefit, i) => {
    if (!SLUG.test(benefit.key) || benefit.key.length > 64) {
      throw new ValidationError(
        'invalid_benefit_key',
        `Benefit key '${benefit.key}' must be a slug: lowercase letters and digits separated by - or _`,
        { field: `benefits.${i}.key` },
      );
    }
    if (seen.has(benefit.key)) {
      throw new ValidationError('duplicate_benefit_key', `Benefit '${benefit.key}' is listed twice`, {
        field: `benefits.${i}.key`,
      });
    }
    seen.add(benefit.key);
  });
}

/**
 * `perSeat`: the price bills each seat of a per-seat plan. A tiered price would make a seat's cost
 * depend on how many there are, which neither the seat preview nor one added seat's proration
 * could state as one amount per seat.
 */
export function checkPrice(price: PriceInput, field: string, perSeat = false): void {
  if (perSeat && price.tiers) {
    throw new ValidationError(
      'per_seat_price_tiered',
      'A per-seat plan’s prices are per seat (unit_amount), not tiered',
      { field: `${field}.tiers` },
    );
  }
  if (!isSupportedCurrency(price.currency)) {
    throw new ValidationError('unsupported_currency', `Currency '${price.currency}' is not supported`, {
      field: `${field}.currency`,
    });
  }
  const maxCount = price.interval ? MAX_INTERVAL_COUNT[price.interval] : 1;
  if (price.interval_count > maxCount) {
    throw new ValidationError(
      'interval_too_long',
      `A price may bill at most once a year: ${price.interval} × ${price.interval_count} is longer`,
      { field: `${field}.interval_count`, max: maxCount },
    );
  }
  if (price.unit_amount !== undefined) checkAmount(price.unit_amount, price.currency, `${field}.unit_amount`);
  if (price.tiers) checkTiers(price.tiers, price.currency, `${field}.tiers`);
}

export function checkAmount(amount: number, currency: string, field: string, allowZero = true): void {
  const minimum = MINIMUM_CHARGE[currency] ?? 1;
  if (amount > MAXIMUM_AMOUNT) {
    throw new ValidationError(
      'amount_above_maximum',
      `Amount ${amount} exceeds Stripe's maximum of ${MAXIMUM_AMOUNT}`,
      {
        field,
        maximum: MAXIMUM_AMOUNT,
      },
    );
  }
  if ((amount === 0 && !allowZero) || (amount > 0 && amount < minimum)) {
    throw new ValidationError(
      'amount_below_minimum',
      `Amount ${amount} is below Stripe's minimum charge of ${minimum} ${currency.toUpperCase()} minor units`,
      { field, minimum },
    );
  }
}

function checkTiers(tiers: TierInput[], currency: string, field: string): void {
  let previous = 0;
  tiers.forEach((tier, i) => {
    const last = i === tiers.length - 1;
    if (tier.up_to === null && !last) {
      throw new ValidationError('tiers_not_ascending', 'Only the last tier may be open-ended (up_to: null)', {
        field: `${field}.${i}.up_to`,
      });
    }
    if (tier.up_to !== null && tier.up_to <= previous) {
      throw new ValidationError(
        'tiers_not_ascending',
        `Tier ${i + 1}'s up_to must be greater than ${previous}`,
        {
          field: `${field}.${i}.up_to`,
        },
      );
    }
    if (tier.up_to !== null) previous = tier.up_to;
    if (tier.unit_amount === undefined && tier.flat_amount === undefined) {
      throw new ValidationError(
        'tier_amount_missing',
        `Tier ${i + 1} needs unit_amount, flat_amount or both`,
        {
          field: `${field}.${i}`,
        },
      );
    }
    for (const key of ['unit_amount', 'flat_amount'] as const) {
      const amount = tier[key];
      if (amount !== undefined && amount > MAXIMUM_AMOUNT)
        checkAmount(amount, currency, `${field}.${i}.${key}`);
    }
  });
  if (tiers.at(-1)?.up_to !== null) {
    throw new ValidationError('tiers_not_open_ended', 'The last tier must be open-ended (up_to: null)', {
      field: `${field}.${tiers.length - 1}.up_to`,
    });
  }
}

/** A price's billing slot: one plan may have one active price per slot. */
export function slotOf(p: {
  currency: string;
  interval?: string | null | undefined;
  interval_count?: number;
  intervalCount?: number;
}) {
  return `${p.currency}/${p.interval ?? 'once'}/${p.interval_count ?? p.intervalCount ?? 1}`;
}

export function checkDistinctSlots(prices: PriceInput[]): void {
  const seen = new Map<string, number>();
  const lookupKeys = new Set<string>();
  prices.forEach((price, i) => {
    const slot = slotOf(price);
    if (seen.has(slot)) {
      throw new ValidationError(
        'duplicate_price_slot',
        `prices.${seen.get(slot)} and prices.${i} are both ${price.currency.toUpperCase()} every ${price.interval_count} ${price.interval}`,
        { field: `prices.${i}` },
      );
    }
    seen.set(slot, i);
    if (price.lookup_key !== undefined) {
      if (lookupKeys.has(price.lookup_key)) {
        throw new ValidationError('duplicate_lookup_key', `Lookup key '${price.lookup_key}' is used twice`, {
          field: `prices.${i}.lookup_key`,
        });
      }
      lookupKeys.add(price.lookup_key);
    }
  });
}
