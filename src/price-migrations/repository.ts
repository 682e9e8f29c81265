import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import {
  customers,
  type MigrationItemStatus,
  planPrices,
  plans,
  priceMigrationItems,
  priceMigrations,
  subscriptions,
} from '../db/schema/index.js';

export type MigrationRow = typeof priceMigrations.$inferSelect;
export type MigrationItemRow = typeof priceMigrationItems.$inferSelect;
export type NewMigration = typeof priceMigrations.$inferInsert;
export type NewMigrationItem = typeof priceMigrationItems.$inferInsert;

/** A price of the catalog with its plan's name. */
export interface CatalogPrice {
  stripePriceId: string;
  planId: string;
  planName: string;
  currency: string;
  unitAmount: number | null;
  interval: string | null;
  intervalCount: number;
  active: boolean;
  billingScheme: 'per_unit' | 'tiered';
}

/** A subscription a migration would take, with the owner's sealed contact for the admin's table. */
export interface Candidate {
  id: string;
  customerId: string;
  priceId: string;
  quantity: number;
  status: string;
  currentPeriodEnd: Date | null;
  emailEncrypted: string | null;
  nameEncrypted: string | null;
}

/** Subscriptions that can still renew: an ended or ending one has no renewal to move. */
const MOVABLE_STATUSES = ['active', 'trialing', 'past_due'];

