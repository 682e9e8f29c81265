import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import {
  customers,
  paymentMethods,
  planPrices,
  plans,
  type SyncObjectCounts,
  subscriptionItems,
  syncRuns,
} from '../db/schema/index.js';
import { MIRROR_TABLES, type MirrorObject } from '../mirror/repository.js';

export type SyncRunRow = typeof syncRuns.$inferSelect;
export type NewSyncRun = typeof syncRuns.$inferInsert;

/** The SQL of sync runs and the mirror reads a backfill needs. */
export const syncRepository = {
  async insertRun(db: DbOrTx, run: NewSyncRun): Promise<SyncRunRow> {
    const [row] = await db.insert(syncRuns).values(run).returning();
    return row!;
  },

  async findRun(db: DbOrTx, id: string): Promise<SyncRunRow | undefined> {
    const [row] = await db.select().from(syncRuns).where(eq(syncRuns.id, id));
    return row;
  },

  recentRuns(db: DbOrTx, limit: number): Promise<SyncRunRow[]> {
    return db.select().from(syncRuns).orderBy(desc(syncRuns.startedAt), desc(syncRuns.id)).limit(limit);
  },

  async latestRun(db: DbOrTx): Promise<SyncRunRow | undefined> {
    const [row] = await this.recentRuns(db, 1);
    return row;
  },

  runningRuns(db: DbOrTx): Promise<SyncRunRow[]> {
    return db.select().from(syncRuns).where(eq(syncRuns.status, 'running'));
  },

  /** The last successful run that listed all of `objects`: incremental runs list from its start. */
  async lastSucceededCovering(db: DbOrTx, objects: string[]): Promise<SyncRunRow | undefined> {
    const [row] = await db
      .select()
      .from(syncRuns)
      .where(
        and(eq(syncRuns.status, 'succeeded'), sql`${syncRuns.objects} @> ${JSON.stringify(objects)}::jsonb`),
      )
      .orderBy(desc(syncRuns.startedAt))
      .limit(1);
    return row;
  },

  /** Saved with the page it describes, in one transaction: the cursor never runs ahead of the data. */
  async saveProgress(
    db: DbOrTx,
    id: string,
    progress: { counts: SyncObjectCounts; cursor: Record<string, string | null> },
  ): Promise<void> {
    await db
      .update(syncRuns)
      .set({ counts: progress.counts, cursor: progress.cursor, heartbeatAt: new Date() })
      .where(eq(syncRuns.id, id));
  },

  async heartbeat(db: DbOrTx, id: string): Promise<void> {
    await db
      .update(syncRuns)
      .set({ heartbeatAt: new Date() })
      .where(and(eq(syncRuns.id, id), eq(syncRuns.status, 'running')));
  },

  async finishRun(
    db: DbOrTx,
    id: string,
    outcome: { status: 'succeeded' | 'failed' | 'interrupted'; error?: string | null },
  ): Promise<SyncRunRow | undefined> {
    const [row] = await db
      .update(syncRuns)
      .set({
        status: outcome.status,
        error: outcome.error ?? null,
        finishedAt: new Date(),
        heartbeatAt: new Date(),
      })
      .where(eq(syncRuns.id, id))
      .returning();
    return row;
  },

  /** Runs whose process died: still `running`, silent since `staleBefore`. */
  async interruptStale(db: DbOrTx, staleBefore: Date): Promise<SyncRunRow[]> {
    return db
      .update(syncRuns)
      .set({
        status: 'interrupted',
        error: 'stopped without finishing (no heartbeat)',
        finishedAt: new Date(),
      })
      .where(and(eq(syncRuns.status, 'running'), lt(syncRuns.heartbeatAt, staleBefore)))
      .returning();
  },

  /** `stripe_event_at` of the rows that exist, by id. */
  /** The mirror's rows of these ids as they are now, by id. */
  async rowsOf(
    db: DbOrTx,
    object: MirrorObject,
    ids: string[],
  ): Promise<Map<string, Record<string, unknown> & { id: string; stripeEventAt: Date }>> {
    if (!ids.length) return new Map();
    const table = MIRROR_TABLES[object] as unknown as typeof customers;
    const rows = await db.select().from(table).where(inArray(table.id, ids));
    return new Map(
      rows.map((r) => [r.id, r as unknown as Record<string, unknown> & { id: string; stripeEventAt: Date }]),
    );
  },

  async subscriptionItemsOf(
    db: DbOrTx,
    subscriptionId: string,
  ): Promise<Array<typeof subscriptionItems.$inferSelect>> {
    return db.select().from(subscriptionItems).where(eq(subscriptionItems.subscriptionId, subscriptionId));
  },

  /**
   * Live customers in id order, after `afterId`: the backfill lists payment methods for each, and
   * looks for deleted ones among those made before a listing (`madeBefore`).
   */
  async customerIdsAfter(
    db: DbOrTx,
    afterId: string | null,
    limit: number,
    madeBefore?: Date,
  ): Promise<string[]> {
    const rows = await db
      .select({ id: customers.id })
      .from(customers)
      .where(
        and(
          eq(customers.deleted, false),
          afterId ? gt(customers.id, afterId) : undefined,
          madeBefore ? lt(customers.createdAt, madeBefore) : undefined,
        ),
      )
      .orderBy(asc(customers.id))
      .limit(limit);
    return rows.map((r) => r.id);
  },

  /**
   * Marks a customer deleted; true if it was live. A deletion is final in Stripe (no later state of
   * the customer can follow it), so it wins over whatever stamp the row holds, and the stamp only
   * moves forward.
   */
  async markCustomerDeleted(db: DbOrTx, id: string, asOf: Date): Promise<boolean> {
    const rows = await db
      .update(customers)
      .set({
        deleted: true,
        stripeEventAt: sql`greatest(${customers.stripeEventAt}, ${asOf})`,
        updatedAt: new Date(),
      })
      .where(and(eq(customers.id, id), eq(customers.deleted, false)))
      .returning({ id: customers.id });
    return rows.length > 0;
  },

  async countLiveCustomers(db: DbOrTx, upToId: string | null = null): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(customers)
      .where(
        upToId
          ? and(eq(customers.deleted, false), sql`${customers.id} <= ${upToId}`)
          : eq(customers.deleted, false),
      );
    return row?.n ?? 0;
  },

  /** Every row of one mirror table, for the reconcile check. */
  async mirrorRows(
    db: DbOrTx,
    object: MirrorObject,
  ): Promise<Array<Record<string, unknown> & { id: string }>> {
    const table = MIRROR_TABLES[object] as unknown as typeof customers;
    return (await db.select().from(table)) as Array<Record<string, unknown> & { id: string }>;
  },

  subscriptionItems(db: DbOrTx): Promise<Array<typeof subscriptionItems.$inferSelect>> {
    return db.select().from(subscriptionItems);
  },

  catalogPlans(db: DbOrTx): Promise<Array<typeof plans.$inferSelect>> {
    return db.select().from(plans);
  },

  catalogPrices(db: DbOrTx): Promise<Array<typeof planPrices.$inferSelect>> {
    return db.select().from(planPrices);
  },

  async paymentMethodIdsOf(db: DbOrTx, customerId: string): Promise<string[]> {
    const rows = await db
      .select({ id: paymentMethods.id })
      .from(paymentMethods)
      .where(eq(paymentMethods.customerId, customerId));
    return rows.map((r) => r.id);
  },
};
