// Creating a subscription the way Stripe does: the first period (a trial, a prorated stretch up to
// a future billing cycle anchor, or a full period), the first invoice finalized at once, and the
// payment behaviour deciding whether that invoice is charged now, left for the client to confirm,
// or must succeed for the subscription to exist at all.

import type Stripe from 'stripe';
import { cardError, invalidRequest, parameterMissing } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { initialMetadata } from '../../core/records.js';
import { boundary } from '../domain/calendar.js';
import { remainingTimeCharge, remainingTimeDescription } from '../domain/proration.js';
import { newLineItem, priceRef } from '../objects/invoice-objects.js';
import { newSubscription, newSubscriptionItem } from '../objects/subscription-objects.js';
import { attemptInvoicePayment, paymentMethodFor } from './collection.js';
import { type Billing, customerId } from './context.js';
import { createDiscounts, retireOnceDiscounts } from './discounting.js';
import type { EventBatch } from './event-batch.js';
import { subscriptionItemLines } from './invoice-lines.js';
import { createDraftInvoice, finalizeInvoice, pendingInvoiceItems } from './invoicing.js';
import { isMetered, itemQuantity, productName, prorationSide, recurringPrice } from './prices.js';
import { checkedAutomaticTax } from './taxes.js';

export type SubscriptionCreateInput = Stripe.SubscriptionCreateParams & { customer: string };

export function createSubscription(
  billing: Billing,
  batch: EventBatch,
  params: SubscriptionCreateInput,
): Stripe.Subscription {
  const customer = billing.catalog.customer(params.customer, 'customer');
  const at = billing.clock.nowForCustomer(customer.id);
  const items = params.items ?? [];
  if (items.length === 0) throw parameterMissing('items');
  const prices = items.map((item, i) => {
    if (!item.price) throw parameterMissing(`items[${i}][price]`);
    return recurringPrice(billing, item.price, `items[${i}][price]`);
  });
  const currency = prices[0]!.currency;
  if (prices.some((price) => price.currency !== currency)) {
    throw invalidRequest('All prices on a subscription must have the same currency.', { param: 'items' });
  }
  const collectionMethod = params.collection_method ?? 'charge_automatically';
  if (collectionMethod === 'send_invoice' && params.days_until_due === undefined) {
    throw invalidRequest('`days_until_due` is required when `collection_method` is `send_invoice`.', {
      param: 'days_until_due',
    });
  }
  const automaticTax = checkedAutomaticTax(billing, params.automatic_tax, customer, prices);
  const defaultPaymentMethod = params.default_payment_method ?? null;
  if (defaultPaymentMethod)
    assertAttached(billing, defaultPaymentMethod, customer.id, 'default_payment_method');

  const trialEnd = trialEndFor(params, prices[0]!, at);
  const anchor = params.billing_cycle_anchor ?? trialEnd ?? at;
  if (anchor < at) {
    throw invalidRequest('billing_cycle_anchor cannot be in the past.', { param: 'billing_cycle_anchor' });
  }
  const recurrence = prices[0]!.recurring!;
  const periodEnd = trialEnd ?? (anchor > at ? anchor : boundary(anchor, recurrence, 1));
  const period = { start: at, end: periodEnd };

  const id = newId('sub');
  const subscription = newSubscription({
    id,
    customer: customer.id,
    currency,
    created: at,
    testClock: (customer.test_clock as string | null) ?? null,
    collectionMethod,
    daysUntilDue: collectionMethod === 'send_invoice' ? (params.days_until_due ?? null) : null,
    defaultPaymentMethod,
    billingCycleAnchor: anchor,
    trial: trialEnd ? { start: at, end: trialEnd } : null,
    metadata: initialMetadata(params.metadata as Record<string, string> | undefined),
    description: params.description ?? null,
    missingPaymentMethodAtTrialEnd:
      params.trial_settings?.end_behavior?.missing_payment_method ?? 'create_invoice',
  });
  if (automaticTax) subscription.automatic_tax = automaticTax;
  subscription.items.data = items.map((item, i) =>
    newSubscriptionItem({
      subscription: id,
      price: prices[i]!,
      quantity: itemQuantity(prices[i]!, item.quantity, `items[${i}][quantity]`),
      metadata: initialMetadata(item.metadata as Record<string, string> | undefined),
      created: at,
      period,
    }),
  );
  if (params.payment_settings?.save_default_payment_method) {
    subscription.payment_settings!.save_default_payment_method =
      params.payment_settings.save_default_payment_method;
  }
  if (params.cancel_at_period_end) {
    subscription.cancel_at_period_end = true;
    subscription.cancel_at = periodEnd;
  } else if (typeof params.cancel_at === 'number') {
    subscription.cancel_at = params.cancel_at;
  }

  const behavior = params.payment_behavior ?? 'allow_incomplete';
  const needsPayment = !trialEnd && collectionMethod === 'charge_automatically';
  if (needsPayment && behavior === 'error_if_incomplete')
    assertChargeable(billing, customer, defaultPaymentMethod);

  subscription.discounts = createDiscounts(
    billing,
    params.discounts === '' ? [] : params.discounts,
    { customer: customer.id, subscription: id },
    at,
  ).map((d) => d.id);
  billing.data.subscriptions.save(subscription);
  batch.reserve(id);

  const prorate = anchor > at && !trialEnd && params.proration_behavior !== 'none';
  const invoice = createDraftInvoice(billing, batch, {
    customer: customer.id,
    currency,
    created: at,
    billingReason: 'subscription_create',
    collectionMethod,
    subscription,
    period: { start: at, end: at },
    autoAdvance: false,
    testClock: subscription.test_clock as string | null,
    dueDate: collectionMethod === 'send_invoice' ? at + (params.days_until_due ?? 0) * 86_400 : null,
    discounts: [...subscription.discounts] as string[],
    lines: (invoiceId) =>
      prorate
        ? firstPartialPeriodLines(billing, invoiceId, subscription, at, anchor)
        : anchor > at && !trialEnd
          ? []
          : subscriptionItemLines(billing, invoiceId, subscription, period, trialEnd !== null),
    // The first invoice also collects the customer's pending one-off items, as Stripe's does.
    invoiceItems: pendingInvoiceItems(billing, customer.id, null),
  });
  retireOnceDiscounts(billing, subscription, invoice);
  subscription.latest_invoice = invoice.id;
  subscription.status = trialEnd ? 'trialing' : collectionMethod === 'send_invoice' ? 'active' : 'incomplete';
  billing.data.subscriptions.save(subscription);

  finalizeInvoice(billing, batch, invoice, at);
  if (invoice.status === 'open' && collectionMethod === 'charge_automatically') {
    if (behavior === 'default_incomplete') {
      readyForConfirmation(billing, invoice);
    } else if (paymentMethodFor(billing, invoice)) {
      attemptInvoicePayment(billing, batch, invoice, at, { offSession: params.off_session ?? false });
    }
  }
  batch.fill('customer.subscription.created', subscription, at);
  return subscription;
}

