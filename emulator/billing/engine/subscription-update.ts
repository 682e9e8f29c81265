// Updating a subscription: item changes with their prorations, the cancellation and pause
// switches, trial changes, and the invoice Stripe issues at once when the change calls for one
// (`always_invoice`, a new billing cycle, or a trial ended now).

import type Stripe from 'stripe';
import { invalidRequest } from '../../core/errors.js';
import { mergeMetadata } from '../../core/records.js';
import { boundary } from '../domain/calendar.js';
import { attemptInvoicePayment } from './collection.js';
import { type Billing, customerId } from './context.js';
import { createDiscounts } from './discounting.js';
import type { EventBatch } from './event-batch.js';
import { subscriptionItemLines } from './invoice-lines.js';
import { createDraftInvoice, finalizeInvoice, pendingInvoiceItems } from './invoicing.js';
import { type ItemPlan, planItemChanges, prorationItems } from './item-changes.js';
import { currentPeriod, endTrialUnbilled, trialEndBehavior } from './renewal.js';
import { changeSubscription } from './subscription-changes-log.js';
import { assertChargeable } from './subscription-create.js';
import { checkedAutomaticTax } from './taxes.js';

export type SubscriptionUpdateInput = Stripe.SubscriptionUpdateParams;

const ENDED: ReadonlyArray<Stripe.Subscription.Status> = ['canceled', 'incomplete_expired'];

export function updateSubscription(
  billing: Billing,
  batch: EventBatch,
  subscription: Stripe.Subscription,
  params: SubscriptionUpdateInput,
): Stripe.Subscription {
  const at = billing.clock.nowForCustomer(customerId(subscription.customer));
  if (ENDED.includes(subscription.status)) {
    const allowed = ['metadata', 'cancellation_details', 'expand'];
    if (Object.keys(params).some((key) => !allowed.includes(key))) {
      throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.', {
        param: Object.keys(params).find((key) => !allowed.includes(key)),
      });
    }
  }
  const period = currentPeriod(subscription);
  const prorationDate = params.proration_date ?? at;
  if (params.proration_date !== undefined && (prorationDate < period.start || prorationDate > period.end)) {
    throw invalidRequest('proration_date must be within the current billing period.', {
      param: 'proration_date',
    });
  }
  const behavior = params.proration_behavior ?? 'create_prorations';
  const trialing = subscription.status === 'trialing';
  const plan: ItemPlan | null = params.items
    ? planItemChanges(billing, subscription, params.items, at)
    : null;
  const automaticTax = checkedAutomaticTax(
    billing,
    params.automatic_tax,
    billing.catalog.customer(customerId(subscription.customer)),
    (plan?.items ?? subscription.items.data).map((item) => item.price),
  );
  const resetCycle =
    !trialing && (plan?.cycleChanges === true || params.billing_cycle_anchor?.type === 'now');
  // Ending the trial now does what the trial running out would: without a payment method the
  // trial settings may pause or cancel instead of billing.
  const trialEnd =
    trialing && params.trial_end === 'now'
      ? trialEndBehavior(billing, {
          ...subscription,
          default_payment_method: params.default_payment_method ?? subscription.default_payment_method,
        })
      : null;
  const endTrialNow = trialEnd === 'bill';

  const prorations =
    plan && behavior !== 'none' && !trialing
      ? prorationItems(billing, subscription, plan, prorationDate)
      : [];
  const chargesNow =
    resetCycle || endTrialNow || (behavior === 'always_invoice' && prorations.some((i) => i.amount > 0));
  if (
    params.payment_behavior === 'error_if_incomplete' &&
    chargesNow &&
    subscription.collection_method === 'charge_automatically'
  ) {
    // Stripe refuses the update (a card error) and changes nothing when the charge it calls for fails.
    const explicit = subscription.default_payment_method;
    assertChargeable(
      billing,
      billing.catalog.customer(customerId(subscription.customer)),
      typeof explicit === 'string' ? explicit : (explicit?.id ?? null),
    );
  }
  for (const item of prorations) {
    billing.data.invoiceItems.save(item);
    batch.record('invoiceitem.created', item, at);
  }
  if (params.default_payment_method) {
    const method = billing.catalog.paymentMethod(params.default_payment_method, 'default_payment_method');
    if (!method.customer || customerId(method.customer) !== customerId(subscription.customer)) {
      throw invalidRequest(
        `The customer does not have a payment method with the ID ${method.id}. The payment method must be attached to the customer.`,
        { param: 'default_payment_method', code: 'resource_missing' },
      );
    }
  }
  const discounts =
    params.discounts === undefined
      ? undefined
      : createDiscounts(
          billing,
          params.discounts === '' ? [] : params.discounts,
          { customer: customerId(subscription.customer), subscription: subscription.id },
          at,
        );

  let immediate: Stripe.Invoice | null = null;
  changeSubscription(billing, batch, subscription, at, (sub) => {
    if (plan) sub.items.data = plan.items;
    if (automaticTax) sub.automatic_tax = automaticTax;
    applySimpleFields(sub, params, period.end);
    if (discounts) sub.discounts = discounts.map((d) => d.id);
    if (typeof params.trial_end === 'number') extendTrial(sub, params.trial_end, at);
    if (resetCycle || endTrialNow) {
      startCycleNow(sub, at);
      if (endTrialNow) {
        sub.trial_end = at;
        sub.status = 'active';
      }
      // A new cycle closes the old one: its metered usage so far is billed with it.
      const usage = endTrialNow ? undefined : { start: period.start, end: at };
      immediate = invoiceNow(billing, batch, sub, at, true, usage);
    } else if (behavior === 'always_invoice' && plan && !trialing) {
      immediate = invoiceNow(billing, batch, sub, at, false);
    }
  });
  if (immediate) collectNow(billing, batch, immediate, at);
  if (trialEnd === 'pause' || trialEnd === 'cancel') {
    endTrialUnbilled(billing, batch, subscription, at, trialEnd, (sub) => {
      sub.trial_end = at;
      sub.items.data = sub.items.data.map((item) => ({ ...item, current_period_end: at }));
    });
  }
  return subscription;
}

