/**
 * The collections of Checkout, named after the Stripe objects they hold
 * (expansion by reference relies on it), plus side records for what Stripe keeps but does not show.
 */
import type Stripe from 'stripe';
import type { Collection, Store } from '../core/store.js';

/** A session's line items: shown only through `/line_items` or `expand[]=line_items`. */
export interface SessionLineItems {
  id: string;
  items: Stripe.LineItem[];
}

export type SubscriptionData = Stripe.Checkout.SessionCreateParams.SubscriptionData;

/** A subscription-mode session's `subscription_data`, used when the customer subscribes. */
export interface SessionSubscriptionData {
  id: string;
  data: SubscriptionData;
}

export const checkoutSessionsOf = (store: Store): Collection<Stripe.Checkout.Session> =>
  store.collection('checkout.session');
export const sessionLineItemsOf = (store: Store): Collection<SessionLineItems> =>
  store.collection('checkout.session_line_items');
export const sessionSubscriptionDataOf = (store: Store): Collection<SessionSubscriptionData> =>
  store.collection('checkout.session_subscription_data');
