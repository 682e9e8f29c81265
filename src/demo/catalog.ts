import type { CreatePlanInput, PlanView, PriceView } from '../plans/schemas.js';
import type { PlanService } from '../plans/service.js';
import type { CatalogShape, PriceChoice } from './scenario.js';

type Benefits = CreatePlanInput['benefits'];

const benefits = (seats: number, projects: number, prioritySupport: boolean, api: boolean): Benefits => [
  { key: 'seats', value: seats },
  { key: 'projects', value: projects },
  { key: 'priority_support', value: prioritySupport },
  { key: 'api_access', value: api },
];

type PriceInput = CreatePlanInput['prices'][number];

const monthly = (currency: string, amount: number): PriceInput => ({
  currency,
  unit_amount: amount,
  interval: 'month',
  interval_count: 1,
});
const yearly = (currency: string, amount: number): PriceInput => ({
  ...monthly(currency, amount),
  interval: 'year',
});

function plan(
  key: string,
  name: string,
  description: string,
  trialDays: number,
  prices: PriceInput[],
  benefits: Benefits,
) {
  return {
    key,
    name,
    description,
    trial_days: trialDays,
    kind: 'base' as const,
    requires_plans: [],
    prices,
    benefits,
    force: false,
  };
}

/** Three plans, monthly and yearly in USD, Pro also monthly in EUR. */
export const DEMO_PLANS: CreatePlanInput[] = [
  plan(
    'starter',
    'Starter',
    'For individuals getting started',
    0,
    [monthly('usd', 900), yearly('usd', 9_000)],
    benefits(1, 3, false, false),
  ),
  plan(
    'pro',
    'Pro',
    'For growing teams',
    14,
    [monthly('usd', 2_900), yearly('usd', 29_000), monthly('eur', 2_700)],
    benefits(5, 20, false, true),
  ),
  plan(
    'business',
    'Business',
    'For companies that need more',
    14,
    [monthly('usd', 9_900), yearly('usd', 99_000)],
    benefits(25, 100, true, true),
  ),
];

/** The Stripe prices the demo subscribes to, by kind, cheapest first. */
export interface DemoPrices {
  monthly: PriceView[];
  yearly: PriceView[];
  other: PriceView[];
}

const fixed = (p: PriceView) => p.active && p.billing_scheme === 'per_unit' && p.interval_count === 1;
const cheapestFirst = (a: PriceView, b: PriceView) => (a.unit_amount ?? 0) - (b.unit_amount ?? 0);

/**
 * The active catalog's fixed monthly and yearly prices: the main currency is the one with the most
 * monthly prices; one other currency's monthly prices, if any, serve a few customers abroad.
 */
export function pricesOf(plans: PlanView[]): DemoPrices {
  const prices = plans.filter((p) => p.status === 'active').flatMap((p) => p.prices.filter(fixed));
  const monthly = prices.filter((p) => p.interval === 'month');
  const byCurrency = new Map<string, number>();
  for (const p of monthly) byCurrency.set(p.currency, (byCurrency.get(p.currency) ?? 0) + 1);
  const [main, other] = [...byCurrency.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const inCurrency = (currency: string | undefined, interval: string) =>
    prices.filter((p) => p.currency === currency && p.interval === interval).sort(cheapestFirst);
  return {
    monthly: inCurrency(main?.[0], 'month'),
    yearly: inCurrency(main?.[0], 'year'),
    other: inCurrency(other?.[0], 'month'),
  };
}

export const shapeOf = (prices: DemoPrices): CatalogShape => ({
  tiers: prices.monthly.length,
  yearly: prices.yearly.length,
  otherCurrency: prices.other.length,
});

export function priceOf(prices: DemoPrices, choice: PriceChoice): PriceView {
  return prices[choice.kind][choice.tier]!;
}

/**
 * The catalog the demo sells: the active one if it has a monthly price, else the demo plans, made
 * through the plan service as the admin API makes them (Stripe first, then Recur's tables).
 */
export async function ensureCatalog(
  plans: PlanService,
  idempotencyKey: string,
): Promise<{ prices: DemoPrices; created: boolean }> {
  const existing = pricesOf(await plans.list('active'));
  if (existing.monthly.length > 0) return { prices: existing, created: false };
  for (const plan of DEMO_PLANS) {
    await plans.create(plan, { idempotencyKey: `${idempotencyKey}:${plan.key}` });
  }
  return { prices: pricesOf(await plans.list('active')), created: true };
}
