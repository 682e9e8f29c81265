import type { Benefit, BenefitValue } from '../db/schema/plans.js';

/** A subscription as the entitlement rules need it, read from the mirror. */
export interface SubscriptionAccess {
  id: string;
  planId: string | null;
  status: string;
  provider: 'stripe' | 'external';
  cancelAtPeriodEnd: boolean;
  cancelAt: Date | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  /** The plan's benefits; empty when the price is not one of Recur's plans. */
  benefits: Benefit[];
  /** The latest invoice's payment waits for the customer (the status word only; access is unchanged). */
  paymentActionRequired?: boolean;
}

/** The Stripe statuses that may give access; every other (canceled, incomplete, unpaid, paused …) gives none. */
export const ACCESS_STATUSES = ['active', 'trialing', 'past_due'] as const;

const DAY_MS = 86_400_000;

/**
 * Whether a subscription gives access at `now`, and until when (null: for as long as it renews).
 * `active` and `trialing` give access up to a scheduled cancellation; `past_due` for `graceDays`
 * counted from the start of the unpaid period, and never past a scheduled cancellation either.
 */
export function accessOf(
  sub: SubscriptionAccess,
  now: Date,
  graceDays: number,
): { granted: boolean; until: Date | null } {
  const cancellation = sub.cancelAt ?? (sub.cancelAtPeriodEnd ? sub.currentPeriodEnd : null);
  let until: Date | null;
  if (sub.status === 'active' || sub.status === 'trialing') {
    until = cancellation;
  } else if (sub.status === 'past_due' && sub.currentPeriodStart) {
    const graceEnd = new Date(sub.currentPeriodStart.getTime() + graceDays * DAY_MS);
    until = cancellation && cancellation < graceEnd ? cancellation : graceEnd;
  } else {
    return { granted: false, until: null };
  }
  return { granted: until === null || until > now, until };
}

/**
 * One value per benefit key across subscriptions, taken in the order given (the catalog's plan
 * order): flags are OR-ed, numbers take the largest (a limit is per subscription, not multiplied
 * by its quantity nor added across subscriptions), and texts keep the first plan's.
 */
export function mergeBenefits(benefitLists: Benefit[][]): Record<string, BenefitValue> {
  const merged: Record<string, BenefitValue> = {};
  for (const benefits of benefitLists) {
    for (const { key, value } of benefits) {
      const current = merged[key];
      if (current === undefined) merged[key] = value;
      else if (typeof current === 'boolean' && typeof value === 'boolean') merged[key] = current || value;
      else if (typeof current === 'number' && typeof value === 'number')
        merged[key] = Math.max(current, value);
    }
  }
  return merged;
}
