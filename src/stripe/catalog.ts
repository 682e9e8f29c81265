import type Stripe from 'stripe';
import type { Benefit, PriceTier } from '../db/schema/plans.js';
import { callStripe } from './errors.js';
import { StripeMeters } from './meters.js';

/** Metadata that ties Stripe objects to Recur's plans; also how a sync recognises them. */
export const PLAN_ID_METADATA = 'recur_plan_id';
export const PLAN_KEY_METADATA = 'recur_plan_key';
/** Set on products of hard-deleted plans: Stripe keeps products that have prices, so they stay, archived. */
export const DELETED_METADATA = 'recur_deleted';

export interface ProductSpec {
  planId: string;
  key: string;
  name: string;
  description: string | null;
  benefits: Benefit[];
}

export interface PriceSpec {
  planId: string;
  productId: string;
  currency: string;
  unitAmount: number | null;
  tiersMode: 'graduated' | 'volume' | null;
  tiers: PriceTier[] | null;
  /** Null: a one-time price (no `recurring`), sold by Checkout in payment mode. */
  interval: 'day' | 'week' | 'month' | 'year' | null;
  intervalCount: number;
  lookupKey: string | null;
  /** Move the lookup key from the price that has it (an amount edit). */
  transferLookupKey?: boolean;
}

/** How a benefit reads on Stripe's pricing table and Checkout (marketing features, 80 chars max). */
export function benefitLabel(benefit: Benefit): string {
  const name = benefit.key.replace(/[-_]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
  const label =
    benefit.value === true
      ? name
      : benefit.value === false
        ? `No ${name.toLowerCase()}`
        : `${name}: ${benefit.value}`;
  return label.slice(0, 80);
}

/** Stripe allows 15 marketing features per product; the full list stays in Recur. */
function marketingFeatures(benefits: Benefit[]): Stripe.ProductCreateParams.MarketingFeature[] {
  return benefits
    .filter((b) => b.value !== false)
    .slice(0, 15)
    .map((b) => ({ name: benefitLabel(b) }));
}

/** A price's amount as Stripe takes it: per unit, or tiered (graduated or volume). */
export function priceAmount(
  spec: Pick<PriceSpec, 'unitAmount' | 'tiersMode' | 'tiers'>,
): Partial<Stripe.PriceCreateParams> {
  return spec.tiers && spec.tiersMode
    ? {
        billing_scheme: 'tiered',
        tiers_mode: spec.tiersMode,
        tiers: spec.tiers.map((t) => ({
          up_to: t.upTo ?? 'inf',
          ...(t.unitAmount !== null ? { unit_amount: t.unitAmount } : {}),
          ...(t.flatAmount !== null ? { flat_amount: t.flatAmount } : {}),
        })),
      }
    : { unit_amount: spec.unitAmount ?? 0 };
}

/** The Stripe half of the plan catalog: products and prices. */
export class StripeCatalog {
  /** Meters and the metered prices of overage, beside the licensed prices. */
  readonly meters: StripeMeters;

  constructor(private readonly stripe: Stripe) {
    this.meters = new StripeMeters(stripe);
  }

  createProduct(spec: ProductSpec, idempotencyKey: string): Promise<Stripe.Product> {
    return callStripe(() =>
      this.stripe.products.create(
        {
          name: spec.name,
          ...(spec.description ? { description: spec.description } : {}),
          marketing_features: marketingFeatures(spec.benefits),
          metadata: { [PLAN_ID_METADATA]: spec.planId, [PLAN_KEY_METADATA]: spec.key },
        },
        { idempotencyKey },
      ),
    );
  }

  updateProduct(productId: string, spec: ProductSpec, idempotencyKey: string): Promise<Stripe.Product> {
    return callStripe(() =>
      this.stripe.products.update(
        productId,
        {
          name: spec.name,
          description: spec.description ?? '',
          marketing_features: marketingFeatures(spec.benefits),
          metadata: { [PLAN_ID_METADATA]: spec.planId, [PLAN_KEY_METADATA]: spec.key },
        },
        { idempotencyKey },
      ),
    );
  }

  setProductActive(
    productId: string,
    active: boolean,
    idempotencyKey: string,
    deleted = false,
  ): Promise<Stripe.Product> {
    return callStripe(() =>
      this.stripe.products.update(
        productId,
        { active, ...(deleted ? { metadata: { [DELETED_METADATA]: 'true' } } : {}) },
        { idempotencyKey },
      ),
    );
  }

  createPrice(spec: PriceSpec, idempotencyKey: string): Promise<Stripe.Price> {
    const amount = priceAmount(spec);
    return callStripe(() =>
      this.stripe.prices.create(
        {
          product: spec.productId,
          currency: spec.currency,
          ...(spec.interval
            ? { recurring: { interval: spec.interval, interval_count: spec.intervalCount } }
            : {}),
          ...amount,
          ...(spec.lookupKey ? { lookup_key: spec.lookupKey } : {}),
          ...(spec.transferLookupKey ? { transfer_lookup_key: true } : {}),
          metadata: { [PLAN_ID_METADATA]: spec.planId },
          expand: ['tiers'],
        },
        { idempotencyKey },
      ),
    );
  }

  setPriceActive(priceId: string, active: boolean, idempotencyKey: string): Promise<Stripe.Price> {
    return callStripe(() => this.stripe.prices.update(priceId, { active }, { idempotencyKey }));
  }

  /** Whether any subscription, in any status, ever used one of these prices. */
  async anySubscriptionOn(priceIds: string[]): Promise<boolean> {
    for (const price of priceIds) {
      const page = await callStripe(() => this.stripe.subscriptions.list({ price, status: 'all', limit: 1 }));
      if (page.data.length > 0) return true;
    }
    return false;
  }

  /** Pages through every product (active and archived), `limit` 100 per request. */
  async *allProducts(): AsyncGenerator<Stripe.Product> {
    yield* this.paginate((starting_after) => this.stripe.products.list({ limit: 100, starting_after }));
  }

  async *allPrices(): AsyncGenerator<Stripe.Price> {
    yield* this.paginate((starting_after) =>
      this.stripe.prices.list({ limit: 100, starting_after, expand: ['data.tiers'] }),
    );
  }

  private async *paginate<T extends { id: string }>(
    page: (startingAfter: string | undefined) => Promise<Stripe.ApiList<T>>,
  ): AsyncGenerator<T> {
    let startingAfter: string | undefined;
    for (;;) {
      const result = await callStripe(() => page(startingAfter));
      yield* result.data;
      if (!result.has_more || result.data.length === 0) return;
      startingAfter = result.data.at(-1)!.id;
    }
  }
}
