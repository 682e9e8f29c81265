/**
 * What a quantity of a price costs: unit amount times quantity, or, for a tiered price, through its
 * tiers (https://docs.stripe.com/products-prices/pricing-models#tiered-pricing): `volume` prices
 * every unit at the tier the whole quantity falls in, `graduated` prices each unit at the tier it
 * falls in; each tier reached adds its flat amount. Decimal amounts are summed, then rounded.
 */
import type { Store } from '../../core/store.js';
import type { PriceTier } from '../collections.js';
import { tiersOf } from '../lookups.js';

const tierNumber = (amount: number | null, decimal: string | null): number =>
  decimal !== null ? Number(decimal) : (amount ?? 0);

export function tieredAmount(
  mode: 'graduated' | 'volume',
  tiers: readonly PriceTier[],
  quantity: number,
): number {
  if (quantity <= 0) return 0;
  const unit = (tier: PriceTier) => tierNumber(tier.unit_amount, tier.unit_amount_decimal);
  const flat = (tier: PriceTier) => tierNumber(tier.flat_amount, tier.flat_amount_decimal);
  if (mode === 'volume') {
    const tier = tiers.find((t) => t.up_to === null || quantity <= t.up_to) ?? tiers.at(-1);
    return tier ? Math.round(quantity * unit(tier) + flat(tier)) : 0;
  }
  let total = 0;
  let below = 0;
  for (const tier of tiers) {
    if (quantity <= below) break;
    const top = tier.up_to === null ? quantity : Math.min(quantity, tier.up_to);
    total += (top - below) * unit(tier) + flat(tier);
    below = top;
  }
  return Math.round(total);
}

/** The amount `quantity` units of `price` come to. */
export function priceAmount(
  store: Store,
  price: {
    id: string;
    billing_scheme: string;
    tiers_mode: string | null;
    unit_amount: number | null;
    /** A decimal string on stored prices, the SDK's Decimal on subscription items. */
    unit_amount_decimal: unknown;
  },
  quantity: number,
): number {
  if (price.billing_scheme === 'tiered') {
    const mode = price.tiers_mode === 'volume' ? 'volume' : 'graduated';
    return tieredAmount(mode, tiersOf(store, price.id) ?? [], quantity);
  }
  if (price.unit_amount !== null) return price.unit_amount * quantity;
  return Math.round(Number(String(price.unit_amount_decimal ?? 0)) * quantity);
}
