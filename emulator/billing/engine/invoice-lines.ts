// The lines a subscription puts on an invoice, worded as Stripe words them.

import type Stripe from 'stripe';
import { priceAmount } from '../../resources/prices/price-amount.js';
import { formatMoney } from '../documents/money.js';
import { newLineItem, priceRef } from '../objects/invoice-objects.js';
import type { Billing } from './context.js';
import { productName } from './prices.js';

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

/** One line per subscription item for the period it is billed for. */
export function subscriptionItemLines(
  billing: Billing,
  invoiceId: string,
  subscription: Stripe.Subscription,
  period: { start: number; end: number },
  trial: boolean,
): Stripe.InvoiceLineItem[] {
  return subscription.items.data.map((item) => {
    const quantity = item.quantity ?? 1;
    const amount = trial ? 0 : priceAmount(billing.store, item.price, quantity);
    const unit = quantity > 0 ? amount / quantity : 0;
    return newLineItem({
      invoice: invoiceId,
      amount,
      currency: subscription.currency,
      description: itemDescription(billing, item, trial),
      period,
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
