// The billing engine for other emulator modules (hosted Checkout, the billing portal): the same
// operations the API routes run, with the same rules, events and due-work catch-up, callable
// in-process with the SDK's parameter shapes.

import type Stripe from 'stripe';
import type { EmulatorContext } from '../core/context.js';
import { mustGet } from '../core/records.js';
import { cancelSubscription } from './engine/cancellation.js';
import { createBilling } from './engine/context.js';
import { type PayParams, payByHand } from './engine/manual-invoicing.js';
import { previewInvoice } from './engine/preview.js';
import { createSubscription, type SubscriptionCreateInput } from './engine/subscription-create.js';
import { updateSubscription } from './engine/subscription-update.js';
import { act, catchUp } from './routes/action.js';

export interface BillingApi {
  /** As `POST /v1/subscriptions`; throws StripeApiError as the API would answer. */
  createSubscription(params: SubscriptionCreateInput): Stripe.Subscription;
  /** As `POST /v1/subscriptions/:id`. */
  updateSubscription(id: string, params: Stripe.SubscriptionUpdateParams): Stripe.Subscription;
  /** As `DELETE /v1/subscriptions/:id`. */
  cancelSubscription(id: string, params?: Stripe.SubscriptionCancelParams): Stripe.Subscription;
  /**
   * As `POST /v1/invoices/:id/pay`, but a failed payment is a result rather than a 402: the
   * invoice (still open, its attempt recorded) and whether it was paid.
   */
  payInvoice(id: string, params?: PayParams): { invoice: Stripe.Invoice; paid: boolean };
  /** As `POST /v1/invoices/create_preview`. */
  previewInvoice(params: Stripe.InvoiceCreatePreviewParams): Stripe.Invoice;
}

export function billingApi(ctx: EmulatorContext): BillingApi {
  const billing = createBilling({ emulator: ctx });
  const subscription = (id: string) => mustGet(billing.data.subscriptions, id, 'subscription');
  return {
    createSubscription: (params) => act(billing, (batch) => createSubscription(billing, batch, params)),
    updateSubscription: (id, params) =>
      act(billing, (batch) => updateSubscription(billing, batch, subscription(id), params)),
    cancelSubscription: (id, params = {}) =>
      act(billing, (batch) => cancelSubscription(billing, batch, subscription(id), params)),
    payInvoice: (id, params = {}) =>
      act(billing, (batch) => {
        const { invoice, outcome } = payByHand(
          billing,
          batch,
          mustGet(billing.data.invoices, id, 'invoice'),
          params,
        );
        return { invoice, paid: outcome.paid };
      }),
    previewInvoice: (params) => {
      catchUp(billing);
      return previewInvoice(billing, params);
    },
  };
}