function applySimpleFields(
  sub: Stripe.Subscription,
  params: SubscriptionUpdateInput,
  periodEnd: number,
): void {
  if (params.metadata !== undefined) {
    sub.metadata = mergeMetadata(sub.metadata, params.metadata as Record<string, string> | null);
  }
  if (params.description !== undefined) sub.description = params.description || null;
  if (params.default_payment_method) sub.default_payment_method = params.default_payment_method;
  if (params.collection_method) sub.collection_method = params.collection_method;
  if (params.days_until_due !== undefined) sub.days_until_due = params.days_until_due;
  if (params.cancel_at_period_end !== undefined) {
    sub.cancel_at_period_end = params.cancel_at_period_end;
    sub.cancel_at = params.cancel_at_period_end ? periodEnd : null;
    if (!params.cancel_at_period_end) sub.canceled_at = null;
  }
  if (params.cancel_at !== undefined) {
    const cancelAt = typeof params.cancel_at === 'number' ? params.cancel_at : null;
    sub.cancel_at = cancelAt;
    sub.cancel_at_period_end = cancelAt !== null && cancelAt === periodEnd;
  }
  if (params.cancellation_details) {
    sub.cancellation_details = {
      comment: params.cancellation_details.comment || null,
      feedback: params.cancellation_details.feedback || null,
      feedback_option: null,
      reason: sub.cancellation_details?.reason ?? null,
    };
  }
  if (params.pause_collection !== undefined) {
    sub.pause_collection =
      params.pause_collection === '' || params.pause_collection === null
        ? null
        : {
            behavior: params.pause_collection.behavior,
            resumes_at: params.pause_collection.resumes_at ?? null,
          };
  }
  const save = params.payment_settings?.save_default_payment_method;
  if (save && sub.payment_settings) sub.payment_settings.save_default_payment_method = save;
}

