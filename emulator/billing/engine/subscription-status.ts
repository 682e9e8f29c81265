// How a subscription's status follows its invoices: paid brings it (back) to active, a failed
// renewal makes it past_due, and when the retries run out the account setting decides between
// canceling it, marking it unpaid, or leaving it past_due.

import type Stripe from 'stripe';
import type { Billing } from './context.js';
import type { EventBatch } from './event-batch.js';
import { changeSubscription } from './subscription-changes-log.js';

export function subscriptionOf(billing: Billing, invoice: Stripe.Invoice): Stripe.Subscription | undefined {
  const id = invoice.parent?.subscription_details?.subscription;
  if (!id) return undefined;
  return billing.data.subscriptions.get(typeof id === 'string' ? id : id.id);
}

const RECOVERABLE: ReadonlyArray<Stripe.Subscription.Status> = ['incomplete', 'past_due', 'unpaid'];

export function afterInvoicePaid(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  at: number,
): void {
  const subscription = subscriptionOf(billing, invoice);
  if (!subscription || subscription.latest_invoice !== invoice.id) return;
  const paymentMethod = paidWith(billing, invoice);
  changeSubscription(billing, batch, subscription, at, (sub) => {
    if (RECOVERABLE.includes(sub.status)) {
      sub.status = sub.trial_end !== null && sub.trial_end > at ? 'trialing' : 'active';
    }
    if (paymentMethod && sub.payment_settings?.save_default_payment_method === 'on_subscription') {
      sub.default_payment_method = paymentMethod;
    }
  });
}

function paidWith(billing: Billing, invoice: Stripe.Invoice): string | null {
  const payment = billing.data.invoicePayments.find((p) => p.invoice === invoice.id && p.status === 'paid');
  const pi = payment?.payment.payment_intent;
  if (!pi) return null;
  const intent = billing.data.paymentIntents.get(typeof pi === 'string' ? pi : pi.id);
  return typeof intent?.payment_method === 'string' ? intent.payment_method : null;
}

export function afterPaymentFailed(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  at: number,
  retriesExhausted: boolean,
): void {
  const subscription = subscriptionOf(billing, invoice);
  if (!subscription || subscription.latest_invoice !== invoice.id) return;
  // A first invoice that fails leaves the subscription incomplete until it expires.
  if (invoice.billing_reason === 'subscription_create') return;
  if (subscription.status === 'active' || subscription.status === 'trialing') {
    changeSubscription(billing, batch, subscription, at, (sub) => {
      sub.status = 'past_due';
    });
  }
  if (!retriesExhausted) return;
  switch (billing.settings.afterRetriesExhausted) {
    case 'cancel':
      endSubscription(billing, batch, subscription, at, 'payment_failed');
      break;
    case 'unpaid':
      changeSubscription(billing, batch, subscription, at, (sub) => {
        sub.status = 'unpaid';
      });
      break;
    case 'past_due':
      break;
  }
}

/** Ends a subscription now: `customer.subscription.deleted`, as Stripe names the event. */
export function endSubscription(
  billing: Billing,
  batch: EventBatch,
  subscription: Stripe.Subscription,
  at: number,
  reason: Stripe.Subscription.CancellationDetails.Reason,
  details: {
    comment?: string | null;
    feedback?: Stripe.Subscription.CancellationDetails.Feedback | null;
  } = {},
): void {
  subscription.status = 'canceled';
  subscription.canceled_at = subscription.canceled_at ?? at;
  subscription.ended_at = at;
  subscription.cancellation_details = {
    comment: details.comment ?? subscription.cancellation_details?.comment ?? null,
    feedback: details.feedback ?? subscription.cancellation_details?.feedback ?? null,
    feedback_option: null,
    reason,
  };
  billing.data.subscriptions.save(subscription);
  batch.record('customer.subscription.deleted', subscription, at);
  endScheduleWith(billing, batch, subscription, at, reason);
  // Unpaid invoices of an ended subscription are no longer retried.
  for (const invoice of billing.data.invoices.filter(
    (i) => i.status === 'open' && subscriptionOf(billing, i)?.id === subscription.id,
  )) {
    invoice.next_payment_attempt = null;
    billing.data.invoices.save(invoice);
  }
}

/**
 * A schedule still running its subscription ends with it: `canceled`, announced as
 * `subscription_schedule.aborted` when dunning ended the subscription, as
 * `subscription_schedule.canceled` otherwise (the event types the pinned SDK documents).
 */
function endScheduleWith(
  billing: Billing,
  batch: EventBatch,
  subscription: Stripe.Subscription,
  at: number,
  reason: Stripe.Subscription.CancellationDetails.Reason,
): void {
  const id = typeof subscription.schedule === 'string' ? subscription.schedule : subscription.schedule?.id;
  const schedule = id ? billing.data.schedules.get(id) : undefined;
  if (!schedule || (schedule.status !== 'active' && schedule.status !== 'not_started')) return;
  schedule.status = 'canceled';
  schedule.canceled_at = at;
  schedule.current_phase = null;
  billing.data.schedules.save(schedule);
  batch.record(
    reason === 'payment_failed' ? 'subscription_schedule.aborted' : 'subscription_schedule.canceled',
    schedule,
    at,
  );
}
