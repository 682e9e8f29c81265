import type Stripe from 'stripe';
import { PLAN_ID_METADATA } from './catalog.js';
import { callStripe } from './errors.js';

export interface NewStripeSubscription {
  customerId: string;
  stripePriceId: string;
  planId: string;
  quantity: number;
  /** The plan's metered (overage) prices: items without a quantity, billed by their meters. */
  meteredPriceIds: string[];
  trialDays: number;
  /** Stripe Tax calculates the tax on the subscription's invoices. */
  tax: boolean;
  /** More metadata for the subscription (its seat mode). */
  metadata?: Record<string, string>;
}

/** On an add-on: the base subscription whose end Recur set it to end with. */
export const ENDS_WITH_METADATA = 'recur_ends_with';

/** The Stripe half of subscriptions Recur creates, and of payments reported to it from elsewhere. */
export class StripeSubscriptionWrites {
  constructor(private readonly stripe: Stripe) {}

  /**
   * `default_incomplete`: Stripe makes the subscription and its first invoice without charging, so
   * the subscription waits as `incomplete` until that invoice is paid (by the customer or a webhook).
   */
  create(spec: NewStripeSubscription, idempotencyKey: string): Promise<Stripe.Subscription> {
    return callStripe(() =>
      this.stripe.subscriptions.create(
        {
          customer: spec.customerId,
          items: [
            { price: spec.stripePriceId, quantity: spec.quantity },
            ...spec.meteredPriceIds.map((price) => ({ price })),
          ],
          payment_behavior: 'default_incomplete',
          ...(spec.tax && { automatic_tax: { enabled: true } }),
          ...(spec.trialDays > 0 ? { trial_period_days: spec.trialDays } : {}),
          metadata: { ...spec.metadata, [PLAN_ID_METADATA]: spec.planId },
        },
        { idempotencyKey },
      ),
    );
  }

  /**
   * An add-on whose base subscription ended: at once, without proration or a final invoice, as the
   * base's own end gives nothing back either.
   */
  endWithBase(subscriptionId: string, baseId: string, idempotencyKey: string): Promise<Stripe.Subscription> {
    return callStripe(() =>
      this.stripe.subscriptions.cancel(
        subscriptionId,
        {
          prorate: false,
          invoice_now: false,
          cancellation_details: { comment: `base subscription ${baseId} ended` },
        },
        { idempotencyKey },
      ),
    );
  }

  /**
   * An add-on set to end when its base is (`cancelAt`), or no longer (null), without proration. The
   * metadata names the base it follows, so that only an end Recur set is undone.
   */
  followBase(
    subscriptionId: string,
    follow: { baseId: string; cancelAt: number } | null,
    idempotencyKey: string,
  ): Promise<Stripe.Subscription> {
    return callStripe(() =>
      this.stripe.subscriptions.update(
        subscriptionId,
        {
          cancel_at: follow?.cancelAt ?? '',
          proration_behavior: 'none',
          metadata: { [ENDS_WITH_METADATA]: follow?.baseId ?? '' },
        },
        { idempotencyKey },
      ),
    );
  }

  /** Records that the invoice was paid outside Stripe; Stripe then settles the subscription. */
  payInvoiceOutOfBand(invoiceId: string, idempotencyKey: string): Promise<Stripe.Invoice> {
    return callStripe(() =>
      this.stripe.invoices.pay(invoiceId, { paid_out_of_band: true }, { idempotencyKey }),
    );
  }
}