export const priceMigrationRepository = {
  async prices(db: DbOrTx, stripePriceIds: string[]): Promise<CatalogPrice[]> {
    if (!stripePriceIds.length) return [];
    return db
      .select({
        stripePriceId: planPrices.stripePriceId,
        planId: planPrices.planId,
        planName: plans.name,
        currency: planPrices.currency,
        unitAmount: planPrices.unitAmount,
        interval: planPrices.interval,
        intervalCount: planPrices.intervalCount,
        active: planPrices.active,
        billingScheme: planPrices.billingScheme,
      })
      .from(planPrices)
      .innerJoin(plans, eq(plans.id, planPrices.planId))
      .where(inArray(planPrices.stripePriceId, stripePriceIds));
  },

  /** Stripe subscriptions on one of the prices that will renew, oldest first. */
  async candidates(db: DbOrTx, priceIds: string[]): Promise<Candidate[]> {
    return db
      .select({
        id: subscriptions.id,
        customerId: subscriptions.customerId,
        priceId: sql<string>`${subscriptions.priceId}`,
        quantity: subscriptions.quantity,
        status: subscriptions.status,
        currentPeriodEnd: subscriptions.currentPeriodEnd,
        emailEncrypted: customers.emailEncrypted,
        nameEncrypted: customers.nameEncrypted,
      })
      .from(subscriptions)
      .leftJoin(customers, eq(customers.id, subscriptions.customerId))
      .where(
        and(
          inArray(subscriptions.priceId, priceIds),
          eq(subscriptions.provider, 'stripe'),
          inArray(subscriptions.status, MOVABLE_STATUSES),
          eq(subscriptions.cancelAtPeriodEnd, false),
          isNull(subscriptions.cancelAt),
        ),
      )
      .orderBy(asc(subscriptions.createdAt), asc(subscriptions.id));
  },

  /** Subscriptions of `ids` that an unfinished or scheduled move of another migration holds. */
  async heldElsewhere(db: DbOrTx, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await db
      .select({ id: priceMigrationItems.subscriptionId })
      .from(priceMigrationItems)
      .where(
        and(
          inArray(priceMigrationItems.subscriptionId, ids),
          inArray(priceMigrationItems.status, ['pending', 'processing', 'scheduled']),
        ),
      );
    return rows.map((r) => r.id);
  },

  async insert(db: DbOrTx, migration: NewMigration, items: NewMigrationItem[]): Promise<void> {
    await db.insert(priceMigrations).values(migration);
    for (let i = 0; i < items.length; i += 500) {
      await db.insert(priceMigrationItems).values(items.slice(i, i + 500));
    }
  },

  async find(db: DbOrTx, id: string): Promise<MigrationRow | null> {
    const [row] = await db.select().from(priceMigrations).where(eq(priceMigrations.id, id));
    return row ?? null;
  },

  list(db: DbOrTx, limit: number): Promise<MigrationRow[]> {
    return db.select().from(priceMigrations).orderBy(desc(priceMigrations.createdAt)).limit(limit);
  },

  /** Its items with whether the mirror shows the subscription on the new price yet (renewed). */
  async items(db: DbOrTx, migration: MigrationRow) {
    return db
      .select({
        item: priceMigrationItems,
        currentPriceId: subscriptions.priceId,
        emailEncrypted: customers.emailEncrypted,
        nameEncrypted: customers.nameEncrypted,
      })
      .from(priceMigrationItems)
      .leftJoin(subscriptions, eq(subscriptions.id, priceMigrationItems.subscriptionId))
      .leftJoin(customers, eq(customers.id, priceMigrationItems.customerId))
      .where(eq(priceMigrationItems.migrationId, migration.id))
      .orderBy(asc(priceMigrationItems.position));
  },

  /** Scheduled moves whose subscription the mirror shows on the new price: renewed into it. */
  async renewedCount(db: DbOrTx, migration: MigrationRow): Promise<number> {
    const [row] = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(priceMigrationItems)
      .innerJoin(subscriptions, eq(subscriptions.id, priceMigrationItems.subscriptionId))
      .where(
        and(
          eq(priceMigrationItems.migrationId, migration.id),
          eq(priceMigrationItems.status, 'scheduled'),
          eq(subscriptions.priceId, migration.toPriceId),
        ),
      );
    return row?.count ?? 0;
  },

  /** Counts by status, of each migration in `ids`. */
  async counts(db: DbOrTx, ids: string[]) {
    if (!ids.length) return [];
    return db
      .select({
        migrationId: priceMigrationItems.migrationId,
        status: priceMigrationItems.status,
        count: sql<number>`count(*)::int`,
      })
      .from(priceMigrationItems)
      .where(inArray(priceMigrationItems.migrationId, ids))
      .groupBy(priceMigrationItems.migrationId, priceMigrationItems.status);
  },

  /**
   * Takes the lease of a running migration no live runner holds: the first one whose lease is
   * empty or ran out. A runner renews it as it goes; one that crashed leaves it to run out.
   */
  async claim(db: DbOrTx, now: Date, leaseMs: number): Promise<MigrationRow | null> {
    const [row] = await db
      .update(priceMigrations)
      .set({ leaseUntil: new Date(now.getTime() + leaseMs) })
      .where(
        and(
          eq(priceMigrations.status, 'running'),
          or(isNull(priceMigrations.leaseUntil), lt(priceMigrations.leaseUntil, now)),
          eq(
            priceMigrations.id,
            sql`(select id from price_migrations where status = 'running'
                 and (lease_until is null or lease_until < ${now.toISOString()}::timestamptz)
                 order by created_at limit 1)`,
          ),
        ),
      )
      .returning();
    return row ?? null;
  },

  async renew(db: DbOrTx, id: string, until: Date | null): Promise<void> {
    await db.update(priceMigrations).set({ leaseUntil: until }).where(eq(priceMigrations.id, id));
  },

  /** The items still to do, in order. */
  unfinished(db: DbOrTx, id: string, limit: number): Promise<MigrationItemRow[]> {
    return db
      .select()
      .from(priceMigrationItems)
      .where(
        and(
          eq(priceMigrationItems.migrationId, id),
          inArray(priceMigrationItems.status, ['pending', 'processing']),
        ),
      )
      .orderBy(asc(priceMigrationItems.position))
      .limit(limit);
  },

  async setItem(
    db: DbOrTx,
    migrationId: string,
    subscriptionId: string,
    change: {
      status: MigrationItemStatus;
      reason?: string | null;
      scheduleId?: string | null;
      effectiveAt?: Date | null;
    },
  ): Promise<void> {
    await db
      .update(priceMigrationItems)
      .set({ ...change, updatedAt: new Date() })
      .where(
        and(
          eq(priceMigrationItems.migrationId, migrationId),
          eq(priceMigrationItems.subscriptionId, subscriptionId),
        ),
      );
  },

  async finish(db: DbOrTx, id: string, status: 'completed' | 'undone', at: Date): Promise<void> {
    await db
      .update(priceMigrations)
      .set(
        status === 'completed'
          ? { status, finishedAt: at, leaseUntil: null }
          : { status, undoneAt: at, leaseUntil: null },
      )
      .where(eq(priceMigrations.id, id));
  },
};
