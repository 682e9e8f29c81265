import type { Benefit, PriceTier } from '../db/schema/plans.js';
import type { PlanWithPrices, PriceRow } from './repository.js';
import type { BenefitView, PlanView, PriceView, TierInput } from './schemas.js';

export function toPriceView(p: PriceRow): PriceView {
  return {
    id: p.id,
    stripe_price_id: p.stripePriceId,
    currency: p.currency,
    unit_amount: p.unitAmount,
    billing_scheme: p.billingScheme,
    tiers_mode: p.tiersMode,
    tiers:
      p.tiers?.map((t) => ({ up_to: t.upTo, unit_amount: t.unitAmount, flat_amount: t.flatAmount })) ?? null,
    interval: p.interval,
    interval_count: p.intervalCount,
    lookup_key: p.lookupKey,
    active: p.active,
    replaces_price_id: p.replacesPriceId,
    created_at: p.createdAt.toISOString(),
    archived_at: p.archivedAt?.toISOString() ?? null,
  };
}

export function toPlanView(plan: PlanWithPrices): PlanView {
  return {
    id: plan.id,
    key: plan.key,
    name: plan.name,
    description: plan.description,
    status: plan.status,
    trial_days: plan.trialDays,
    per_seat: plan.perSeat,
    kind: plan.kind,
    requires_plans: plan.requiresPlans,
    benefits: plan.benefits.map(toBenefitView),
    stripe_product_id: plan.stripeProductId,
    prices: plan.prices.map(toPriceView),
    created_at: plan.createdAt.toISOString(),
    updated_at: plan.updatedAt.toISOString(),
  };
}

export function toTiers(tiers: TierInput[] | undefined): PriceTier[] | null {
  return (
    tiers?.map((t) => ({
      upTo: t.up_to,
      unitAmount: t.unit_amount ?? null,
      flatAmount: t.flat_amount ?? null,
    })) ?? null
  );
}

/** A tier as it is written: the amounts given, none null. */
const tierInputOf = (t: PriceTier) => ({
  up_to: t.upTo,
  ...(t.unitAmount === null ? {} : { unit_amount: t.unitAmount }),
  ...(t.flatAmount === null ? {} : { flat_amount: t.flatAmount }),
});

/** A stored benefit in the shape it was written: a metered limit or a credit grant shows its own fields. */
export function toBenefitView(b: Benefit): BenefitView {
  if (b.limit && typeof b.value === 'number')
    return {
      key: b.key,
      value: b.value,
      limit: b.value,
      reset: b.limit.reset,
      overage: b.limit.overage,
      ...(b.limit.overagePrices
        ? {
            overage_prices: b.limit.overagePrices.map((p) => ({
              currency: p.currency,
              ...(p.unitAmount === null ? {} : { unit_amount: p.unitAmount }),
              ...(p.tiersMode === null ? {} : { tiers_mode: p.tiersMode }),
              ...(p.tiers === null ? {} : { tiers: p.tiers.map(tierInputOf) }),
            })),
          }
        : {}),
    };
  if (b.credits && typeof b.value === 'number')
    return {
      key: b.key,
      value: b.value,
      credits: b.value,
      rollover: b.credits.rollover,
      expires_after_days: b.credits.expiresAfterDays,
    };
  return { key: b.key, value: b.value };
}
