import { and, asc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { ChangeAnnouncer } from '../app-webhooks/announcements.js';
import type { Db, DbOrTx, Tx } from '../db/client.js';
import {
  customers,
  invoices,
  planPrices,
  plans,
  subscriptionItems,
  subscriptions,
} from '../db/schema/index.js';
import { type SortColumns, type SortedPage, sortedPage } from '../http/sorting.js';
import { paymentActionCondition } from '../invoices/repository.js';
import { lockObjects } from '../mirror/locks.js';
import { writeSubscriptionSnapshot } from '../mirror/subscription-writer.js';
import { newId } from '../shared/ids.js';
import { idOf } from '../stripe/mapping.js';

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type ItemRow = typeof subscriptionItems.$inferSelect;
export type PlanPriceRow = typeof planPrices.$inferSelect;

/** A subscription with what its view needs: its first item, its plan's name, the owner's user id. */
export interface SubscriptionRecord {
  subscription: SubscriptionRow;
  item: ItemRow | null;
  planName: string | null;
  ownerUserId: string | null;
  /** The organisation that pays, when the customer is an organisation's (then ownerUserId is null). */
  ownerOrganizationId: string | null;
  /** The owner's sealed contact data, opened only for an admin's list (see the service). */
  ownerContact: { emailEncrypted: string | null; nameEncrypted: string | null } | null;
  /** The hosted invoice page where the customer confirms the latest invoice's payment, while one waits. */
  paymentActionUrl: string | null;
}

export interface SubscriptionFilter {
  stripeStatuses?: string[] | undefined;
  /** true: only those whose payment waits for the customer; false: only the others; null: either. */
  paymentActionRequired?: boolean | null | undefined;
  planId?: string | undefined;
  customerId?: string | undefined;
  provider?: 'stripe' | 'external' | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
}

export const SUBSCRIPTION_SORTS = ['created', 'status'] as const;
export type SubscriptionSort = (typeof SUBSCRIPTION_SORTS)[number];
/** Ties broken by id, so pages never skip nor repeat a row; each key has a (key, id) index. */
export const subscriptionSortColumns: SortColumns<SubscriptionSort, SubscriptionRow> = {
  created: { column: subscriptions.createdAt, kind: 'time', of: (row) => row.createdAt },
  status: { column: subscriptions.status, kind: 'text', of: (row) => row.status },
};

async function withDetails(db: DbOrTx, rows: SubscriptionRow[]): Promise<SubscriptionRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const items = await db
    .select()
    .from(subscriptionItems)
    .where(inArray(subscriptionItems.subscriptionId, ids))
    .orderBy(asc(subscriptionItems.createdAt), asc(subscriptionItems.id));
  const planIds = [...new Set(rows.map((r) => r.planId).filter((id): id is string => id !== null))];
  const planNames = planIds.length
    ? await db.select({ id: plans.id, name: plans.name }).from(plans).where(inArray(plans.id, planIds))
    : [];
  const owners = await db
    .select({
      id: customers.id,
      externalId: customers.externalId,
      organizationId: customers.organizationId,
      emailEncrypted: customers.emailEncrypted,
      nameEncrypted: customers.nameEncrypted,
    })
    .from(customers)
    .where(inArray(customers.id, [...new Set(rows.map((r) => r.customerId))]));
  const latest = rows.map((r) => r.latestInvoiceId).filter((id): id is string => id !== null);
  const waiting = latest.length
    ? await db
        .select({ id: invoices.id, url: invoices.hostedInvoiceUrl })
        .from(invoices)
        .where(
          and(
            inArray(invoices.id, latest),
            eq(invoices.status, 'open'),
            eq(invoices.paymentActionRequired, true),
          ),
        )
    : [];
  return rows.map((subscription) => {
    const own = items.filter((i) => i.subscriptionId === subscription.id);
    const owner = owners.find((o) => o.id === subscription.customerId);
    return {
      subscription,
      item: own.find((i) => i.priceId === subscription.priceId) ?? own[0] ?? null,
      planName: planNames.find((p) => p.id === subscription.planId)?.name ?? null,
      ownerUserId: owner?.externalId ?? null,
      ownerOrganizationId: owner?.organizationId ?? null,
      ownerContact: owner
        ? { emailEncrypted: owner.emailEncrypted, nameEncrypted: owner.nameEncrypted }
        : null,
      paymentActionUrl: waiting.find((w) => w.id === subscription.latestInvoiceId)?.url ?? null,
    };
  });
}

/** Every subscription of a user, their deleted customers' included, oldest first. */
export function subscriptionsOfUserQuery(db: DbOrTx, userId: string) {
  return db
    .select({ subscription: subscriptions })
    .from(subscriptions)
    .innerJoin(customers, eq(customers.id, subscriptions.customerId))
    .where(eq(customers.externalId, userId))
    .orderBy(asc(subscriptions.createdAt), asc(subscriptions.id));
}

