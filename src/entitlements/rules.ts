import type { Benefit, BenefitValue, PlanKind } from '../db/schema/plans.js';

/** A subscription as the entitlement rules need it, read from the mirror. */
export interface SubscriptionAccess {
  id: string;
  planId: string | null;
  /** The organisation that pays for it; null for the user's own. */
  organizationId?: string | null;
  /** The plan's kind: an add-on's numbers add to its payer's base plan, times its quantity. */
  kind?: PlanKind;
  /** A one-time plan bought (a purchase, `id` is its id): it grants for good, like a subscription that never ends. */
  purchase?: boolean;
  quantity?: number;
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

/**
 * One payer's benefits: its base subscriptions merged as above, then each add-on on top in catalog
 * order: a number adds its value times the add-on's quantity (to the base's, or to nothing), a flag
 * is OR-ed, and a text is taken only where the base has none.
 */
export function payerBenefits(subs: readonly SubscriptionAccess[]): Record<string, BenefitValue> {
  const merged = mergeBenefits(subs.filter((s) => s.kind !== 'add_on').map((s) => s.benefits));
  for (const addOn of subs.filter((s) => s.kind === 'add_on')) {
    for (const { key, value } of addOn.benefits) {
      const current = merged[key];
      if (typeof value === 'number') {
        const added = value * (addOn.quantity ?? 1);
        if (current === undefined) merged[key] = added;
        else if (typeof current === 'number') merged[key] = current + added;
      } else if (current === undefined) merged[key] = value;
      else if (typeof current === 'boolean' && typeof value === 'boolean') merged[key] = current || value;
    }
  }
  return merged;
}

/**
 * The benefits of several payers (the user's own first, then their organisations by id), merged as
 * across subscriptions: flags OR-ed, the largest number, the first text. `sources` names the payer
 * each value was taken from: the organisation's id, or null for the user's own.
 */
export function mergePayers(subs: readonly SubscriptionAccess[]): {
  benefits: Record<string, BenefitValue>;
  sources: Record<string, string | null>;
} {
  const payers = new Map<string | null, SubscriptionAccess[]>();
  const order = [...new Set(subs.map((s) => s.organizationId ?? null))].sort((a, b) =>
    a === null ? -1 : b === null ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  for (const payer of order) payers.set(payer, []);
  for (const sub of subs) payers.get(sub.organizationId ?? null)!.push(sub);
  const benefits: Record<string, BenefitValue> = {};
  const sources: Record<string, string | null> = {};
  for (const [payer, own] of payers) {
    for (const [key, value] of Object.entries(payerBenefits(own))) {
      const merged = mergeBenefits([
        benefits[key] === undefined ? [] : [{ key, value: benefits[key] }],
        [{ key, value }],
      ])[key]!;
      if (benefits[key] === undefined || merged !== benefits[key]) sources[key] = payer;
      benefits[key] = merged;
    }
  }
  return { benefits, sources };
}
