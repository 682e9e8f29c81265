import type { OverageRule, UsageReset } from '../db/schema/plans.js';
import { accessOf, payerBenefits, type SubscriptionAccess } from '../entitlements/rules.js';
import type { BillingAnchor, Interval } from './periods.js';

/** A payer's subscription as the usage rules need it: the entitlement fields and its price's interval. */
export interface PayerSubscription extends SubscriptionAccess {
  interval: Interval | null;
  intervalCount: number | null;
}

/** What a payer may use of a feature: its limit per period and what happens beyond. */
export interface UsageRule {
  /** The merged limit of the granting benefits (0 with none: credits only). */
  limit: number;
  reset: UsageReset;
  overage: OverageRule;
  /** For `billing_period`: the granting subscription's period. */
  anchor: BillingAnchor | null;
  /** The payer holds a metered limit for the feature (else it is counted with limit 0). */
  metered: boolean;
}

/** The payer's subscriptions that give access at `now` (see entitlements/rules.ts). */
export function granting<T extends SubscriptionAccess>(
  subs: readonly T[],
  now: Date,
  graceDays: number,
): T[] {
  return subs.filter((sub) => accessOf(sub, now, graceDays).granted);
}

/**
 * The payer's rule for a feature, from its granting subscriptions in catalog order. The limit is
 * the metered benefits' values merged as entitlements merge numbers (the largest across base
 * plans, each add-on adding its value times its quantity); reset and overage come from the base
 * plan's benefit, else the first add-on's. A feature with no metered benefit has limit 0 and
 * overage `credits`: what the payer holds in credits is what it may use (nothing without any),
 * counted in one period that never resets.
 */
export function usageRuleOf(subs: readonly PayerSubscription[], feature: string): UsageRule {
  const metered = subs
    .map((sub) => ({ sub, benefit: sub.benefits.find((b) => b.key === feature && b.limit) }))
    .filter((m) => m.benefit !== undefined);
  const source = metered.find((m) => m.sub.kind !== 'add_on') ?? metered[0];
  if (!source?.benefit?.limit)
    return { limit: 0, reset: 'never', overage: 'credits', anchor: null, metered: false };
  const merged = payerBenefits(
    metered.map(({ sub, benefit }) => ({ ...sub, benefits: benefit ? [benefit] : [] })),
  )[feature];
  const { sub } = source;
  const anchor =
    sub.currentPeriodStart && sub.currentPeriodEnd && sub.interval
      ? {
          start: sub.currentPeriodStart,
          end: sub.currentPeriodEnd,
          interval: sub.interval,
          intervalCount: sub.intervalCount ?? 1,
        }
      : null;
  return {
    limit: typeof merged === 'number' ? merged : 0,
    reset: source.benefit.limit.reset,
    overage: source.benefit.limit.overage,
    anchor,
    metered: true,
  };
}

/** The limit in force for a counter: the highest held this period (a downgrade waits for the next). */
export const limitInForce = (rule: UsageRule, limitFloor: number): number => Math.max(rule.limit, limitFloor);

/**
 * Units beyond the allowance not yet paid from credits: what a `credits` overage must draw now.
 * Open reservations hold their allowance part, so they count against it.
 */
export function creditsOwed(
  counter: { used: number; reserved: number; creditsDrawn: number },
  limit: number,
): number {
  return Math.max(0, Math.max(0, counter.used + counter.reserved - limit) - counter.creditsDrawn);
}

/** The highest announced threshold the usage has reached (percent of the limit), 0 when none. */
export function thresholdReached(used: number, limit: number, warnPercent: number): number {
  if (limit <= 0) return 0;
  if (used >= limit) return 100;
  return used * 100 >= limit * warnPercent ? warnPercent : 0;
}
