import type { Benefit, CreditGrantRule } from '../db/schema/plans.js';

const DAY_MS = 86_400_000;

/** A benefit that grants credits: `value` credits of its key, by its grant rule. */
export interface CreditBenefit {
  feature: string;
  amount: number;
  rule: CreditGrantRule;
}

/** The plan's credit grants (benefits with `credits` and a positive number of them). */
export function creditBenefits(benefits: readonly Benefit[]): CreditBenefit[] {
  return benefits.flatMap((b) =>
    b.credits && typeof b.value === 'number' && b.value > 0
      ? [{ feature: b.key, amount: b.value, rule: b.credits }]
      : [],
  );
}

/** The benefits a purchase keeps for good: flags, numbers, texts and limits, not its credit grants (granted once, into the ledger). */
export function lifetimeBenefits(benefits: readonly Benefit[]): Benefit[] {
  return benefits.filter((b) => !b.credits);
}

/**
 * When a grant's credits expire. A one-time purchase's: `expires_after_days` after the grant, else
 * never. A period's grant: at the period's end without rollover; with rollover, after
 * `expires_after_days` if given, else never.
 */
export function creditExpiry(rule: CreditGrantRule, grantedAt: Date, periodEnd: Date | null): Date | null {
  if (periodEnd && !rule.rollover) return periodEnd;
  return rule.expiresAfterDays === null
    ? null
    : new Date(grantedAt.getTime() + rule.expiresAfterDays * DAY_MS);
}
