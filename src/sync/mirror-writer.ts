import type Stripe from 'stripe';
import type { Tx } from '../db/client.js';
import { lockObjects } from '../mirror/locks.js';
import { upsertMirror, upsertMirrorRows } from '../mirror/repository.js';
import { planIdOfPrice, replaceSubscriptionItems } from '../mirror/subscription-items.js';
import type { PiiCipher } from '../shared/crypto.js';
import type { ListedObject, ListedObjects } from '../stripe/lists.js';
import {
  chargeRow,
  customerRow,
  invoiceRow,
  paymentIntentRow,
  paymentMethodRow,
  refundRow,
  subscriptionItemRows,
  subscriptionRow,
} from '../stripe/mapping.js';
import type { CatalogSync } from './catalog.js';
import { type Counts, MIRROR_OF, type SyncObject, zeroCounts } from './objects.js';
import { syncRepository as repo } from './repository.js';
import { compareFields, type Row, sameName } from './row-compare.js';

/**
 * A product Recur made moments ago that is not in the catalog yet is most likely being written by the
 * plan service right now; adopting it would make that write fail. A later sync adopts it if the write
 * did fail (the product then being a leftover that only the catalog import can recover).
 */
const OWN_PRODUCT_GRACE_MS = 5 * 60 * 1000;

/** One object a sync writes: anything Stripe lists, and a customer's payment methods. */
export type SyncedItem = ListedObjects[ListedObject] | Stripe.PaymentMethod;

const MIRROR_ROW_OF = {
  customers: 'customer',
  payment_methods: 'payment_method',
  invoices: 'invoice',
  payment_intents: 'payment_intent',
  charges: 'charge',
  refunds: 'refund',
} as const;

/**
 * Writes listed Stripe objects into the mirror under the rule every mirror write follows: a row is
 * overwritten only by a strictly newer state. A listing is stamped with a lower bound of when Stripe
 * read it (`ListPage.asOf`), so a row a webhook stamped at the same second or later is left alone;
 * on a tie the webhook's own handler re-reads the object from Stripe, so nothing is lost by waiting.
 */
export class MirrorWriter {
  constructor(private readonly deps: { cipher: PiiCipher; catalogSync: CatalogSync }) {}

  /**
   * Applies one page inside the caller's transaction, holding each object's advisory lock.
   * `fullItems` replaces the embedded item lists of subscriptions that had more than one page.
   */
  async applyPage(
    tx: Tx,
    object: SyncObject,
    items: readonly SyncedItem[],
    asOf: Date,
    fullItems: ReadonlyMap<string, Stripe.SubscriptionItem[]> = new Map(),
  ): Promise<Counts> {
    const counts = zeroCounts();
    counts.seen = items.length;
    // The advisory locks the event worker takes, so a page and a webhook about one of its objects
    // never interleave.
    await lockObjects(
      tx,
      items.map((i) => i.id),
    );
    if (object === 'products' || object === 'prices') {
      // The catalog orders itself (products by `updated`; prices change only `active` and lookup key).
      for (const item of items) {
        if (item.object === 'product') {
          counts[
            await this.deps.catalogSync.applyProduct(item, tx, {
              adoptOwn: item.created * 1000 < asOf.getTime() - OWN_PRODUCT_GRACE_MS,
            })
          ]++;
        } else if (item.object === 'price') {
          counts[await this.deps.catalogSync.applyPrice(item, tx)]++;
        }
      }
      return counts;
    }
    const current = await repo.rowsOf(
      tx,
      MIRROR_OF[object],
      items.map((i) => i.id),
    );
    const rows: Array<{ id: string } & Record<string, unknown>> = [];
    for (const item of items) {
      const row = current.get(item.id);
      if (row && row.stripeEventAt.getTime() >= asOf.getTime()) {
        counts.skipped++;
        continue;
      }
      if (item.object === 'subscription') {
        const subscription = withItems(item, fullItems);
        if (row && (await this.sameSubscription(tx, subscription, row))) {
          counts.skipped++;
          continue;
        }
        await this.writeSubscription(tx, subscription, asOf);
      } else if (item.object !== 'product' && item.object !== 'price') {
        const next = this.rowOf(item);
        // What the mirror already holds as Stripe has it is left as it is, and counted as such.
        if (row && this.sameRow(object, item, next, row)) {
          counts.skipped++;
          continue;
        }
        rows.push(next);
      }
      counts[row ? 'updated' : 'created']++;
    }
    // One statement for the page: a page of 100 costs one round trip, not a hundred. Invoices and
    // refunds (and subscriptions, which file invoices under a plan) keep the revenue rollup by
    // difference in that same write, as the worker's do: an import leaves it right page by page,
    // with no pass over every invoice at the end and nothing wrong should a run stop half way.
    if (object !== 'subscriptions') await upsertMirrorRows(tx, MIRROR_ROW_OF[object], rows, asOf);
    return counts;
  }

  /** The mirror row of an object that maps to one row, told apart by its `object` name. */
  private rowOf(item: Exclude<SyncedItem, Stripe.Product | Stripe.Price | Stripe.Subscription>) {
    switch (item.object) {
      case 'customer':
        return customerRow(item, this.deps.cipher);
      case 'payment_method':
        return paymentMethodRow(item);
      case 'invoice':
        return invoiceRow(item);
      case 'payment_intent':
        return paymentIntentRow(item);
      case 'charge':
        return chargeRow(item);
      case 'refund':
        return refundRow(item);
    }
  }

  private sameRow(
    object: SyncObject,
    item: Exclude<SyncedItem, Stripe.Product | Stripe.Price | Stripe.Subscription>,
    next: Record<string, unknown>,
    row: Row,
  ): boolean {
    if (compareFields(object, item.id, next, row).length) return false;
    return item.object !== 'customer' || sameName(this.deps.cipher, item, row);
  }

  private async sameSubscription(tx: Tx, subscription: Stripe.Subscription, row: Row): Promise<boolean> {
    const next = subscriptionRow(subscription);
    next.planId = await planIdOfPrice(tx, next.priceId ?? null);
    if (compareFields('subscriptions', subscription.id, next, row).length) return false;
    const stored = new Map((await repo.subscriptionItemsOf(tx, subscription.id)).map((i) => [i.id, i]));
    const items = subscriptionItemRows(subscription);
    return (
      items.length === stored.size &&
      items.every((i) => {
        const have = stored.get(i.id);
        return have !== undefined && compareFields('subscriptions', i.id, i, { ...have }).length === 0;
      })
    );
  }

  private async writeSubscription(tx: Tx, subscription: Stripe.Subscription, asOf: Date): Promise<void> {
    const row = subscriptionRow(subscription);
    row.planId = await planIdOfPrice(tx, row.priceId ?? null);
    await upsertMirror(tx, 'subscription', row, asOf);
    await replaceSubscriptionItems(
      tx,
      subscription.id,
      subscriptionItemRows(subscription).map((i) => ({ ...i, stripeEventAt: asOf })),
    );
  }
}

export function withItems(
  subscription: Stripe.Subscription,
  fullItems: ReadonlyMap<string, Stripe.SubscriptionItem[]>,
): Stripe.Subscription {
  const items = fullItems.get(subscription.id);
  return items
    ? { ...subscription, items: { ...subscription.items, data: items, has_more: false } }
    : subscription;
}
