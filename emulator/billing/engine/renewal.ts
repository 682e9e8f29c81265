// What happens when a subscription's period ends: a new period and its invoice, left in draft for
// the finalization delay (Stripe's "about an hour") before it is finalized and charged; or, when
// cancellation was asked for, the end of the subscription. Trial ends are renewals too, with the
// trial settings deciding what a trial without a payment method turns into.

import type Stripe from 'stripe';
import { periodContaining } from '../domain/calendar.js';
import { attemptInvoicePayment } from './collection.js';
import { type Billing, customerId } from './context.js';
import { retireOnceDiscounts } from './discounting.js';
import type { EventBatch } from './event-batch.js';
import { meteredItemLines, refreshUsageLines, subscriptionItemLines } from './invoice-lines.js';
import {
  activeDiscounts,
  createDraftInvoice,
  finalizeInvoice,
  pendingInvoiceItems,
  view,
} from './invoicing.js';
import { isMetered } from './prices.js';
import { changeSubscription } from './subscription-changes-log.js';
import { endSubscription } from './subscription-status.js';

export function currentPeriod(subscription: Stripe.Subscription): { start: number; end: number } {
  const item = subscription.items.data[0]!;
  return { start: item.current_period_start, end: item.current_period_end };
}

/** The period end has come: renew, or end the subscription as asked. */
export function renewSubscription(
  billing: Billing,
  batch: EventBatch,
  subscription: Stripe.Subscription,
  at: number,
) {
  if (subscription.cancel_at !== null && subscription.cancel_at <= at) {
    billFinalUsage(billing, batch, subscription, at);
    endSubscription(billing, batch, subscription, at, 'cancellation_requested');
    return;
  }
  startNextPeriod(billing, batch, subscription, at, (sub) => sub);
}

/**
 * A subscription with metered items that ends at its period end still owes that period's usage,
 * billed in arrears: a last invoice with the metered lines (and whatever is pending), drafted and
 * finalized like a renewal's. The emulator's reading of "the final invoice … for any un-invoiced
 * metered usage" (Stripe.SubscriptionCancelParams.invoice_now) for a cancellation at period end.
 */
function billFinalUsage(billing: Billing, batch: EventBatch, subscription: Stripe.Subscription, at: number) {
  if (subscription.status === 'trialing' || !subscription.items.data.some((item) => isMetered(item.price))) {
    return;
  }
  const usage = { start: currentPeriod(subscription).start, end: at };
  const invoice = draftCycleInvoice(billing, batch, subscription, at, {
    start: usage.start,
    autoAdvance: true,
    lines: (invoiceId) => meteredItemLines(billing, invoiceId, subscription, usage),
  });
  subscription.latest_invoice = invoice.id;
}

/**
 * What ending a trial does, whether it runs out on the clock or is ended with `trial_end=now`:
 * without a payment method, `trial_settings.end_behavior.missing_payment_method` decides
 * (https://docs.stripe.com/billing/subscriptions/trials/free-trials).
 */
export function trialEndBehavior(
  billing: Billing,
  subscription: Stripe.Subscription,
): 'bill' | 'pause' | 'cancel' {
  const customer = billing.catalog.customer(customerId(subscription.customer));
  const hasPaymentMethod =
    subscription.default_payment_method !== null || !!customer.invoice_settings?.default_payment_method;
  const missing = subscription.trial_settings?.end_behavior.missing_payment_method;
  if (hasPaymentMethod) return 'bill';
  if (missing === 'pause') return 'pause';
  return missing === 'cancel' ? 'cancel' : 'bill';
}

/**
 * A trial ended without a payment method: the subscription pauses (no invoice) or is canceled.
 * `alsoChange` is what ending the trial early changes besides (its end moves to now).
 */
export function endTrialUnbilled(
  billing: Billing,
  batch: EventBatch,
  subscription: Stripe.Subscription,
  at: number,
  behavior: 'pause' | 'cancel',
  alsoChange: (sub: Stripe.Subscription) => void = () => {},
): void {
  if (behavior === 'cancel') {
    alsoChange(subscription);
    endSubscription(billing, batch, subscription, at, 'cancellation_requested');
    return;
  }
  changeSubscription(billing, batch, subscription, at, (sub) => {
    alsoChange(sub);
    sub.status = 'paused';
  });
  batch.record('customer.subscription.paused', subscription, at);
}

/** The trial is over: bill the first paid period, or pause or cancel without a payment method. */
export function endTrial(billing: Billing, batch: EventBatch, subscription: Stripe.Subscription, at: number) {
  const behavior = trialEndBehavior(billing, subscription);
  if (behavior !== 'bill') {
    endTrialUnbilled(billing, batch, subscription, at, behavior);
    return;
  }
  if (subscription.cancel_at !== null && subscription.cancel_at <= at) {
    endSubscription(billing, batch, subscription, at, 'cancellation_requested');
    return;
  }
  startNextPeriod(billing, batch, subscription, at, (sub) => {
    sub.status = 'active';
  });
}

/**
 * Moves every item to the period that starts at `at` and drafts that period's invoice, which
 * also sweeps up the subscription's pending invoice items (prorations from earlier changes).
 */
