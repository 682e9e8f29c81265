import Stripe from 'stripe';
import { atStripeTime } from './clock.js';
import { callStripe } from './errors.js';

/** The object families Recur mirrors, by Stripe's `object` name, with the SDK's type of each. */
export interface MirroredObjects {
  customer: Stripe.Customer | Stripe.DeletedCustomer;
  subscription: Stripe.Subscription;
  invoice: Stripe.Invoice;
  payment_intent: Stripe.PaymentIntent;
  charge: Stripe.Charge;
  refund: Stripe.Refund;
  payment_method: Stripe.PaymentMethod;
  'checkout.session': Stripe.Checkout.Session;
  product: Stripe.Product;
  price: Stripe.Price;
  dispute: Stripe.Dispute;
  'radar.early_fraud_warning': Stripe.Radar.EarlyFraudWarning;
}

export type MirroredObject = keyof MirroredObjects;

export interface Fetched<T> {
  object: T;
  /**
   * Stripe's clock when it answered, for this object: the `Date` header, or the frozen time of the
   * test clock it lives on (its own or its customer's). The state is at least this fresh.
   */
  fetchedAt: Date;
}

const FETCH: { [K in MirroredObject]: (stripe: Stripe, id: string) => Promise<MirroredObjects[K]> } = {
  customer: (s, id) => s.customers.retrieve(id),
  subscription: (s, id) => s.subscriptions.retrieve(id),
  invoice: (s, id) => s.invoices.retrieve(id),
  payment_intent: (s, id) => s.paymentIntents.retrieve(id),
  charge: (s, id) => s.charges.retrieve(id),
  refund: (s, id) => s.refunds.retrieve(id),
  payment_method: (s, id) => s.paymentMethods.retrieve(id),
  'checkout.session': (s, id) => s.checkout.sessions.retrieve(id),
  product: (s, id) => s.products.retrieve(id),
  price: (s, id) => s.prices.retrieve(id, { expand: ['tiers'] }),
  dispute: (s, id) => s.disputes.retrieve(id),
  'radar.early_fraud_warning': (s, id) => s.radar.earlyFraudWarnings.retrieve(id),
};

/**
 * Reads the current state of one object from Stripe: used when an event's snapshot may be stale
 * (a same-second tie) and by the reconcile check. Null when Stripe no longer has it.
 */
export class StripeObjects {
  constructor(private readonly stripe: Stripe) {}

  /** See `invoicePaymentStatus`. */
  invoicePaymentStatus(invoiceId: string): Promise<Stripe.PaymentIntent.Status | null> {
    return invoicePaymentStatus(this.stripe, invoiceId);
  }

  async retrieve<K extends MirroredObject>(
    object: K,
    id: string,
  ): Promise<Fetched<MirroredObjects[K]> | null> {
    const fetch: (stripe: Stripe, id: string) => Promise<MirroredObjects[K]> = FETCH[object];
    try {
      const read = () => callStripeRaw(() => fetch(this.stripe, id));
      const fetched = await atStripeTime(this.stripe, await read(), read);
      return { object: fetched.object, fetchedAt: fetched.at };
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) return null;
      throw error;
    }
  }
}

/**
 * The status of an invoice's payment intent (the default one among its payments), null when it has
 * none. Stripe sends `invoice.payment_failed` for an attempt that waits for the customer's
 * authentication too (`requires_action`), and the invoice object alone does not tell the two apart.
 */
export async function invoicePaymentStatus(
  stripe: Stripe,
  invoiceId: string,
): Promise<Stripe.PaymentIntent.Status | null> {
  const payments = await callStripe(() => stripe.invoicePayments.list({ invoice: invoiceId, limit: 10 }));
  const payment = payments.data.find((p) => p.is_default) ?? payments.data[0];
  const intent = payment?.payment.payment_intent;
  if (!intent) return null;
  if (typeof intent !== 'string') return intent.status;
  return (await callStripe(() => stripe.paymentIntents.retrieve(intent))).status;
}

/** 404s pass through untranslated so `retrieve` can tell "gone" from "unreachable". */
async function callStripeRaw<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) throw error;
    return callStripe(() => Promise.reject(error));
  }
}
