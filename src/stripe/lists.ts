import type Stripe from 'stripe';
import { AppError } from '../http/errors.js';
import { callStripe } from './errors.js';

/** What each Stripe list a sync reads holds. */
export interface ListedObjects {
  products: Stripe.Product;
  prices: Stripe.Price;
  customers: Stripe.Customer;
  subscriptions: Stripe.Subscription;
  invoices: Stripe.Invoice;
  payment_intents: Stripe.PaymentIntent;
  charges: Stripe.Charge;
  refunds: Stripe.Refund;
}

export type ListedObject = keyof ListedObjects;

export interface ListPage<T> {
  data: T[];
  hasMore: boolean;
  /**
   * A time the listed state is at least as fresh as, on Stripe's clock, in whole seconds. Stripe read
   * the data somewhere between receiving the request and answering, so its `Date` header less the
   * round trip is a safe lower bound.
   */
  asOf: Date;
}

export interface PageQuery {
  startingAfter?: string | undefined;
  /** Unix seconds: only objects created at or after this time. */
  createdGte?: number | undefined;
}

const LIMIT = 100;

/** Retries belong to the sync, which paces and backs off; the SDK's own would multiply them. */
const NO_SDK_RETRIES = { maxNetworkRetries: 0 } as const;

type Lister<K extends ListedObject> = (
  stripe: Stripe,
  base: { limit: number; starting_after?: string; created?: { gte: number } },
) => Promise<Stripe.Response<Stripe.ApiList<ListedObjects[K]>>>;

const LISTS: { [K in ListedObject]: Lister<K> } = {
  products: (s, base) => s.products.list(base, NO_SDK_RETRIES),
  // Tiers are only sent when asked for; the catalog needs them for tiered plans.
  prices: (s, base) => s.prices.list({ ...base, expand: ['data.tiers'] }, NO_SDK_RETRIES),
  customers: (s, base) => s.customers.list(base, NO_SDK_RETRIES),
  // Without `status: all` Stripe leaves canceled subscriptions out.
  subscriptions: (s, base) => s.subscriptions.list({ ...base, status: 'all' }, NO_SDK_RETRIES),
  invoices: (s, base) => s.invoices.list(base, NO_SDK_RETRIES),
  payment_intents: (s, base) => s.paymentIntents.list(base, NO_SDK_RETRIES),
  charges: (s, base) => s.charges.list(base, NO_SDK_RETRIES),
  refunds: (s, base) => s.refunds.list(base, NO_SDK_RETRIES),
};

/**
 * Stripe's lists, one page per call, for the backfill and the reconcile check. Errors arrive
 * translated (`callStripe`): 503 when Stripe is unavailable or rate limiting, 502 when it refused.
 */
export class StripeLists {
  constructor(private readonly stripe: Stripe) {}

  page<K extends ListedObject>(object: K, query: PageQuery): Promise<ListPage<ListedObjects[K]>> {
    const base = {
      limit: LIMIT,
      ...(query.startingAfter ? { starting_after: query.startingAfter } : {}),
      ...(query.createdGte !== undefined ? { created: { gte: query.createdGte } } : {}),
    };
    const list: Lister<K> = LISTS[object];
    return timedPage(() => list(this.stripe, base));
  }

  /** Stripe lists payment methods per customer; there is no account-wide list of attached ones. */
  customerPaymentMethods(
    customerId: string,
    startingAfter?: string,
  ): Promise<ListPage<Stripe.PaymentMethod>> {
    return timedPage(() =>
      this.stripe.customers.listPaymentMethods(
        customerId,
        { limit: LIMIT, ...(startingAfter ? { starting_after: startingAfter } : {}) },
        NO_SDK_RETRIES,
      ),
    );
  }

  /** The rest of a subscription's items when the embedded list was cut short. */
  subscriptionItems(
    subscriptionId: string,
    startingAfter?: string,
  ): Promise<ListPage<Stripe.SubscriptionItem>> {
    return timedPage(() =>
      this.stripe.subscriptionItems.list(
        {
          subscription: subscriptionId,
          limit: LIMIT,
          ...(startingAfter ? { starting_after: startingAfter } : {}),
        },
        NO_SDK_RETRIES,
      ),
    );
  }

  /**
   * One customer as Stripe has it now: null once it is deleted (Stripe keeps answering for a deleted
   * customer, marked so) or unknown to Stripe (its test data cleared, say).
   */
  async customer(id: string): Promise<{ customer: Stripe.Customer | null; asOf: Date }> {
    const sentAt = Date.now();
    try {
      const { result, asOf } = await timed(() => this.stripe.customers.retrieve(id, {}, NO_SDK_RETRIES));
      return { customer: result.deleted ? null : result, asOf };
    } catch (error) {
      // No later state of an object Stripe does not know can arrive: any stamp orders it.
      if (isResourceMissing(error))
        return { customer: null, asOf: new Date(Math.floor(sentAt / 1000) * 1000) };
      throw error;
    }
  }

  /** One payment method as a page of one (empty when Stripe no longer has it). */
  async paymentMethod(id: string): Promise<ListPage<Stripe.PaymentMethod>> {
    try {
      const { result, asOf } = await timed(() => this.stripe.paymentMethods.retrieve(id, {}, NO_SDK_RETRIES));
      return { data: [result], hasMore: false, asOf };
    } catch (error) {
      if (isResourceMissing(error)) return { data: [], hasMore: false, asOf: new Date(0) };
      throw error;
    }
  }
}

async function timedPage<T>(call: () => Promise<Stripe.Response<Stripe.ApiList<T>>>): Promise<ListPage<T>> {
  const { result, asOf } = await timed(call);
  return { data: result.data, hasMore: result.has_more, asOf };
}

async function timed<T>(
  call: () => Promise<Stripe.Response<T>>,
): Promise<{ result: Stripe.Response<T>; asOf: Date }> {
  const sentAt = Date.now();
  const result = await callStripe(call);
  const roundTrip = Date.now() - sentAt;
  const header = Date.parse(result.lastResponse?.headers?.date ?? '');
  const answeredAt = Number.isNaN(header) ? Date.now() : header;
  return { result, asOf: new Date(Math.floor((answeredAt - roundTrip) / 1000) * 1000) };
}

function stripeDetails(error: unknown): { code?: string; param?: string } | undefined {
  if (!(error instanceof AppError)) return undefined;
  return (error.details as { stripe?: { code?: string; param?: string } } | undefined)?.stripe;
}

/** Stripe said the object named in the request does not exist. */
export function isResourceMissing(error: unknown): boolean {
  return stripeDetails(error)?.code === 'resource_missing';
}

/** The `starting_after` object of a resumed listing is gone (deleted since the cursor was saved). */
export function isMissingCursor(error: unknown): boolean {
  const stripe = stripeDetails(error);
  return stripe?.code === 'resource_missing' && stripe.param === 'starting_after';
}

/** Worth asking again: Stripe was unreachable, failing (5xx) or rate limiting (429). */
export function isRetryableStripeError(error: unknown): boolean {
  return error instanceof AppError && error.status === 503;
}