/** A later trial end moves the end of the trial period, and the anchor with it. */
function extendTrial(sub: Stripe.Subscription, trialEnd: number, at: number): void {
  if (trialEnd <= at) {
    throw invalidRequest('Invalid timestamp: must be an integer Unix timestamp in the future.', {
      param: 'trial_end',
    });
  }
  sub.trial_end = trialEnd;
  sub.trial_start = sub.trial_start ?? at;
  sub.status = 'trialing';
  sub.billing_cycle_anchor = trialEnd;
  sub.items.data = sub.items.data.map((item) => ({ ...item, current_period_end: trialEnd }));
}

/** Resets the billing cycle anchor to `at`, as Stripe does for interval changes and `trial_end=now`. */
export function startCycleNow(sub: Stripe.Subscription, at: number): void {
  const end = boundary(at, sub.items.data[0]!.price.recurring!, 1);
  sub.billing_cycle_anchor = at;
  sub.items.data = sub.items.data.map((item) => ({
    ...item,
    current_period_start: at,
    current_period_end: end,
  }));
}

/**
 * The invoice an update issues at once: the subscription's pending prorations and, when a new
 * cycle starts, the new period billed in full.
 */
function invoiceNow(
  billing: Billing,
  batch: EventBatch,
  sub: Stripe.Subscription,
  at: number,
  newPeriod: boolean,
  usage?: { start: number; end: number },
): Stripe.Invoice {
  const period = currentPeriod(sub);
  const invoice = createDraftInvoice(billing, batch, {
    customer: customerId(sub.customer),
    currency: sub.currency,
    created: at,
    billingReason: 'subscription_update',
    collectionMethod: sub.collection_method,
    subscription: sub,
    period: { start: at, end: at },
    autoAdvance: true,
    testClock: sub.test_clock as string | null,
    dueDate: sub.collection_method === 'send_invoice' ? at + (sub.days_until_due ?? 0) * 86_400 : null,
    discounts: sub.discounts.map((d) => (typeof d === 'string' ? d : d.id)),
    lines: (invoiceId) =>
      newPeriod ? subscriptionItemLines(billing, invoiceId, sub, period, false, usage) : [],
    invoiceItems: pendingInvoiceItems(billing, customerId(sub.customer), sub.id),
  });
  sub.latest_invoice = invoice.id;
  return invoice;
}

function collectNow(billing: Billing, batch: EventBatch, invoice: Stripe.Invoice, at: number): void {
  finalizeInvoice(billing, batch, invoice, at);
  if (invoice.status === 'open' && invoice.collection_method === 'charge_automatically') {
    attemptInvoicePayment(billing, batch, invoice, at);
  }
}

/** `/resume`: a paused subscription starts a new period now and is invoiced for it. */
export function resumeSubscription(
  billing: Billing,
  batch: EventBatch,
  subscription: Stripe.Subscription,
  params: Stripe.SubscriptionResumeParams,
): Stripe.Subscription {
  if (subscription.status !== 'paused') {
    throw invalidRequest('Only a subscription with status `paused` can be resumed.', {
      code: 'subscription_not_paused',
    });
  }
  const at = billing.clock.nowForCustomer(customerId(subscription.customer));
  let invoice: Stripe.Invoice | null = null;
  changeSubscription(billing, batch, subscription, at, (sub) => {
    sub.status = 'active';
    if (params.billing_cycle_anchor?.type !== 'unchanged') startCycleNow(sub, at);
    invoice = invoiceNow(billing, batch, sub, at, true);
  });
  batch.record('customer.subscription.resumed', subscription, at);
  if (invoice) collectNow(billing, batch, invoice, at);
  return subscription;
}
