// Prices as subscriptions use them.

import type Stripe from 'stripe';
import { invalidRequest } from '../../core/errors.js';
import type { Billing } from './context.js';

/** A price a subscription item can bill: recurring, per unit, and active. */
export function recurringPrice(billing: Billing, id: string, param: string): Stripe.Price {
  const price = billing.catalog.price(id, param);
  if (!price.recurring) {
    throw invalidRequest(
      `The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`,
      { param },
    );
  }
  if (!price.active) {
    throw invalidRequest(`The price specified is inactive. This field only accepts active prices.`, {
      param,
    });
  }
  return price;
}

export function productName(billing: Billing, price: Stripe.Price): string {
  const productId = typeof price.product === 'string' ? price.product : price.product.id;
  return billing.catalog.product(productId).name;
}
