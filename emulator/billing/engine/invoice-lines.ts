// The lines a subscription puts on an invoice, worded as Stripe words them.

import type Stripe from 'stripe';
import { priceAmount } from '../../resources/prices/price-amount.js';
import { formatMoney } from '../documents/money.js';
import { metersOf, meterUsage } from '../meters/meter-store.js';
import { newLineItem, priceRef } from '../objects/invoice-objects.js';
import { type Billing, customerId } from './context.js';
import { isMetered, productName } from './prices.js';

function cadence(recurring: Stripe.Price.Recurring): string {
  return recurring.interval_count === 1
    ? recurring.interval
    : `every ${recurring.interval_count} ${recurring.interval}s`;
}

/** "1 × Pro (at $50.00 / month)", or "Trial period for Pro" while trialing. */
export function itemDescription(billing: Billing, item: Stripe.SubscriptionItem, trial: boolean): string {
  const name = productName(billing, item.price);
  if (trial) return `Trial period for ${name}`;
  const at = formatMoney(item.price.unit_amount ?? 0, item.price.currency);
  return `${item.quantity ?? 1} × ${name} (at ${at} / ${cadence(item.price.recurring!)})`;
}

/**
 * One line per subscription item: a licensed item for the period it is billed for (in advance), a
 * metered one for the usage its meter recorded over `usage` (in arrears: the period just ended), or
 * for nothing (quantity 0) on an invoice that bills no past period, such as the first one.
 */
export function subscriptionItemLines(
  billing: Billing,
  invoiceId: string,
  subscription: Stripe.Subscription,
  period: { start: number; end: number },
  trial: boolean,
  usage?: { start: number; end: number },
): Stripe.InvoiceLineItem[] {
  return subscription.items.data.map((item) => {
    const metered = isMetered(item.price);
    const quantity = metered
      ? usage
        ? meteredUsage(billing, subscription, item.price, usage)
        : 0
      : (item.quantity ?? 1);
    const amount = trial ? 0 : priceAmount(billing.store, item.price, quantity);
    const unit = quantity > 0 ? amount / quantity : 0;
    return newLineItem({
      invoice: invoiceId,
      amount,
      currency: subscription.currency,
      description: metered
        ? usageDescription(billing, item, quantity)
        : itemDescription(billing, item, trial),
      period: metered && usage ? usage : period,
      quantity,
      price: priceRef(item.price),
      unitAmountDecimal: String(unit),
      proration: false,
      discountable: true,
      metadata: item.metadata,
      subscriptionItem: { subscription: subscription.id, item: item.id },
    });
  });
}

/** The metered items alone, billed for their usage over `usage` (a final invoice at cancellation). */
export function meteredItemLines(
  billing: Billing,
  invoiceId: string,
  subscription: Stripe.Subscription,
  usage: { start: number; end: number },
): Stripe.InvoiceLineItem[] {
  const data = subscription.items.data.filter((item) => isMetered(item.price));
  return subscriptionItemLines(
    billing,
    invoiceId,
    { ...subscription, items: { ...subscription.items, data } },
    usage,
    false,
    usage,
  );
}

/**
 * Recounts the usage lines of a draft about to be finalized. Stripe waits an hour after a period
 * ends before finalizing its invoice so that usage reported late, with timestamps inside the
 * period, is still billed (https://docs.stripe.com/billing/subscriptions/usage-based/configure-grace-period).
 */
export function refreshUsageLines(billing: Billing, invoice: Stripe.Invoice): void {
  const subscriptionId = invoice.parent?.subscription_details?.subscription;
  const subscription = subscriptionId ? billing.data.subscriptions.get(String(subscriptionId)) : undefined;
  if (!subscription) return;
  invoice.lines.data = invoice.lines.data.map((line) => {
    const details = line.parent?.subscription_item_details;
    if (!details || details.proration || details.invoice_item) return line;
    const item = subscription.items.data.find((i) => i.id === details.subscription_item);
    if (!item || !isMetered(item.price)) return line;
    const one = { ...subscription, items: { ...subscription.items, data: [item] } };
    const [fresh] = subscriptionItemLines(billing, invoice.id, one, line.period, false, line.period);
    return { ...fresh!, id: line.id };
  });
}

/** The customer's usage of a metered price over [start, end), as its meter aggregates it. */
export function meteredUsage(
  billing: Billing,
  subscription: Stripe.Subscription,
  price: Stripe.Price,
  range: { start: number; end: number },
): number {
  const meter = price.recurring?.meter ? metersOf(billing.store).get(price.recurring.meter) : undefined;
  if (!meter) return 0;
  return meterUsage(billing.store, meter, customerId(subscription.customer), range.start, range.end);
}

/** "12 × Tokens (at $0.01 / month)", the unit being the price's per-unit amount (tiers: "Tiered"). */
function usageDescription(billing: Billing, item: Stripe.SubscriptionItem, quantity: number): string {
  const name = productName(billing, item.price);
  if (item.price.billing_scheme === 'tiered') return `${quantity} × ${name} (Tiered)`;
  const unit = item.price.unit_amount ?? Number(String(item.price.unit_amount_decimal ?? 0));
  const at = formatMoney(unit, item.price.currency);
  return `${quantity} × ${name} (at ${at} / ${cadence(item.price.recurring!)})`;
}

/** The line that shows a pending invoice item on the invoice that collects it. */
export function invoiceItemLine(invoiceId: string, item: Stripe.InvoiceItem): Stripe.InvoiceLineItem {
  const subscription = item.parent?.subscription_details;
  const priceDetails = item.pricing?.price_details;
  const price = priceDetails
    ? {
        price: typeof priceDetails.price === 'string' ? priceDetails.price : priceDetails.price.id,
        product: priceDetails.product,
      }
    : null;
  return newLineItem({
    invoice: invoiceId,
    amount: item.amount,
    currency: item.currency,
    description: item.description ?? '',
    period: item.period,
    quantity: item.quantity,
    price,
    unitAmountDecimal: item.pricing?.unit_amount_decimal ? String(item.pricing.unit_amount_decimal) : null,
    proration: item.proration,
    discountable: item.discountable,
    metadata: item.metadata ?? {},
    invoiceItem: {
      id: item.id,
      subscription: subscription?.subscription ?? null,
      subscriptionItem: subscription?.subscription_item ?? null,
    },
  });
}
