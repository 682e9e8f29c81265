import type Stripe from 'stripe';
import { callStripe } from './errors.js';
import { idOf } from './mapping.js';

export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';

export interface NewRefund {
  chargeId: string;
  amount: number;
  reason: RefundReason;
  metadata: Record<string, string>;
}

/** The Stripe half of refunds: finding the charge behind a payment or an invoice, and refunding it. */
export class StripeRefunds {
  constructor(private readonly stripe: Stripe) {}

  /** The charge itself (`ch_…`) or the latest charge of a payment intent (`pi_…`); null when unknown. */
  async chargeOfPayment(paymentId: string): Promise<Stripe.Charge | null> {
    if (paymentId.startsWith('ch_')) return orNull(() => this.stripe.charges.retrieve(paymentId));
    const intent = await orNull(() => this.stripe.paymentIntents.retrieve(paymentId));
    if (!intent) return null;
    const chargeId = idOf(intent.latest_charge);
    return chargeId ? orNull(() => this.stripe.charges.retrieve(chargeId)) : null;
  }

  async retrieveCharge(chargeId: string): Promise<Stripe.Charge | null> {
    return orNull(() => this.stripe.charges.retrieve(chargeId));
  }

  async retrieveInvoice(invoiceId: string): Promise<Stripe.Invoice | null> {
    return orNull(() => this.stripe.invoices.retrieve(invoiceId));
  }

  /**
   * The payment intent that paid the invoice. Since the 2025 API an invoice's payments are listed
   * as invoice payments; the paid one names its payment intent.
   */
  async paymentIntentOfInvoice(invoiceId: string): Promise<string | null> {
    const payments = await callStripe(() =>
      this.stripe.invoicePayments.list({ invoice: invoiceId, status: 'paid', limit: 10 }),
    );
    for (const payment of payments.data) {
      const intent = idOf(payment.payment.payment_intent);
      if (intent) return intent;
    }
    return null;
  }

  create(refund: NewRefund, idempotencyKey: string): Promise<Stripe.Refund> {
    return callStripe(() =>
      this.stripe.refunds.create(
        {
          charge: refund.chargeId,
          amount: refund.amount,
          reason: refund.reason,
          metadata: refund.metadata,
        },
        { idempotencyKey },
      ),
    );
  }
}

/** A 404 from Stripe means the caller named something that does not exist: null, not an error. */
async function orNull<T>(operation: () => Promise<T>): Promise<T | null> {
  try {
    return await callStripe(operation);
  } catch (error) {
    const cause = (error as { details?: { stripe?: { code?: string } } }).details?.stripe;
    if (cause?.code === 'resource_missing') return null;
    throw error;
  }
}
