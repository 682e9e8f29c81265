import type Stripe from 'stripe';
import { callStripe } from './errors.js';
import { idOf } from './mapping.js';

/** The Stripe half of acting on disputes and fraud warnings: finding what a payment paid, refunding, cancelling. */
export class StripeDisputeActions {
  constructor(private readonly stripe: Stripe) {}

  /**
   * The invoice a payment intent paid: since the 2025 API neither the charge nor the intent names
   * it, and an invoice's payments are listed by payment instead.
   */
  async invoiceOfPayment(paymentIntentId: string): Promise<string | null> {
    const payments = await callStripe(() =>
      this.stripe.invoicePayments.list({
        payment: { type: 'payment_intent', payment_intent: paymentIntentId },
        limit: 1,
      }),
    );
    return idOf(payments.data[0]?.invoice);
  }

  refundCharge(
    chargeId: string,
    metadata: Record<string, string>,
    idempotencyKey: string,
  ): Promise<Stripe.Refund> {
    return callStripe(() =>
      this.stripe.refunds.create({ charge: chargeId, reason: 'fraudulent', metadata }, { idempotencyKey }),
    );
  }

  /** At once, without proration or a final invoice: the payment behind it is contested. */
  cancelSubscription(subscriptionId: string, idempotencyKey: string): Promise<Stripe.Subscription> {
    return callStripe(() =>
      this.stripe.subscriptions.cancel(
        subscriptionId,
        { prorate: false, invoice_now: false, cancellation_details: { comment: 'payment disputed' } },
        { idempotencyKey },
      ),
    );
  }
}
