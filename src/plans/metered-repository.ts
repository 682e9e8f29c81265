import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { planMeteredPrices, planPrices, usageMeters } from '../db/schema/index.js';

export type MeterRow = typeof usageMeters.$inferSelect;
export type MeteredPriceRow = typeof planMeteredPrices.$inferSelect;
export type NewMeteredPriceRow = typeof planMeteredPrices.$inferInsert;

/** SQL of the meters and the plans' metered (overage) prices. */
export const meteredRepository = {
  async meter(db: DbOrTx, feature: string): Promise<MeterRow | null> {
    const [row] = await db.select().from(usageMeters).where(eq(usageMeters.feature, feature));
    return row ?? null;
  },

  /** Keeps the first meter recorded for a feature: a racing writer reads the winner's. */
  async recordMeter(db: DbOrTx, row: typeof usageMeters.$inferInsert): Promise<MeterRow> {
    await db.insert(usageMeters).values(row).onConflictDoNothing();
    return (await this.meter(db, row.feature))!;
  },

  meters(db: DbOrTx): Promise<MeterRow[]> {
    return db.select().from(usageMeters).orderBy(asc(usageMeters.feature));
  },

  activePrices(db: DbOrTx, planIds: string[]): Promise<MeteredPriceRow[]> {
    if (planIds.length === 0) return Promise.resolve([]);
    return db
      .select()
      .from(planMeteredPrices)
      .where(and(inArray(planMeteredPrices.planId, planIds), eq(planMeteredPrices.active, true)))
      .orderBy(asc(planMeteredPrices.createdAt), asc(planMeteredPrices.id));
  },

  byStripePriceId(db: DbOrTx, stripePriceId: string): Promise<MeteredPriceRow | undefined> {
    return db
      .select()
      .from(planMeteredPrices)
      .where(eq(planMeteredPrices.stripePriceId, stripePriceId))
      .then((rows) => rows[0]);
  },

  /**
   * The metered prices a subscription to this licensed price carries: its plan's active ones in the
   * same currency and interval (also for an archived licensed price a subscriber still pays).
   */
  async forLicensedPrice(db: DbOrTx, stripePriceId: string): Promise<string[]> {
    const rows = await db
      .select({ id: planMeteredPrices.stripePriceId })
      .from(planPrices)
      .innerJoin(
        planMeteredPrices,
        and(
          eq(planMeteredPrices.planId, planPrices.planId),
          eq(planMeteredPrices.currency, planPrices.currency),
          eq(planMeteredPrices.interval, planPrices.interval),
          eq(planMeteredPrices.intervalCount, planPrices.intervalCount),
          eq(planMeteredPrices.active, true),
        ),
      )
      .where(eq(planPrices.stripePriceId, stripePriceId))
      .orderBy(asc(planMeteredPrices.feature));
    return rows.map((r) => r.id);
  },

  async archive(db: DbOrTx, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await db
      .update(planMeteredPrices)
      .set({ active: false, archivedAt: new Date() })
      .where(and(inArray(planMeteredPrices.id, ids), eq(planMeteredPrices.active, true)));
  },

  async insert(db: DbOrTx, rows: NewMeteredPriceRow[]): Promise<void> {
    if (rows.length > 0) await db.insert(planMeteredPrices).values(rows).onConflictDoNothing();
  },

  async setActive(db: DbOrTx, id: string, active: boolean): Promise<void> {
    await db
      .update(planMeteredPrices)
      .set({ active, archivedAt: active ? null : new Date() })
      .where(eq(planMeteredPrices.id, id));
  },
};
