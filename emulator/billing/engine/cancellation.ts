// Canceling a subscription now (`DELETE /v1/subscriptions/:id`): optionally a credit for the
// unused time (`prorate`) and a final invoice for whatever is pending (`invoice_now`).

import type Stripe from 'stripe';
import { invalidRequest } from '../../core/errors.js';
import { attemptInvoicePayment } from './collection.js';
import { type Billing, customerId } from './context.js';
import type { EventBatch } from './event-batch.js';
import { meteredItemLines } from './invoice-lines.js';
import { createDraftInvoice, finalizeInvoice, pendingInvoiceItems } from './invoicing.js';
import { prorationItems } from './item-changes.js';
import { isMetered } from './prices.js';
import { currentPeriod } from './renewal.js';
import { endSubscription } from './subscription-status.js';

export function cancelSubscription(
  billing: Billing,
  batch: EventBatch,
  subscription: Stripe.Subscription,
  params: Stripe.SubscriptionCancelParams,
): Stripe.Subscription {
  if (subscription.status === 'canceled' || subscription.status === 'incomplete_expired') {
    throw invalidRequest(`No such subscription: '${subscription.id}'`, { code: 'resource_missing' });
  }
  const at = billing.clock.nowForCustomer(customerId(subscription.customer));
  const customer = customerId(subscription.customer);
  const usage = { start: currentPeriod(subscription).start, end: at };
  const billsUsage =
    subscription.status !== 'trialing' && subscription.items.data.some((item) => isMetered(item.price));
  if (params.prorate && subscription.status !== 'trialing') {
    const removal = {
      items: subscription.items.data,
      changes: subscription.items.data.map((item) => ({ itemId: item.id, before: item, after: null })),
      cycleChanges: false,
    };
    for (const item of prorationItems(billing, subscription, removal, at)) {
      billing.data.invoiceItems.save(item);
      batch.record('invoiceitem.created', item, at);
    }
  }
  const details = params.cancellation_details;
  endSubscription(billing, batch, subscription, at, 'cancellation_requested', {
    comment: details?.comment || null,
    feedback: details?.feedback || null,
  });
  const pending = pendingInvoiceItems(billing, customer, subscription.id);
  // `invoice_now` "will generate a final invoice that invoices for any un-invoiced metered usage and
  // new/pending proration invoice items" (Stripe.SubscriptionCancelParams.invoice_now).
  if (params.invoice_now && (pending.length > 0 || billsUsage)) {
    const invoice = createDraftInvoice(billing, batch, {
      customer,
      currency: subscription.currency,
      created: at,
      billingReason: 'subscription_update',
      collectionMethod: subscription.collection_method,
      subscription,
      period: { start: at, end: at },
      autoAdvance: true,
      testClock: subscription.test_clock as string | null,
      lines: (invoiceId) => (billsUsage ? meteredItemLines(billing, invoiceId, subscription, usage) : []),
      invoiceItems: pending,
    });
    finalizeInvoice(billing, batch, invoice, at);
    if (invoice.status === 'open' && invoice.collection_method === 'charge_automatically') {
      attemptInvoicePayment(billing, batch, invoice, at);
    }
    subscription.latest_invoice = invoice.id;
    billing.data.subscriptions.save(subscription);
  }
  return subscription;
}
