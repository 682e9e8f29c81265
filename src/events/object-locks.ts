import { idOf } from '../stripe/mapping.js';
import type { HandledEvent } from './handlers/context.js';

/**
 * The Stripe objects whose advisory locks applying `event` takes, besides the one it is about:
 * an invoice's subscription (its plan files the invoice in the revenue rollup), a price's product
 * (the catalog brings the product in first), a subscription's customer (whose user's entitlements
 * it announces), an invoice payment's invoice (written from a fresh
 * read), a dispute's or fraud warning's charge (both may refund it or cancel what it paid). The worker takes all of a batch's locks at once, in one global order, before applying
 * anything, so that a handler's lock is already held when it asks for it and two batches never
 * hold what each other waits for.
 */
export function objectsLockedWith(event: HandledEvent): string[] {
  // A malformed payload locks nothing more here: its handler is where it fails.
  const object = event.data?.object;
  if (typeof object !== 'object' || object === null || !('object' in object)) return [];
  switch (object.object) {
    case 'invoice': {
      const subscription = idOf(object.parent?.subscription_details?.subscription);
      return subscription ? [subscription] : [];
    }
    case 'price': {
      const product = idOf(object.product);
      return product ? [product] : [];
    }
    case 'subscription': {
      // Its owner: a user's entitlements are read and announced by one transaction at a time.
      const customer = 'customer' in object ? idOf(object.customer) : null;
      return customer ? [customer] : [];
    }
    case 'dispute':
    case 'radar.early_fraud_warning': {
      const charge = idOf(object.charge);
      return charge ? [charge] : [];
    }
    case 'invoice_payment': {
      const invoice = idOf(object.invoice);
      return invoice ? [invoice] : [];
    }
    default:
      return [];
  }
}
