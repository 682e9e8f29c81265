import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import {
  customers,
  disputes,
  planPrices,
  plans,
  subscriptions,
  usageCounters,
  usageEvents,
  usageReservations,
} from '../db/schema/index.js';
import { ACCESS_STATUSES } from '../entitlements/rules.js';
import type { PayerKey } from './credits-ledger.js';
import type { UsagePeriod } from './periods.js';
import type { PayerSubscription } from './rules.js';

export type CounterRow = typeof usageCounters.$inferSelect;
export type ReservationRow = typeof usageReservations.$inferSelect;
export type NewUsageEvent = typeof usageEvents.$inferInsert;

/** A payer's counter of one feature. */
export type CounterKey = PayerKey & { feature: string };

const ofCounter = (key: CounterKey, periodStart: Date) =>
  and(
    eq(usageCounters.payerKind, key.payerKind),
    eq(usageCounters.payerId, key.payerId),
    eq(usageCounters.feature, key.feature),
    eq(usageCounters.periodStart, periodStart),
  );

/** A counter row as JSON (snake_case columns, timestamps as text) in the schema's shape. */
export function counterRowOf(u: Record<string, string | number | null>): CounterRow {
  return {
    payerKind: u.payer_kind === 'organization' ? 'organization' : 'user',
    payerId: String(u.payer_id),
    feature: String(u.feature),
    periodStart: new Date(String(u.period_start)),
    periodEnd: u.period_end === null ? null : new Date(String(u.period_end)),
    used: Number(u.used),
    reserved: Number(u.reserved),
    limitFloor: Number(u.limit_floor),
    creditsDrawn: Number(u.credits_drawn),
    overageReported: Number(u.overage_reported),
    announcedPercent: Number(u.announced_percent),
    updatedAt: new Date(String(u.updated_at)),
  };
}

/** A payer as a map key. */
export const payerRef = (payer: PayerKey): string => JSON.stringify([payer.payerKind, payer.payerId]);

/**
 * The payer's subscriptions that may give access, with their plans' benefits and their prices'
 * intervals, in the catalog's plan order (as the entitlements read them): the user's own customer,
 * or the organisation's. A subscription frozen by a dispute gives nothing.
 */
export async function payerSubscriptions(db: DbOrTx, payer: PayerKey): Promise<PayerSubscription[]> {
  return (await payersSubscriptions(db, [payer])).get(payerRef(payer)) ?? [];
}

/** `payerSubscriptions` of several payers in one statement, by `payerRef`. */
export async function payersSubscriptions(
  db: DbOrTx,
  payers: readonly PayerKey[],
): Promise<Map<string, PayerSubscription[]>> {
  const byPayer = new Map<string, PayerSubscription[]>(payers.map((p) => [payerRef(p), []]));
  const users = payers.filter((p) => p.payerKind === 'user').map((p) => p.payerId);
  const organizations = payers.filter((p) => p.payerKind === 'organization').map((p) => p.payerId);
  if (!payers.length) return byPayer;
  const rows = await db
    .select({
      externalId: customers.externalId,
      organizationId: customers.organizationId,
      id: subscriptions.id,
      planId: subscriptions.planId,
      kind: plans.kind,
      quantity: subscriptions.quantity,
      status: subscriptions.status,
      provider: subscriptions.provider,
      cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
      cancelAt: subscriptions.cancelAt,
      currentPeriodStart: subscriptions.currentPeriodStart,
      currentPeriodEnd: subscriptions.currentPeriodEnd,
      benefits: plans.benefits,
      interval: planPrices.interval,
      intervalCount: planPrices.intervalCount,
    })
    .from(customers)
    .innerJoin(subscriptions, eq(subscriptions.customerId, customers.id))
    .leftJoin(plans, eq(plans.id, subscriptions.planId))
    .leftJoin(planPrices, eq(planPrices.stripePriceId, subscriptions.priceId))
    .where(
      and(
        or(
          users.length ? inArray(customers.externalId, users) : undefined,
          organizations.length ? inArray(customers.organizationId, organizations) : undefined,
        ),
        sql`not ${customers.deleted}`,
        inArray(subscriptions.status, [...ACCESS_STATUSES]),
        sql`not exists (select 1 from ${disputes} where ${disputes.subscriptionId} = ${subscriptions.id} and ${disputes.accessFrozen})`,
      ),
    )
    .orderBy(
      sql`${plans.createdAt} asc nulls last`,
      asc(plans.id),
      asc(subscriptions.createdAt),
      asc(subscriptions.id),
    );
  for (const { externalId, organizationId, ...row } of rows) {
    const sub = { ...row, kind: row.kind ?? 'base', benefits: row.benefits ?? [] };
    if (externalId !== null) byPayer.get(payerRef({ payerKind: 'user', payerId: externalId }))?.push(sub);
    if (organizationId !== null)
      byPayer.get(payerRef({ payerKind: 'organization', payerId: organizationId }))?.push(sub);
  }
  return byPayer;
}

