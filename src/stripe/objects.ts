import Stripe from 'stripe';
import { atStripeTime } from './clock.js';
import { callStripe } from './errors.js';

/** The object families Recur mirrors, by Stripe's `object` name. */
export type MirroredObject =
  | 'customer'
  | 'subscription'
  | 'invoice'
  | 'payment_intent'
  | 'charge'
  | 'refund'
  | 'payment_method'
  | 'checkout.session'
  | 'product'
  | 'price';

export interface Fetched {
  object: { id: string };
  /**
   * Stripe's clock when it answered, for this object: the `Date` header, or the frozen time of the
   * test clock it lives on (its own or its customer's). The state is at least this fresh.
   */
  fetchedAt: Date;
}

/**
 * Reads the current state of one object from Stripe: used when an event's snapshot may be stale
 * (a same-second tie) and by the reconcile check. Null when Stripe no longer has it.
 */
export class StripeObjects {
  constructor(private readonly stripe: Stripe) {}

  async retrieve(object: MirroredObject, id: string): Promise<Fetched | null> {
    try {
      const read = () => callStripeRaw(() => this.fetch(object, id));
      const fetched = await atStripeTime(this.stripe, await read(), read);
      return { object: fetched.object, fetchedAt: fetched.at };
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) return null;
      throw error;
    }
  }

  private fetch(object: MirroredObject, id: string): Promise<{ id: string }> {
    const s = this.stripe;
    switch (object) {
      case 'customer':
        return s.customers.retrieve(id);
      case 'subscription':
        return s.subscriptions.retrieve(id);
      case 'invoice':
        return s.invoices.retrieve(id) as Promise<{ id: string }>;
      case 'payment_intent':
        return s.paymentIntents.retrieve(id);
      case 'charge':
        return s.charges.retrieve(id);
      case 'refund':
        return s.refunds.retrieve(id);
      case 'payment_method':
        return s.paymentMethods.retrieve(id);
      case 'checkout.session':
        return s.checkout.sessions.retrieve(id);
      case 'product':
        return s.products.retrieve(id);
      case 'price':
        return s.prices.retrieve(id, { expand: ['tiers'] });
    }
  }
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
