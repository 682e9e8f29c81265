// Tiered amounts as https://docs.stripe.com/products-prices/pricing-models#tiered-pricing works
// them: volume prices every unit at the tier the quantity reaches, graduated each unit at its own.
import { describe, expect, it } from 'vitest';
import type { PriceTier } from '../collections.js';
import { tieredAmount } from './price-amount.js';

const tier = (up_to: number | null, unit: number, flat = 0): PriceTier => ({
  up_to,
  unit_amount: unit,
  unit_amount_decimal: String(unit),
  flat_amount: flat,
  flat_amount_decimal: String(flat),
});
const tiers = [tier(5, 1000, 500), tier(10, 800), tier(null, 500, 100)];

describe('tiered amounts', () => {
  it('graduated: each unit at the tier it falls in, plus each reached tier’s flat amount', () => {
    expect(tieredAmount('graduated', tiers, 0)).toBe(0);
    expect(tieredAmount('graduated', tiers, 3)).toBe(3500);
    expect(tieredAmount('graduated', tiers, 7)).toBe(500 + 5000 + 1600);
    expect(tieredAmount('graduated', tiers, 12)).toBe(500 + 5000 + 4000 + 100 + 1000);
  });

  it('volume: every unit at the tier the whole quantity falls in', () => {
    expect(tieredAmount('volume', tiers, 5)).toBe(5500);
    expect(tieredAmount('volume', tiers, 7)).toBe(5600);
    expect(tieredAmount('volume', tiers, 12)).toBe(6100);
  });
});
