import type Stripe from 'stripe';
import { PLAN_ID_METADATA } from './catalog.js';
import { callStripe } from './errors.js';

export interface NewStripeSubscription {
  customerId: string;
  stripePriceId: string;
  planId: string;
  quantity: number;
  trialDays: number;
  /** Stripe Tax calculates the tax on the subscription's invoices. */
  tax: boolean;
  /** More metadata for the subscription (its seat mode). */
  metadata?: Record<string, string>;
}

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
          items: [{ price: spec.stripePriceId, quantity: spec.quantity }],
          payment_behavior: 'default_incomplete',
          ...(spec.tax && { automatic_tax: { enabled: true } }),
          ...(spec.trialDays > 0 ? { trial_period_days: spec.trialDays } : {}),
          metadata: { ...spec.metadata, [PLAN_ID_METADATA]: spec.planId },
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