export const subscriptionRepository = {
  async find(db: DbOrTx, id: string): Promise<SubscriptionRecord | null> {
    const rows = await db.select().from(subscriptions).where(eq(subscriptions.id, id));
    return (await withDetails(db, rows))[0] ?? null;
  },

  async listOfUser(db: DbOrTx, userId: string): Promise<SubscriptionRecord[]> {
    const rows = await subscriptionsOfUserQuery(db, userId);
    return withDetails(
      db,
      rows.map((r) => r.subscription),
    );
  },

  /** Every subscription of an organisation, its deleted customers' included, oldest first. */
  async listOfOrganization(db: DbOrTx, organizationId: string): Promise<SubscriptionRecord[]> {
    const rows = await db
      .select({ subscription: subscriptions })
      .from(subscriptions)
      .innerJoin(customers, eq(customers.id, subscriptions.customerId))
      .where(eq(customers.organizationId, organizationId))
      .orderBy(asc(subscriptions.createdAt), asc(subscriptions.id));
    return withDetails(
      db,
      rows.map((r) => r.subscription),
    );
  },

  /** One page more than `limit`, so the caller knows whether another page follows. */
  async list(
    db: DbOrTx,
    filter: SubscriptionFilter,
    page: SortedPage<SubscriptionSort>,
  ): Promise<SubscriptionRecord[]> {
    const { orderBy, after } = sortedPage(subscriptionSortColumns, subscriptions.id, page.sort, page.cursor);
    const conditions = [
      filter.stripeStatuses ? inArray(subscriptions.status, filter.stripeStatuses) : undefined,
      filter.paymentActionRequired === true ? paymentActionCondition : undefined,
      filter.paymentActionRequired === false ? sql`not ${paymentActionCondition}` : undefined,
      filter.planId ? eq(subscriptions.planId, filter.planId) : undefined,
      filter.customerId ? eq(subscriptions.customerId, filter.customerId) : undefined,
      filter.provider ? eq(subscriptions.provider, filter.provider) : undefined,
      filter.createdFrom ? gte(subscriptions.createdAt, filter.createdFrom) : undefined,
      filter.createdTo ? lt(subscriptions.createdAt, filter.createdTo) : undefined,
      after,
    ];
    const rows = await db
      .select()
      .from(subscriptions)
      .where(and(...conditions))
      .orderBy(...orderBy)
      .limit(page.limit + 1);
    return withDetails(db, rows);
  },

  /** A catalog price by Recur's id or Stripe's. */
  async findPlanPrice(db: DbOrTx, priceId: string): Promise<PlanPriceRow | null> {
    const [row] = await db
      .select()
      .from(planPrices)
      .where(or(eq(planPrices.id, priceId), eq(planPrices.stripePriceId, priceId)))
      .limit(1);
    return row ?? null;
  },

  /** The live subscription a reactivation of `endedId` made, if one was made. */
  async findReactivationOf(db: DbOrTx, endedId: string): Promise<SubscriptionRow | null> {
    const [row] = await db
      .select()
      .from(subscriptions)
      .where(
        and(
          sql`${subscriptions.metadata} ->> ${REACTIVATED_FROM_METADATA} = ${endedId}`,
          inArray(subscriptions.status, ['incomplete', 'trialing', 'active', 'past_due', 'unpaid', 'paused']),
        ),
      )
      .limit(1);
    return row ?? null;
  },

  /**
   * Applies a subscription Stripe just answered with, as the webhook handler would, stamped with
   * Stripe's clock at the write. It overwrites: nothing after the write can be older than its answer,
   * and the events of the write tie with the stamp, so the worker checks them against Stripe.
   */
  async apply(
    db: Db,
    subscription: Stripe.Subscription,
    at: Date,
    announcer: ChangeAnnouncer,
    /** Wraps the write, in its transaction (the audit trail records it there). */
    around: <T>(tx: Tx, write: () => Promise<T>) => Promise<T> = (_tx, write) => write(),
  ): Promise<void> {
    await db.transaction(async (tx) => {
      const customerId = idOf(subscription.customer)!;
      // The owner too: a user's entitlements are read and announced by one transaction at a time.
      await lockObjects(tx, [subscription.id, customerId]);
      await announcer.around(
        tx,
        { subscriptions: [subscription.id], customers: [customerId] },
        { key: `api:${newId('chg')}`, at },
        () => around(tx, () => writeSubscriptionSnapshot(tx, subscription, at, 'always')),
      );
    });
  },
};

/** Set on a subscription made by reactivating an ended one: the ended one's id. */
export const REACTIVATED_FROM_METADATA = 'recur_reactivated_from';
