import type { PriceTier } from '../db/schema/plans.js';
import type { PlanWithPrices, PriceRow } from './repository.js';
import type { PlanView, PriceView, TierInput } from './schemas.js';

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
    benefits: plan.benefits,
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
