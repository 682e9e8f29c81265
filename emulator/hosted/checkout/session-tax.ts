/**
 * Stripe Tax in Checkout: the parameters a session may combine, the session fields they set, and
 * the tax on its line items once the customer's country is known (from the customer, or from the
 * address entered on the page). Rates come from the emulator's test table.
 */
import type Stripe from 'stripe';
import { invalidRequest } from '../../core/errors.js';
import type { Store } from '../../core/store.js';
import type { StoredPrice } from '../../resources/collections.js';
import {
  assertTaxActive,
  assertTaxBehavior,
  taxBehaviorOf,
  taxCountry,
  taxSettings,
} from '../../resources/tax/tax-settings.js';
import { type TaxPart, taxOn, testTaxRate } from '../../resources/tax/test-rates.js';

type TaxParams = Pick<
  Stripe.Checkout.SessionCreateParams,
  'automatic_tax' | 'billing_address_collection' | 'tax_id_collection' | 'customer_update'
>;

/** Refuses what Stripe refuses before a session with tax settings exists. */
export function checkSessionTax(
  store: Store,
  params: TaxParams,
  customer: Stripe.Customer | null,
  prices: StoredPrice[],
): void {
  if (params.customer_update && !customer) {
    throw invalidRequest('`customer_update` can only be used with `customer`.', { param: 'customer_update' });
  }
  // https://docs.stripe.com/tax/checkout/tax-ids: an existing customer's name must be updatable.
  if (params.tax_id_collection?.enabled && customer && params.customer_update?.name !== 'auto') {
    throw invalidRequest(
      'tax_id_collection requires updating business name on the customer. To enable tax id collection for an existing customer, please set `customer_update[name]` to `auto`.',
      { param: 'tax_id_collection[enabled]' },
    );
  }
  if (!params.automatic_tax?.enabled) return;
  assertTaxActive(store, 'automatic_tax[enabled]');
  for (const [i, price] of prices.entries()) assertTaxBehavior(store, price, `line_items[${i}][price]`);
  // https://docs.stripe.com/tax/checkout: an existing customer needs an address, or Checkout must
  // be allowed to save the one entered on the page.
  if (customer && !taxCountry(customer) && params.customer_update?.address !== 'auto') {
    throw invalidRequest(
      "Automatic tax calculation in Checkout requires a valid address on the Customer. Add a valid address to the Customer or set `customer_update[address]` to 'auto' to save the address entered in Checkout.",
      { param: 'automatic_tax[enabled]' },
    );
  }
}

/** The session's own fields for what was asked. */
export function sessionTaxFields(
  params: TaxParams,
): Pick<Stripe.Checkout.Session, 'automatic_tax' | 'billing_address_collection' | 'tax_id_collection'> {
  return {
    automatic_tax: params.automatic_tax?.enabled
      ? { enabled: true, liability: { type: 'self' }, provider: 'stripe', status: 'requires_location_inputs' }
      : { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: params.billing_address_collection ?? null,
    ...(params.tax_id_collection && {
      tax_id_collection: {
        enabled: params.tax_id_collection.enabled,
        required: params.tax_id_collection.required ?? 'never',
      },
    }),
  };
}

/** Whether the page must ask for an address: asked for, or needed to work out the tax. */
export function needsAddress(session: Stripe.Checkout.Session, customer: Stripe.Customer | null): boolean {
  return (
    session.billing_address_collection === 'required' ||
    (session.automatic_tax.enabled && !(customer && taxCountry(customer)))
  );
}

/**
 * How each line item is taxed for `country`, and the session's `automatic_tax.status`: null
 * (nothing to tax) when tax is off or the country is not known yet.
 */
export function sessionTaxing(
  store: Store,
  session: Stripe.Checkout.Session,
  country: string | null,
): ((item: Stripe.LineItem, net: number) => TaxPart) | null {
  if (!session.automatic_tax.enabled) return null;
  if (taxSettings(store).status !== 'active') {
    session.automatic_tax = { ...session.automatic_tax, status: 'failed' };
    return null;
  }
  if (!country) {
    session.automatic_tax = { ...session.automatic_tax, status: 'requires_location_inputs' };
    return null;
  }
  session.automatic_tax = { ...session.automatic_tax, status: 'complete' };
  return (item, net) => taxOn(net, (item.price && taxBehaviorOf(store, item.price)) ?? 'exclusive', country);
}

/** A line item's `taxes[]` entry for a part of the test table (none where no tax is collected). */
export function lineItemTaxes(part: TaxPart, created: number): Stripe.LineItem.Tax[] {
  if (!part.rate) return [];
  return [
    {
      amount: part.amount,
      rate: testTaxRate(part, created),
      taxability_reason: 'standard_rated',
      taxable_amount: part.taxableAmount,
    },
  ];
}

/** The tax id type Checkout records for a value entered in `country` (the test table's countries). */
export function taxIdType(country: string | null): Stripe.Checkout.Session.CustomerDetails.TaxId.Type {
  if (country === 'GB') return 'gb_vat';
  if (country === 'AU') return 'au_abn';
  if (country && ['DE', 'FR', 'NL'].includes(country)) return 'eu_vat';
  return 'unknown';
}
