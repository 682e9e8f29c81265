import type Stripe from 'stripe';
import { ConflictError } from '../http/errors.js';
import { isMetered, licensedItem } from '../stripe/mapping.js';
import type { StripeSubscriptions } from '../stripe/subscriptions.js';
import { REACTIVATED_FROM_METADATA } from './repository.js';
import { automaticTax } from './write-outcomes.js';

/**
 * The subscription that replaces an ended one: the same price and quantity (and its metered
 * items), charged at once to the subscription's card, else the customer's default one (409 when
 * there is none), and marked with the subscription it reactivates.
 */
export async function replacementOf(
  sub: Stripe.Subscription,
  stripe: Pick<StripeSubscriptions, 'defaultPaymentMethod'>,
  taxEnabled: (() => Promise<boolean>) | undefined,
): Promise<Stripe.SubscriptionCreateParams> {
  const item = licensedItem(sub);
  const customer = typeof sub.customer === 'string' ? sub.customer : sub.customer.id;
  const paymentMethod =
    (typeof sub.default_payment_method === 'string'
      ? sub.default_payment_method
      : sub.default_payment_method?.id) ?? (await stripe.defaultPaymentMethod(customer));
  if (!paymentMethod) {
    throw new ConflictError(
      'payment_method_required',
      'The customer has no default payment method to charge; add one first',
    );
  }
  return {
    customer,
    items: [
      { price: item.price.id, quantity: item.quantity ?? 1 },
      ...sub.items.data.filter(isMetered).map((m) => ({ price: m.price.id })),
    ],
    default_payment_method: paymentMethod,
    payment_behavior: 'error_if_incomplete',
    metadata: { [REACTIVATED_FROM_METADATA]: sub.id },
    ...(await automaticTax(taxEnabled)),
  };
}