export const usageRepository = {
  /**
   * Inserts the events; one whose idempotency key the payer and feature already used is skipped.
   * Answers the keys inserted, as `payerKind:payerId:feature:key`.
   */
  async insertEvents(tx: DbOrTx, events: NewUsageEvent[]): Promise<Set<string>> {
    if (!events.length) return new Set();
    const rows = await tx.insert(usageEvents).values(events).onConflictDoNothing().returning({
      payerKind: usageEvents.payerKind,
      payerId: usageEvents.payerId,
      feature: usageEvents.feature,
      idempotencyKey: usageEvents.idempotencyKey,
    });
    return new Set(rows.map((r) => eventKey(r)));
  },

  /**
   * Adds to the period's counter, making it when it is the first use, and raises its limit floor
   * to `limit` (never lowers it). The row stays locked until the transaction ends: concurrent
   * writers to one counter queue here.
   */
  async addToCounter(
    tx: DbOrTx,
    key: CounterKey,
    period: UsagePeriod,
    limit: number,
    used = 0,
  ): Promise<CounterRow> {
    const [row] = await tx
      .insert(usageCounters)
      .values({
        payerKind: key.payerKind,
        payerId: key.payerId,
        feature: key.feature,
        periodStart: period.start,
        periodEnd: period.end,
        used,
        limitFloor: limit,
      })
      .onConflictDoUpdate({
        target: [
          usageCounters.payerKind,
          usageCounters.payerId,
          usageCounters.feature,
          usageCounters.periodStart,
        ],
        set: {
          used: sql`${usageCounters.used} + excluded.used`,
          limitFloor: sql`greatest(${usageCounters.limitFloor}, excluded.limit_floor)`,
          updatedAt: sql`now()`,
        },
      })
      .returning();
    return row!;
  },

  /** Changes a counter's running figures by the given amounts. */
  async adjustCounter(
    tx: DbOrTx,
    key: CounterKey,
    periodStart: Date,
    delta: { used?: number; reserved?: number; creditsDrawn?: number },
  ): Promise<CounterRow | null> {
    const [row] = await tx
      .update(usageCounters)
      .set({
        used: sql`${usageCounters.used} + ${delta.used ?? 0}`,
        reserved: sql`greatest(0, ${usageCounters.reserved} + ${delta.reserved ?? 0})`,
        creditsDrawn: sql`${usageCounters.creditsDrawn} + ${delta.creditsDrawn ?? 0}`,
        updatedAt: sql`now()`,
      })
      .where(ofCounter(key, periodStart))
      .returning();
    return row ?? null;
  },

  /** Raises the announced threshold; false when another writer already announced it. */
  async markAnnounced(tx: DbOrTx, key: CounterKey, periodStart: Date, percent: number): Promise<boolean> {
    const rows = await tx
      .update(usageCounters)
      .set({ announcedPercent: percent })
      .where(and(ofCounter(key, periodStart), sql`${usageCounters.announcedPercent} < ${percent}`))
      .returning({ percent: usageCounters.announcedPercent });
    return rows.length > 0;
  },

  async counter(db: DbOrTx, key: CounterKey, periodStart: Date): Promise<CounterRow | null> {
    const [row] = await db.select().from(usageCounters).where(ofCounter(key, periodStart));
    return row ?? null;
  },

  async insertReservation(tx: DbOrTx, row: typeof usageReservations.$inferInsert): Promise<void> {
    await tx.insert(usageReservations).values(row);
  },

  /** The reservation, locked until the transaction ends. */
  async lockReservation(tx: DbOrTx, id: string): Promise<ReservationRow | null> {
    const [row] = await tx.select().from(usageReservations).where(eq(usageReservations.id, id)).for('update');
    return row ?? null;
  },

  async settleReservation(
    tx: DbOrTx,
    id: string,
    status: 'confirmed' | 'released' | 'expired',
    at: Date,
  ): Promise<void> {
    await tx.update(usageReservations).set({ status, settledAt: at }).where(eq(usageReservations.id, id));
  },

  /** Held reservations past their expiry, locked (skipping those another sweep holds). */
  async dueReservations(tx: DbOrTx, now: Date, limit: number): Promise<ReservationRow[]> {
    return tx
      .select()
      .from(usageReservations)
      .where(and(eq(usageReservations.status, 'held'), lte(usageReservations.expiresAt, now)))
      .limit(limit)
      .for('update', { skipLocked: true });
  },
};

export const eventKey = (e: {
  payerKind: string;
  payerId: string;
  feature: string;
  idempotencyKey: string;
}) => JSON.stringify([e.payerKind, e.payerId, e.feature, e.idempotencyKey]);
