// Prices as subscriptions use them.

import type Stripe from 'stripe';
import { invalidRequest } from '../../core/errors.js';
import { priceAmount } from '../../resources/prices/price-amount.js';
import type { ProratedSide } from '../domain/proration.js';
import type { Billing } from './context.js';

/**
 * A price a subscription item can bill: recurring, per unit, and active. An archived price stays
 * usable where it is already billed (`kept`: a schedule's phases copied from its subscription or
 * already holding it), as archiving leaves existing subscriptions on it
 * (https://docs.stripe.com/products-prices/manage-prices#archive-price).
 */
export function recurringPrice(
  billing: Billing,
  id: string,
  param: string,
  kept: string[] = [],
): Stripe.Price {
  const price = billing.catalog.price(id, param);
  if (!price.recurring) {
    throw invalidRequest(
      `The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`,
      { param },
    );
  }
  if (!price.active && !kept.includes(price.id)) {
    throw invalidRequest(`The price specified is inactive. This field only accepts active prices.`, {
      param,
    });
  }
  return price;
}

/** A price billed on the usage its meter records, in arrears (`recurring.usage_type=metered`). */
export function isMetered(price: { recurring: { usage_type: string } | null }): boolean {
  return price.recurring?.usage_type === 'metered';
}

/**
 * The quantity of a subscription item: none for a metered price, which refuses one ("You can only
 * specify a quantity when creating a subscription with a `recurring[usage_type]` of `licensed`",
 * https://docs.stripe.com/billing/subscriptions/quantities), else the one given or 1.
 */
export function itemQuantity(
  price: Stripe.Price,
  quantity: number | undefined,
  param: string,
): number | undefined {
  if (!isMetered(price)) return quantity ?? 1;
  if (quantity !== undefined) {
    throw invalidRequest('You cannot set the quantity for metered plans.', { param });
  }
  return undefined;
}

/**
 * What a full period of `quantity` units costs, as the side of a proration: per unit, with a
 * decimal unit amount, or through the tiers of a tiered price (the whole quantity's tiered amount
 * is prorated, as Stripe prorates the item's period amount).
 */
export function prorationSide(billing: Billing, price: Stripe.Price, quantity: number): ProratedSide {
  return { unitAmount: priceAmount(billing.store, price, quantity), quantity: 1 };
}

export function productName(billing: Billing, price: Stripe.Price): string {
  const productId = typeof price.product === 'string' ? price.product : price.product.id;
  return billing.catalog.product(productId).name;
}
