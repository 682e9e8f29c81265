import type Stripe from 'stripe';
import type { ListedObject, ListedObjects, ListPage, StripeLists } from '../stripe/lists.js';

/** Runs one Stripe request the sync's way: paced, retried, abortable. */
export type Ask = <T>(operation: () => Promise<T>) => Promise<T>;

/** Every page of one list, for the reconcile check (the backfill pages itself, to save its cursor). */
export async function listAll<K extends ListedObject>(
  lists: StripeLists,
  ask: Ask,
  object: K,
): Promise<ListedObjects[K][]> {
  const all: ListedObjects[K][] = [];
  let startingAfter: string | undefined;
  for (;;) {
    const page = await ask(() => lists.page(object, { startingAfter }));
    all.push(...page.data);
    startingAfter = page.data.at(-1)?.id;
    if (!page.hasMore || !startingAfter) return all;
  }
}

/** All of one customer's payment methods (rarely more than one page). */
export async function customerPaymentMethodPages(
  lists: StripeLists,
  ask: Ask,
  customerId: string,
): Promise<Array<ListPage<Stripe.PaymentMethod>>> {
  const pages: Array<ListPage<Stripe.PaymentMethod>> = [];
  let startingAfter: string | undefined;
  for (;;) {
    const page = await ask(() => lists.customerPaymentMethods(customerId, startingAfter));
    pages.push(page);
    startingAfter = page.data.at(-1)?.id;
    if (!page.hasMore || !startingAfter) return pages;
  }
}

/** A listed subscription embeds only a first page of its items; the rest of each, by subscription id. */
export async function remainingSubscriptionItems(
  lists: StripeLists,
  ask: Ask,
  subscriptions: Stripe.Subscription[],
): Promise<Map<string, Stripe.SubscriptionItem[]>> {
  const full = new Map<string, Stripe.SubscriptionItem[]>();
  for (const subscription of subscriptions.filter((s) => s.items.has_more)) {
    const items = [...subscription.items.data];
    for (;;) {
      const page = await ask(() => lists.subscriptionItems(subscription.id, items.at(-1)?.id));
      items.push(...page.data);
      if (!page.hasMore || !page.data.length) break;
    }
    full.set(subscription.id, items);
  }
  return full;
}
