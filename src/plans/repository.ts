import { and, asc, eq, inArray, isNotNull, isNull, ne, notInArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { planPrices, plans, subscriptions } from '../db/schema/index.js';
import { stripeStatusesOf } from '../subscriptions/status.js';

export type PlanRow = typeof plans.$inferSelect;
export type PriceRow = typeof planPrices.$inferSelect;
export type NewPlanRow = typeof plans.$inferInsert;
export type NewPriceRow = typeof planPrices.$inferInsert;
export type PlanWithPrices = PlanRow & { prices: PriceRow[] };

async function withPrices(db: DbOrTx, plan: PlanRow): Promise<PlanWithPrices> {
  const prices = await db
    .select()
    .from(planPrices)
    .where(eq(planPrices.planId, plan.id))
    .orderBy(asc(planPrices.createdAt), asc(planPrices.id));
  return { ...plan, prices };
}

/** SQL of the plan catalog. Every function takes the connection or transaction to run on. */
export const planRepository = {
  async findById(db: DbOrTx, id: string): Promise<PlanWithPrices | null> {
    const [plan] = await db.select().from(plans).where(eq(plans.id, id));
    return plan ? withPrices(db, plan) : null;
  },

  /** By id or by key (`/api/plans/pro`); an id match wins should a key ever equal an id. */
  async findByIdOrKey(db: DbOrTx, idOrKey: string): Promise<PlanWithPrices | null> {
    const [plan] = await db
      .select()
      .from(plans)
      .where(or(eq(plans.id, idOrKey), eq(plans.key, idOrKey)))
      .orderBy(sql`${plans.id} = ${idOrKey} desc`)
      .limit(1);
    return plan ? withPrices(db, plan) : null;
  },

  async findByKey(db: DbOrTx, key: string): Promise<PlanRow | null> {
    const [plan] = await db.select().from(plans).where(eq(plans.key, key));
    return plan ?? null;
  },

  async findByStripeProductId(db: DbOrTx, productId: string): Promise<PlanRow | null> {
    const [plan] = await db.select().from(plans).where(eq(plans.stripeProductId, productId));
    return plan ?? null;
  },

  async list(db: DbOrTx, status: 'active' | 'archived' | 'all'): Promise<PlanWithPrices[]> {
    const rows = await db
      .select()
      .from(plans)
      .where(status === 'all' ? undefined : eq(plans.status, status))
      .orderBy(asc(plans.createdAt), asc(plans.id));
    if (rows.length === 0) return [];
    const prices = await db
      .select()
      .from(planPrices)
      .where(
        and(
          inArray(
            planPrices.planId,
            rows.map((p) => p.id),
          ),
          // The public catalog shows what can be bought; archived prices stay visible to admins.
          status === 'active' ? eq(planPrices.active, true) : undefined,
        ),
      )
      .orderBy(asc(planPrices.createdAt), asc(planPrices.id));
    return rows.map((plan) => ({ ...plan, prices: prices.filter((p) => p.planId === plan.id) }));
  },

  async findPrice(db: DbOrTx, planId: string, priceId: string): Promise<PriceRow | null> {
    const [price] = await db
      .select()
      .from(planPrices)
      .where(
        and(
          eq(planPrices.planId, planId),
          or(eq(planPrices.id, priceId), eq(planPrices.stripePriceId, priceId)),
        ),
      );
    return price ?? null;
  },

  async findPriceByStripeId(db: DbOrTx, stripePriceId: string): Promise<PriceRow | null> {
    const [price] = await db.select().from(planPrices).where(eq(planPrices.stripePriceId, stripePriceId));
    return price ?? null;
  },

  /** The plans of Stripe prices, by Stripe price id, in one statement (prices of no plan are left out). */
  async plansOfStripePrices(db: DbOrTx, stripePriceIds: readonly string[]): Promise<Map<string, PlanRow>> {
    if (stripePriceIds.length === 0) return new Map();
    const rows = await db
      .select({ stripePriceId: planPrices.stripePriceId, plan: plans })
      .from(planPrices)
      .innerJoin(plans, eq(plans.id, planPrices.planId))
      .where(inArray(planPrices.stripePriceId, [...new Set(stripePriceIds)]));
    return new Map(rows.map((r) => [r.stripePriceId, r.plan]));
  },

  async takenLookupKeys(db: DbOrTx, keys: string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows = await db
      .select({ key: planPrices.lookupKey })
      .from(planPrices)
      .where(and(isNotNull(planPrices.lookupKey), inArray(planPrices.lookupKey, keys)));
    return rows.map((r) => r.key!);
  },

  /** Benefit key → the type it has in other plans (a key means one thing across the catalog). */
  async benefitTypes(
    db: DbOrTx,
    excludePlanId?: string,
  ): Promise<Array<{ planKey: string; key: string; value: unknown }>> {
    const rows = await db
      .select({ planKey: plans.key, benefits: plans.benefits })
      .from(plans)
      .where(excludePlanId ? ne(plans.id, excludePlanId) : undefined);
    return rows.flatMap((r) => r.benefits.map((b) => ({ planKey: r.planKey, key: b.key, value: b.value })));
  },

  /** Active plans other than `excludePlanId` that have an active price identical to the given one. */
  async plansWithSamePrice(
    db: DbOrTx,
    price: Pick<PriceRow, 'currency' | 'unitAmount' | 'tiersMode' | 'tiers' | 'interval' | 'intervalCount'>,
    excludePlanId?: string,
  ): Promise<PlanRow[]> {
    const rows = await db
      .select({ plan: plans })
      .from(planPrices)
      .innerJoin(plans, eq(plans.id, planPrices.planId))
      .where(
        and(
          eq(plans.status, 'active'),
          eq(planPrices.active, true),
          excludePlanId ? ne(plans.id, excludePlanId) : undefined,
          eq(planPrices.currency, price.currency),
          price.interval === null ? isNull(planPrices.interval) : eq(planPrices.interval, price.interval),
          eq(planPrices.intervalCount, price.intervalCount),
          price.unitAmount === null
            ? sql`${planPrices.unitAmount} is null and ${planPrices.tiersMode} = ${price.tiersMode} and ${planPrices.tiers} = ${JSON.stringify(price.tiers)}::jsonb`
            : eq(planPrices.unitAmount, price.unitAmount),
        ),
      );
    return rows.map((r) => r.plan);
  },

  /** The add-ons that name this plan among the base plans they require. */
  async addOnsRequiring(db: DbOrTx, planId: string): Promise<string[]> {
    const rows = await db
      .select({ id: plans.id })
      .from(plans)
      .where(
        and(eq(plans.kind, 'add_on'), sql`${plans.requiresPlans} @> ${JSON.stringify([planId])}::jsonb`),
      );
    return rows.map((r) => r.id);
  },

  async insertPlan(db: DbOrTx, plan: NewPlanRow): Promise<void> {
    await db.insert(plans).values(plan);
  },

  /**
   * Prices are keyed by Stripe's id: the price webhook and the service that created the price may
   * each write it first, and both end in the same row.
   */
  async upsertPrices(db: DbOrTx, rows: NewPriceRow[]): Promise<void> {
    for (const row of rows) {
      const { id: _id, createdAt: _c, ...changes } = row;
      await db
        .insert(planPrices)
        .values(row)
        .onConflictDoUpdate({ target: planPrices.stripePriceId, set: changes });
    }
  },

  async updatePlan(db: DbOrTx, id: string, changes: Partial<NewPlanRow>): Promise<void> {
    await db
      .update(plans)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(plans.id, id));
  },

  async updatePrice(db: DbOrTx, id: string, changes: Partial<NewPriceRow>): Promise<void> {
    await db.update(planPrices).set(changes).where(eq(planPrices.id, id));
  },

  async archivePrices(db: DbOrTx, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await db
      .update(planPrices)
      .set({ active: false, archivedAt: sql`coalesce(${planPrices.archivedAt}, now())` })
      .where(inArray(planPrices.id, ids));
  },

  async releaseLookupKey(db: DbOrTx, lookupKey: string): Promise<void> {
    await db.update(planPrices).set({ lookupKey: null }).where(eq(planPrices.lookupKey, lookupKey));
  },

  /** A subscription to the plan that has not ended, if any. */
  async liveSubscription(db: DbOrTx, planId: string): Promise<string | null> {
    const [row] = await db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.planId, planId),
          notInArray(subscriptions.status, stripeStatusesOf('cancelled')),
        ),
      )
      .limit(1);
    return row?.id ?? null;
  },

  async deletePlan(db: DbOrTx, id: string): Promise<void> {
    await db.delete(plans).where(eq(plans.id, id));
  },
};