export function startNextPeriod(
  billing: Billing,
  batch: EventBatch,
  subscription: Stripe.Subscription,
  at: number,
  alsoChange: (sub: Stripe.Subscription) => void,
): Stripe.Invoice {
  const previous = currentPeriod(subscription);
  const next = periodContaining(
    subscription.billing_cycle_anchor,
    subscription.items.data[0]!.price.recurring!,
    at,
  );
  const pause = subscription.pause_collection?.behavior ?? null;
  // Stripe leaves invoices of unpaid subscriptions, and of paused collection kept as drafts, in draft.
  const autoAdvance = subscription.status !== 'unpaid' && pause !== 'keep_as_draft';
  const items = subscription.items.data.map((item) => ({
    ...item,
    current_period_start: next.start,
    current_period_end: next.end,
  }));
  const invoice = draftCycleInvoice(billing, batch, subscription, at, {
    start: previous.start,
    autoAdvance,
    lines: (invoiceId) =>
      subscriptionItemLines(
        billing,
        invoiceId,
        { ...subscription, items: { ...subscription.items, data: items } },
        next,
        false,
        // Metered items bill the usage of the period just ended; usage during a trial is free.
        subscription.status === 'trialing' ? undefined : { start: previous.start, end: at },
      ),
  });
  changeSubscription(billing, batch, subscription, at, (sub) => {
    sub.items.data = items;
    sub.latest_invoice = invoice.id;
    retireOnceDiscounts(billing, sub, invoice);
    alsoChange(sub);
  });
  return invoice;
}

/**
 * The draft invoice of a period ending at `at` (from `start`): what `lines` bills plus the
 * subscription's pending invoice items, finalized after the renewal delay when it auto-advances.
 */
function draftCycleInvoice(
  billing: Billing,
  batch: EventBatch,
  subscription: Stripe.Subscription,
  at: number,
  input: { start: number; autoAdvance: boolean; lines: (invoiceId: string) => Stripe.InvoiceLineItem[] },
): Stripe.Invoice {
  const invoice = createDraftInvoice(billing, batch, {
    customer: customerId(subscription.customer),
    currency: subscription.currency,
    created: at,
    billingReason: 'subscription_cycle',
    collectionMethod: subscription.collection_method,
    subscription,
    period: { start: input.start, end: at },
    autoAdvance: input.autoAdvance,
    testClock: subscription.test_clock as string | null,
    dueDate:
      subscription.collection_method === 'send_invoice'
        ? at + billing.settings.renewalFinalizationDelay + (subscription.days_until_due ?? 0) * 86_400
        : null,
    discounts: activeDiscounts(billing, subscription.discounts, at).map((d) => d.id),
    lines: input.lines,
    invoiceItems: pendingInvoiceItems(billing, customerId(subscription.customer), subscription.id),
  });
  if (input.autoAdvance) {
    invoice.automatically_finalizes_at = at + billing.settings.renewalFinalizationDelay;
    billing.data.invoices.save(invoice);
  }
  return invoice;
}

/**
 * A draft's finalization time has come: finalize it, then collect as the subscription's paused
 * collection (if any) or collection method says.
 */
export function finalizeDueInvoice(billing: Billing, batch: EventBatch, invoice: Stripe.Invoice, at: number) {
  refreshUsageLines(billing, invoice);
  finalizeInvoice(billing, batch, invoice, at);
  if (invoice.status !== 'open') return;
  const subscriptionId = invoice.parent?.subscription_details?.subscription;
  const subscription = subscriptionId ? billing.data.subscriptions.get(String(subscriptionId)) : undefined;
  const pause = subscription?.pause_collection?.behavior ?? null;
  if (pause === 'mark_uncollectible') {
    markUncollectible(billing, batch, invoice, at);
  } else if (pause === 'void') {
    voidInvoice(billing, batch, invoice, at);
  } else if (invoice.collection_method === 'charge_automatically') {
    attemptInvoicePayment(billing, batch, invoice, at);
  }
}

export function voidInvoice(billing: Billing, batch: EventBatch, invoice: Stripe.Invoice, at: number): void {
  invoice.status = 'void';
  invoice.status_transitions.voided_at = at;
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.auto_advance = false;
  billing.data.invoices.save(invoice);
  cancelInvoicePayment(billing, batch, invoice, at);
  batch.record('invoice.voided', view(invoice), at);
}

export function markUncollectible(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  at: number,
): void {
  invoice.status = 'uncollectible';
  invoice.status_transitions.marked_uncollectible_at = at;
  invoice.next_payment_attempt = null;
  invoice.auto_advance = false;
  billing.data.invoices.save(invoice);
  batch.record('invoice.marked_uncollectible', view(invoice), at);
}

/** The invoice's payment intent can no longer be paid once the invoice is void. */
function cancelInvoicePayment(
  billing: Billing,
  batch: EventBatch,
  invoice: Stripe.Invoice,
  at: number,
): void {
  const payment = billing.data.invoicePayments.find((p) => p.invoice === invoice.id && p.status === 'open');
  if (!payment) return;
  payment.status = 'canceled';
  payment.status_transitions.canceled_at = at;
  billing.data.invoicePayments.save(payment);
  const intent = billing.data.paymentIntents.get(String(payment.payment.payment_intent));
  if (intent && intent.status !== 'succeeded' && intent.status !== 'canceled') {
    intent.status = 'canceled';
    intent.canceled_at = at;
    intent.cancellation_reason = 'void_invoice';
    billing.data.paymentIntents.save(intent);
    batch.record('payment_intent.canceled', intent, at);
  }
}

/** An incomplete subscription whose first invoice went unpaid for 23 hours. */
export function expireIncomplete(
  billing: Billing,
  batch: EventBatch,
  subscription: Stripe.Subscription,
  at: number,
) {
  const invoice = subscription.latest_invoice
    ? billing.data.invoices.get(String(subscription.latest_invoice))
    : undefined;
  if (invoice?.status === 'open') voidInvoice(billing, batch, invoice, at);
  changeSubscription(billing, batch, subscription, at, (sub) => {
    sub.status = 'incomplete_expired';
    sub.canceled_at = at;
    sub.ended_at = at;
  });
}
