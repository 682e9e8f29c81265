// Stripe sends decimal fields (unit_amount_decimal, quantity_decimal) as strings on the wire; the
// SDK's types brand them as `Stripe.Decimal`. Objects here are what goes on the wire.

import type Stripe from 'stripe';

export function wireDecimal(value: number | string): Stripe.Decimal {
  const text = typeof value === 'number' ? decimalText(value) : value;
  return text as unknown as Stripe.Decimal;
}

/** Up to twelve decimals, trailing zeros trimmed, as Stripe prints prorated unit amounts. */
function decimalText(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
}
