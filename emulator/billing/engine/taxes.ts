// Stripe Tax on subscriptions and their invoices: who may turn `automatic_tax` on, and the tax an
// invoice carries, from the emulator's test rate table (resources/tax/test-rates.ts).

import type Stripe from 'stripe';
import { invalidRequest } from '../../core/errors.js';
import { pricesOf } from '../../resources/collections.js';
import {
  assertTaxActive,
  assertTaxBehavior,
  type TaxedPrice,
  taxBehaviorOf,
  taxCountry,
  taxSettings,
} from '../../resources/tax/tax-settings.js';
import { invoiceTax, type TaxPart, taxOn } from '../../resources/tax/test-rates.js';
import type { Billing } from './context.js';

/**
 * The `automatic_tax` a subscription gets from a create or update request, refused as Stripe
 * refuses it: Stripe Tax inactive (`stripe_tax_inactive`), a price with no tax behaviour, or a
 * customer whose location is unknown (`customer_tax_location_invalid`,
 * https://docs.stripe.com/tax/customer-locations). `undefined` when the request does not say.
 */
export function checkedAutomaticTax(
  billing: Billing,
  requested: { enabled: boolean } | undefined,
  customer: Stripe.Customer,
  prices: TaxedPrice[],
): Stripe.Subscription.AutomaticTax | undefined {
  if (requested === undefined) return undefined;
  if (!requested.enabled) return { disabled_reason: null, enabled: false, liability: null };
  assertTaxActive(billing.store, 'automatic_tax[enabled]');
  for (const [i, price] of prices.entries()) assertTaxBehavior(billing.store, price, `items[${i}][price]`);
  if (!taxCountry(customer)) {
    throw invalidRequest(
      "The customer's location isn't recognized. Add a valid address to the customer to calculate tax automatically.",
      { param: 'customer', code: 'customer_tax_location_invalid' },
    );
  }
  return { disabled_reason: null, enabled: true, liability: { type: 'self' } };
}

export interface InvoiceTaxes {
  exclusive: number;
  inclusive: number;
}

/**
 * Puts the tax on an invoice whose `automatic_tax` is enabled, line by line on what each line
 * charges after its discounts, and sets its `automatic_tax.status` as Stripe does: `complete`,
 * `requires_location_inputs` when the customer has no location, `failed` when Stripe Tax is no
 * longer active. Answers the exclusive tax (added to the total) and the inclusive tax (inside it).
 */
export function applyInvoiceTax(billing: Billing, invoice: Stripe.Invoice, customerId: string): InvoiceTaxes {
  const none = { exclusive: 0, inclusive: 0 };
  for (const line of invoice.lines.data) line.taxes = [];
  invoice.total_taxes = [];
  if (!invoice.automatic_tax.enabled) return none;
  const status = (value: Stripe.Invoice.AutomaticTax.Status) => {
    invoice.automatic_tax = {
      ...invoice.automatic_tax,
      status: value,
      provider: 'stripe',
      liability: { type: 'self' },
    };
  };
  if (taxSettings(billing.store).status !== 'active') {
    status('failed');
    return none;
  }
  const customer = billing.catalog.customers.get(customerId);
  const country = customer ? taxCountry(customer) : null;
  if (!country) {
    status('requires_location_inputs');
    return none;
  }
  const parts: TaxPart[] = [];
  for (const line of invoice.lines.data) {
    const priceId = line.pricing?.price_details?.price;
    const price = typeof priceId === 'string' ? pricesOf(billing.store).get(priceId) : undefined;
    const behavior = (price && taxBehaviorOf(billing.store, price)) ?? 'exclusive';
    const discounted = line.amount - (line.discount_amounts ?? []).reduce((sum, d) => sum + d.amount, 0);
    const part = taxOn(discounted, behavior, country);
    line.taxes = [invoiceTax(part)];
    parts.push(part);
  }
  invoice.total_taxes = totalTaxes(parts);
  status('complete');
  return {
    exclusive: parts.filter((p) => p.behavior === 'exclusive').reduce((sum, p) => sum + p.amount, 0),
    inclusive: parts.filter((p) => p.behavior === 'inclusive').reduce((sum, p) => sum + p.amount, 0),
  };
}

/** The lines' taxes summed per rate and behaviour, as `total_taxes` lists them. */
function totalTaxes(parts: TaxPart[]): Stripe.Invoice.TotalTax[] {
  const totals = new Map<string, Stripe.Invoice.TotalTax>();
  for (const part of parts) {
    const entry = invoiceTax(part);
    const key = `${entry.tax_rate_details?.tax_rate ?? ''}|${entry.tax_behavior}|${entry.taxability_reason}`;
    const held = totals.get(key);
    if (held) {
      held.amount += entry.amount;
      held.taxable_amount = (held.taxable_amount ?? 0) + (entry.taxable_amount ?? 0);
    } else totals.set(key, entry);
  }
  return [...totals.values()];
}
