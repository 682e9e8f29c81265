/**
 * The collections of Checkout and the billing portal, named after the Stripe objects they hold
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

/**
 * What a session asked of Stripe Tax that the session object does not show: `customer_update`
 * (whether the address and name entered on the page are saved to an existing customer).
 */
export interface SessionCustomerUpdate {
  id: string;
  update: Stripe.Checkout.SessionCreateParams.CustomerUpdate;
}

/** Per portal configuration, the products whose prices a subscription may switch between. */
export interface PortalProducts {
  id: string;
  products: NonNullable<Stripe.BillingPortal.Configuration['features']['subscription_update']['products']>;
}

/** Whether a portal session's flow (`flow_data`) has been carried out. */
export interface PortalFlowState {
  id: string;
  completed: boolean;
}

export const checkoutSessionsOf = (store: Store): Collection<Stripe.Checkout.Session> =>
  store.collection('checkout.session');
export const sessionLineItemsOf = (store: Store): Collection<SessionLineItems> =>
  store.collection('checkout.session_line_items');
export const sessionSubscriptionDataOf = (store: Store): Collection<SessionSubscriptionData> =>
  store.collection('checkout.session_subscription_data');
export const sessionCustomerUpdatesOf = (store: Store): Collection<SessionCustomerUpdate> =>
  store.collection('checkout.session_customer_update');
export const portalConfigurationsOf = (store: Store): Collection<Stripe.BillingPortal.Configuration> =>
  store.collection('billing_portal.configuration');
export const portalProductsOf = (store: Store): Collection<PortalProducts> =>
  store.collection('billing_portal.configuration_products');
export const portalSessionsOf = (store: Store): Collection<Stripe.BillingPortal.Session> =>
  store.collection('billing_portal.session');
export const portalFlowStatesOf = (store: Store): Collection<PortalFlowState> =>
  store.collection('billing_portal.session_flow');
