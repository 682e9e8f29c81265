/**
 * The collections of the catalog and customer resources, named after the Stripe object each holds
 * (expansion by reference relies on it), plus the side collections for what Stripe keeps but does
 * not show on the object.
 */
import type Stripe from 'stripe';
import type { Collection, Store } from '../core/store.js';
import type { Wire } from '../core/wire.js';

export type StoredPrice = Wire<Stripe.Price>;
export type PriceTier = Wire<Stripe.Price.Tier>;

/** Tiers are shown only through `expand[]=tiers`, so they live beside the price. */
export interface PriceTiers {
  id: string;
  tiers: PriceTier[];
}

/** Which test card a payment method was made from: decides what attaching and charging it does. */
export interface PaymentMethodCard {
  id: string;
  testCard: string;
  /** Set once detached (or used once without a customer): Stripe refuses to reuse it. */
  consumed: boolean;
  /** The customer completed 3D Secure when the card was set up (see TestCard.exemptOnceSetUp). */
  setUp?: boolean;
  /** The customer has just completed 3D Secure on a hosted page: the next charge is authenticated. */
  authenticated?: boolean;
}

export const productsOf = (store: Store): Collection<Stripe.Product> => store.collection('product');
export const pricesOf = (store: Store): Collection<StoredPrice> => store.collection('price');
export const priceTiersOf = (store: Store): Collection<PriceTiers> => store.collection('price_tiers');
export const customersOf = (store: Store): Collection<Stripe.Customer> => store.collection('customer');
export const deletedCustomersOf = (store: Store): Collection<Stripe.DeletedCustomer> =>
  store.collection('deleted_customer');
export const paymentMethodsOf = (store: Store): Collection<Stripe.PaymentMethod> =>
  store.collection('payment_method');
export const paymentMethodCardsOf = (store: Store): Collection<PaymentMethodCard> =>
  store.collection('payment_method_card');
export const setupIntentsOf = (store: Store): Collection<Stripe.SetupIntent> =>
  store.collection('setup_intent');
export const couponsOf = (store: Store): Collection<Stripe.Coupon> => store.collection('coupon');
export const promotionCodesOf = (store: Store): Collection<Stripe.PromotionCode> =>
  store.collection('promotion_code');
export const customerBalanceTransactionsOf = (store: Store): Collection<Stripe.CustomerBalanceTransaction> =>
  store.collection('customer_balance_transaction');
