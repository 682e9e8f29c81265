import { and, eq, lte, sql } from 'drizzle-orm';
import { type DbOrTx, runStatement, type Statement } from '../db/client.js';
import { usageCounters, usageEvents, usageReservations } from '../db/schema/index.js';
import type { Benefit, PlanKind } from '../db/schema/plans.js';
import { ACCESS_STATUSES } from '../entitlements/rules.js';
import type { PayerKey } from './credits-ledger.js';
import type { Interval, UsagePeriod } from './periods.js';
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

/**
 * The subscriptions of several payers that may give access (see `payerSubscriptions`), by
 * `payerRef`: one prepared statement, as every usage write and check reads them.
 */
/**
 * The subscriptions of payers that may give access, as SQL: `customers c` joined to their
 * subscriptions `s`, plans `p` and prices `pp`, the payers chosen by `payers` (a condition on `c`),
 * the statuses by the text-array parameter `statuses`, none frozen by a dispute, in the catalog's
 * plan order. Shared by `payersSubscriptions` and the check's one statement (check-snapshot.ts).
 */
export const payerSubscriptionsSql = (payers: string, statuses: string) => ({
  from: `
    from customers c
    join subscriptions s on s.customer_id = c.id
    left join plans p on p.id = s.plan_id
    left join plan_prices pp on pp.stripe_price_id = s.price_id
    where (${payers}) and not c.deleted and s.status = any(${statuses}::text[])
      and not exists (select 1 from disputes d where d.subscription_id = s.id and d.access_frozen)`,
  order: 'p.created_at asc nulls last, p.id asc, s.created_at asc, s.id asc',
});

const chosen = payerSubscriptionsSql(
  'c.external_id = any($1::text[]) or c.organization_id = any($2::text[])',
  '$3',
);
const PAYERS_SUBSCRIPTIONS: Statement = {
  name: 'recur_usage_payers_subscriptions',
  text: `
    select c.external_id, c.organization_id, s.id, s.plan_id, p.kind, s.quantity, s.status, s.provider,
           s.cancel_at_period_end, s.cancel_at, s.current_period_start, s.current_period_end, p.benefits,
           pp.interval, pp.interval_count
    ${chosen.from}
    order by ${chosen.order}`,
};

interface PayerSubscriptionRow {
  external_id: string | null;
  organization_id: string | null;
  id: string;
  plan_id: string | null;
  kind: PlanKind | null;
  quantity: number;
  status: string;
  provider: 'stripe' | 'external';
  cancel_at_period_end: boolean;
  cancel_at: Date | null;
  current_period_start: Date | null;
  current_period_end: Date | null;
  benefits: Benefit[] | null;
  interval: Interval | null;
  interval_count: number | null;
}

export async function payersSubscriptions(
  db: DbOrTx,
  payers: readonly PayerKey[],
): Promise<Map<string, PayerSubscription[]>> {
  const byPayer = new Map<string, PayerSubscription[]>(payers.map((p) => [payerRef(p), []]));
  if (!payers.length) return byPayer;
  const idsOf = (kind: PayerKey['payerKind']) =>
    payers.filter((p) => p.payerKind === kind).map((p) => p.payerId);
  const rows = await runStatement<PayerSubscriptionRow>(db, PAYERS_SUBSCRIPTIONS, [
    idsOf('user'),
    idsOf('organization'),
    [...ACCESS_STATUSES],
  ]);
  for (const r of rows) {
    const sub: PayerSubscription = {
      id: r.id,
      planId: r.plan_id,
      kind: r.kind ?? 'base',
      quantity: r.quantity,
      status: r.status,
      provider: r.provider,
      cancelAtPeriodEnd: r.cancel_at_period_end,
      cancelAt: r.cancel_at,
      currentPeriodStart: r.current_period_start,
      currentPeriodEnd: r.current_period_end,
      benefits: r.benefits ?? [],
      interval: r.interval,
      intervalCount: r.interval_count,
    };
    if (r.external_id !== null)
      byPayer.get(payerRef({ payerKind: 'user', payerId: r.external_id }))?.push(sub);
    if (r.organization_id !== null)
      byPayer.get(payerRef({ payerKind: 'organization', payerId: r.organization_id }))?.push(sub);
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
