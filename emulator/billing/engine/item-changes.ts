// Working out what an `items[]` update does to a subscription and what it costs: the new set of
// items, and the proration invoice items (credit for unused time on what changed, charge for the
// remaining time on what replaced it). Pure planning: nothing is saved here, so the same plan
// serves a real update and an invoice preview.

import type Stripe from 'stripe';
import { invalidRequest } from '../../core/errors.js';
import { initialMetadata, mergeMetadata } from '../../core/records.js';
import { sameCycle } from '../domain/calendar.js';
import {
  remainingTimeCharge,
  remainingTimeDescription,
  unusedTimeCredit,
  unusedTimeDescription,
} from '../domain/proration.js';
import { newInvoiceItem } from '../objects/invoice-objects.js';
import { newSubscriptionItem } from '../objects/subscription-objects.js';
import { type Billing, customerId } from './context.js';
import { isMetered, itemQuantity, productName, prorationSide, recurringPrice } from './prices.js';
import { currentPeriod } from './renewal.js';

export type ItemParam = NonNullable<Stripe.SubscriptionUpdateParams['items']>[number];

export interface ItemPlan {
  items: Stripe.SubscriptionItem[];
  /** Side of each change, for prorations: what was billed and what will be. */
  changes: Array<{
    itemId: string;
    before: Stripe.SubscriptionItem | null;
    after: Stripe.SubscriptionItem | null;
  }>;
  /** True when the new items bill on another cycle (monthly → yearly): the anchor resets. */
  cycleChanges: boolean;
}

export function planItemChanges(
  billing: Billing,
  subscription: Stripe.Subscription,
  params: ItemParam[],
  at: number,
): ItemPlan {
  const period = currentPeriod(subscription);
  const items = subscription.items.data.map((item) => structuredClone(item));
  const changes: ItemPlan['changes'] = [];
  params.forEach((param, index) => {
    const path = `items[${index}]`;
    if (param.id) {
      const position = items.findIndex((item) => item.id === param.id);
      if (position === -1) {
        throw invalidRequest(`Invalid subscription item: ${param.id} is not on this subscription.`, {
          param: `${path}[id]`,
        });
      }
      const before = items[position]!;
      if (param.deleted) {
        items.splice(position, 1);
        changes.push({ itemId: before.id, before, after: null });
        return;
      }
      const after = structuredClone(before);
      if (param.price && param.price !== before.price.id) {
        const price = recurringPrice(billing, param.price, `${path}[price]`);
        after.price = price;
        after.plan = newSubscriptionItem({
          subscription: subscription.id,
          price,
          quantity: 1,
          created: at,
          period,
        }).plan;
        // A metered price has no quantity; another keeps the item's unless one is given.
        delete after.quantity;
        const quantity = itemQuantity(
          price,
          isMetered(price) ? param.quantity : (param.quantity ?? before.quantity),
          `${path}[quantity]`,
        );
        if (quantity !== undefined) after.quantity = quantity;
      } else if (param.quantity !== undefined) {
        after.quantity = itemQuantity(after.price, param.quantity, `${path}[quantity]`);
      }
      if (param.metadata !== undefined) {
        after.metadata = mergeMetadata(before.metadata, param.metadata as Record<string, string> | null);
      }
      items[position] = after;
      if (after.price.id !== before.price.id || after.quantity !== before.quantity) {
        changes.push({ itemId: before.id, before, after });
      }
      return;
    }
    if (!param.price) throw invalidRequest('Each new item needs a price.', { param: `${path}[price]` });
    if (param.deleted) throw invalidRequest('An item to delete needs its id.', { param: `${path}[id]` });
    const price = recurringPrice(billing, param.price, `${path}[price]`);
    const added = newSubscriptionItem({
      subscription: subscription.id,
      price,
      quantity: itemQuantity(price, param.quantity, `${path}[quantity]`),
      metadata: initialMetadata(param.metadata as Record<string, string> | undefined),
      created: at,
      period,
    });
    items.push(added);
    changes.push({ itemId: added.id, before: null, after: added });
  });
  if (items.length === 0) {
    throw invalidRequest(
      'A subscription must have at least one active item. To cancel it, delete the subscription.',
      {
        param: 'items',
      },
    );
  }
  if (items.some((item) => item.price.currency !== subscription.currency)) {
    throw invalidRequest('All prices on a subscription must have the same currency.', { param: 'items' });
  }
  const cycleChanges = !sameCycle(subscription.items.data[0]!.price.recurring!, items[0]!.price.recurring!);
  if (items.some((item) => !sameCycle(item.price.recurring!, items[0]!.price.recurring!))) {
    throw invalidRequest(
      'All prices on a subscription must have the same `recurring.interval` and `recurring.interval_count`.',
      {
        param: 'items',
      },
    );
  }
  return { items, changes, cycleChanges };
}

/**
 * Proration invoice items for the plan at `prorationDate`: a credit for each item's old side and,
 * unless the billing cycle resets (then the new period is billed in full instead), a charge for
 * its new side over the rest of the current period.
 */
export function prorationItems(
  billing: Billing,
  subscription: Stripe.Subscription,
  plan: ItemPlan,
  prorationDate: number,
): Stripe.InvoiceItem[] {
  const period = currentPeriod(subscription);
  const rest = { start: prorationDate, end: period.end };
  const out: Stripe.InvoiceItem[] = [];
  const make = (item: Stripe.SubscriptionItem, amount: number, description: string) =>
    newInvoiceItem({
      customer: customerId(subscription.customer),
      currency: subscription.currency,
      amount,
      quantity: item.quantity ?? 1,
      unitAmountDecimal: String(amount / (item.quantity ?? 1)),
      price: item.price,
      description,
      date: prorationDate,
      period: rest,
      proration: true,
      discountable: true,
      invoice: null,
      subscription: subscription.id,
      subscriptionItem: item.id,
      metadata: {},
      testClock: subscription.test_clock as string | null,
    });
  for (const change of plan.changes) {
    // Metered usage is billed in arrears, never prorated.
    if (change.before && !isMetered(change.before.price)) {
      const quantity = change.before.quantity ?? 1;
      const side = prorationSide(billing, change.before.price, quantity);
      const amount = unusedTimeCredit(side, period, prorationDate);
      const name = productName(billing, change.before.price);
      if (amount !== 0)
        out.push(make(change.before, amount, unusedTimeDescription(name, quantity, prorationDate)));
    }
    if (change.after && !plan.cycleChanges && !isMetered(change.after.price)) {
      const quantity = change.after.quantity ?? 1;
      const side = prorationSide(billing, change.after.price, quantity);
      const amount = remainingTimeCharge(side, period, prorationDate);
      const name = productName(billing, change.after.price);
      if (amount !== 0)
        out.push(make(change.after, amount, remainingTimeDescription(name, quantity, prorationDate)));
    }
  }
  return out;
}
