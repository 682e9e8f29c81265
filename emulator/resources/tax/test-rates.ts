/**
 * THE EMULATOR'S TEST TAX TABLE. These are not real tax rates and must never be used to charge
 * anyone: a handful of countries with round percentages, so that tests can predict every cent.
 * Stripe Tax works out the rate from the customer's location and the merchant's registrations;
 * the emulator reads it from here instead. A country not listed is one "not collecting" tax, as
 * Stripe reports a location where the account has no registration
 * (https://docs.stripe.com/tax/zero-tax: `not_collecting`).
 */
import type Stripe from 'stripe';

export const TEST_TAX_RATES: Readonly<
  Record<string, { percentage: number; display: string; type: Stripe.TaxRate.TaxType }>
> = {
  AU: { percentage: 10, display: 'GST', type: 'gst' },
  DE: { percentage: 19, display: 'VAT', type: 'vat' },
  FR: { percentage: 20, display: 'VAT', type: 'vat' },
  GB: { percentage: 20, display: 'VAT', type: 'vat' },
  NL: { percentage: 21, display: 'VAT', type: 'vat' },
};

/** One tax line as a calculation yields it, for a line of `amount` at the table's rate for `country`. */
export interface TaxPart {
  amount: number;
  taxableAmount: number;
  behavior: 'exclusive' | 'inclusive';
  country: string;
  /** Null for a country the table does not list: no tax is collected there. */
  rate: { percentage: number; display: string; type: Stripe.TaxRate.TaxType } | null;
}

/**
 * The tax on `amount` (after discounts), rounded to the minor unit. Exclusive: added on top.
 * Inclusive: the part of `amount` that is tax (https://docs.stripe.com/tax/products-prices-tax-codes-tax-behavior).
 * A credit (a proration for unused time) carries negative tax, as Stripe's credit lines do.
 */
export function taxOn(amount: number, behavior: 'exclusive' | 'inclusive', country: string): TaxPart {
  const rate = TEST_TAX_RATES[country.toUpperCase()] ?? null;
  const sign = amount < 0 ? -1 : 1;
  const size = Math.abs(amount);
  if (!rate || size === 0) return { amount: 0, taxableAmount: amount, behavior, country, rate };
  const tax =
    behavior === 'exclusive'
      ? Math.round((size * rate.percentage) / 100)
      : size - Math.round((size * 100) / (100 + rate.percentage));
  return {
    amount: sign * tax,
    taxableAmount: sign * (behavior === 'exclusive' ? size : size - tax),
    behavior,
    country,
    rate,
  };
}

/** The id of the tax rate Stripe Tax would show for the table's rate in `country` and behaviour. */
export function testTaxRateId(country: string, behavior: 'exclusive' | 'inclusive'): string {
  return `txr_test_${country.toUpperCase()}_${behavior}`;
}

/** The table's rate as a `tax_rate` object (what Checkout's line item `taxes[].rate` carries). */
export function testTaxRate(part: TaxPart, created: number): Stripe.TaxRate {
  const rate = part.rate!;
  return {
    id: testTaxRateId(part.country, part.behavior),
    object: 'tax_rate',
    active: true,
    country: part.country.toUpperCase(),
    created,
    description: 'Emulator test table: not a real rate',
    display_name: rate.display,
    effective_percentage: rate.percentage,
    flat_amount: null,
    inclusive: part.behavior === 'inclusive',
    jurisdiction: part.country.toUpperCase(),
    jurisdiction_level: 'country',
    livemode: false,
    metadata: {},
    percentage: rate.percentage,
    rate_type: 'percentage',
    state: null,
    tax_type: rate.type,
  };
}

/** An invoice's or line's tax entry (`total_taxes[]`, line `taxes[]`). */
export function invoiceTax(part: TaxPart): Stripe.Invoice.TotalTax {
  return {
    amount: part.amount,
    tax_behavior: part.behavior,
    tax_rate_details: part.rate ? { tax_rate: testTaxRateId(part.country, part.behavior) } : null,
    taxability_reason: part.rate ? 'standard_rated' : 'not_collecting',
    taxable_amount: part.taxableAmount,
    type: 'tax_rate_details',
  };
}