function trialEndFor(params: SubscriptionCreateInput, price: Stripe.Price, at: number): number | null {
  if (params.trial_end === 'now') return null;
  if (typeof params.trial_end === 'number') {
    if (params.trial_end <= at) {
      throw invalidRequest('Invalid timestamp: must be an integer Unix timestamp in the future.', {
        param: 'trial_end',
      });
    }
    return params.trial_end;
  }
  const days =
    params.trial_period_days ?? (params.trial_from_plan ? price.recurring?.trial_period_days : null);
  return days ? at + days * 86_400 : null;
}

/** With an anchor in the future, the first invoice charges the stretch up to it, prorated. */
function firstPartialPeriodLines(
  billing: Billing,
  invoiceId: string,
  subscription: Stripe.Subscription,
  at: number,
  anchor: number,
): Stripe.InvoiceLineItem[] {
  return subscription.items.data
    .filter((item) => !isMetered(item.price))
    .map((item) => {
      const recurrence = item.price.recurring!;
      const fullPeriod = { start: boundary(anchor, recurrence, -1), end: anchor };
      const quantity = item.quantity ?? 1;
      const amount = remainingTimeCharge(prorationSide(billing, item.price, quantity), fullPeriod, at);
      return newLineItem({
        invoice: invoiceId,
        amount,
        currency: subscription.currency,
        description: remainingTimeDescription(productName(billing, item.price), quantity, at),
        period: { start: at, end: anchor },
        quantity,
        price: priceRef(item.price),
        unitAmountDecimal: String(amount / quantity),
        proration: true,
        discountable: true,
        subscriptionItem: { subscription: subscription.id, item: item.id },
      });
    });
}

/** `default_incomplete`: the payment intent waits for the client, with the method it would use. */
function readyForConfirmation(billing: Billing, invoice: Stripe.Invoice): void {
  const method = paymentMethodFor(billing, invoice);
  const payment = billing.data.invoicePayments.find((p) => p.invoice === invoice.id);
  const intent = payment && billing.data.paymentIntents.get(String(payment.payment.payment_intent));
  if (!intent || !method) return;
  intent.payment_method = method;
  intent.status = 'requires_confirmation';
  billing.data.paymentIntents.save(intent);
}

function assertAttached(billing: Billing, paymentMethodId: string, customer: string, param: string): void {
  const paymentMethod = billing.catalog.paymentMethod(paymentMethodId, param);
  const owner = paymentMethod.customer ? customerId(paymentMethod.customer) : null;
  if (owner !== customer) {
    throw invalidRequest(
      `The customer does not have a payment method with the ID ${paymentMethodId}. The payment method must be attached to the customer.`,
      { param, code: 'resource_missing' },
    );
  }
}

/** `error_if_incomplete`: refuse up front, creating nothing, when the first charge cannot succeed. */
export function assertChargeable(billing: Billing, customer: Stripe.Customer, explicit: string | null): void {
  const fallback = customer.invoice_settings?.default_payment_method;
  const methodId = explicit ?? (typeof fallback === 'string' ? fallback : (fallback?.id ?? null));
  if (!methodId) {
    throw invalidRequest('This customer has no attached payment source or default payment method.', {
      code: 'resource_missing',
    });
  }
  const method = billing.catalog.paymentMethod(methodId, 'default_payment_method');
  const outcome = billing.catalog.chargeOutcome(method.id, 'on_session');
  // A payment that would need 3D Secure is refused too: error_if_incomplete "does not update the
  // subscription and returns an error instead" when SCA asks for the customer's action
  // (https://docs.stripe.com/api/subscriptions/update#update_subscription-payment_behavior).
  if (outcome.status === 'requires_action') {
    throw cardError(
      'authentication_required',
      'Your card was declined. This transaction requires authentication.',
      {
        declineCode: 'authentication_required',
      },
    );
  }
  if (outcome.status === 'failed') {
    throw cardError(outcome.code, outcome.message, {
      ...(outcome.declineCode && { declineCode: outcome.declineCode }),
    });
  }
}
