import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows, type Tx } from '../db/client.js';
import { meterReports, type PayerKind, usageCounters } from '../db/schema/index.js';
import { newId } from '../shared/ids.js';

export type MeterReportRow = typeof meterReports.$inferSelect;

/** Session-free: released with the collecting transaction, so a crashed reporter holds nothing. */
const COLLECT_LOCK = 'recur.usage.meter_reports';

/** A counter whose billable overage is more than was reported: the delta to report now. */
export interface DueOverage {
  payerKind: PayerKind;
  payerId: string;
  feature: string;
  periodStart: Date;
  periodEnd: Date | null;
  /** Units beyond the allowance not paid from credits, in all. */
  billable: number;
  reported: number;
  eventName: string;
  customerId: string;
}

/** One payer's reports for one feature and period, summed, for the reconcile. */
export interface ReportedTotal {
  payerKind: PayerKind;
  payerId: string;
  feature: string;
  periodStart: Date;
  periodEnd: Date | null;
  customerId: string;
  sent: number;
  pending: number;
}

/** SQL of the meter reports (the outbox of overage written to Stripe's meters). */
export const meterReportsRepository = {
  async tryCollectLock(tx: Tx): Promise<boolean> {
    const [row] = await queryRows<{ locked: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(hashtextextended(${COLLECT_LOCK}, 0)) as locked`,
    );
    return row?.locked === true;
  },

  /**
   * Counters of metered features (those with a meter) whose billable overage, `used` beyond
   * `limit_floor` less what credits paid, exceeds `overage_reported`, locked for the update that
   * raises it; with the payer's live Stripe customer, the one the meter events name.
   */
  async lockDue(tx: Tx, limit: number): Promise<DueOverage[]> {
    const rows = await queryRows<{
      payer_kind: PayerKind;
      payer_id: string;
      feature: string;
      period_start: string | Date;
      period_end: string | Date | null;
      billable: string | number;
      reported: string | number;
      event_name: string;
      customer_id: string;
    }>(
      tx,
      sql`select c.payer_kind, c.payer_id, c.feature, c.period_start, c.period_end,
            greatest(0, c.used - c.limit_floor - c.credits_drawn) as billable,
            c.overage_reported as reported, m.event_name, cu.id as customer_id
          from usage_counters c
          join usage_meters m on m.feature = c.feature
          join lateral (
            select id from customers cu
            where not cu.deleted
              and ((c.payer_kind = 'user' and cu.external_id = c.payer_id)
                or (c.payer_kind = 'organization' and cu.organization_id = c.payer_id))
            order by cu.created_at desc limit 1
          ) cu on true
          where greatest(0, c.used - c.limit_floor - c.credits_drawn) > c.overage_reported
          order by c.updated_at
          limit ${limit}
          for update of c skip locked`,
    );
    return rows.map((r) => ({
      payerKind: r.payer_kind,
      payerId: r.payer_id,
      feature: r.feature,
      periodStart: new Date(r.period_start),
      periodEnd: r.period_end === null ? null : new Date(r.period_end),
      billable: Number(r.billable),
      reported: Number(r.reported),
      eventName: r.event_name,
      customerId: r.customer_id,
    }));
  },

  /** The report row for the delta, and the counter's `overage_reported` raised to match. */
  async record(tx: Tx, due: DueOverage, occurredAt: Date, now: Date): Promise<MeterReportRow> {
    const [row] = await tx
      .insert(meterReports)
      .values({
        id: newId('mr'),
        payerKind: due.payerKind,
        payerId: due.payerId,
        feature: due.feature,
        periodStart: due.periodStart,
        stripeCustomerId: due.customerId,
        eventName: due.eventName,
        value: due.billable - due.reported,
        occurredAt,
        nextAttemptAt: now,
      })
      .returning();
    await tx
      .update(usageCounters)
      .set({ overageReported: due.billable })
      .where(
        and(
          eq(usageCounters.payerKind, due.payerKind),
          eq(usageCounters.payerId, due.payerId),
          eq(usageCounters.feature, due.feature),
          eq(usageCounters.periodStart, due.periodStart),
        ),
      );
    return row!;
  },

  /**
   * Pending rows due to be sent, leased: their next attempt moved `leaseMs` on, so another process
   * leaves them alone while this one sends them (a crash mid-send: sent again once the lease ends).
   */
  async lease(tx: Tx, now: Date, leaseMs: number, limit: number): Promise<MeterReportRow[]> {
    const due = await tx
      .select()
      .from(meterReports)
      .where(and(eq(meterReports.status, 'pending'), lte(meterReports.nextAttemptAt, now)))
      .orderBy(asc(meterReports.nextAttemptAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    await tx
      .update(meterReports)
      .set({ nextAttemptAt: new Date(now.getTime() + leaseMs), attempts: sql`${meterReports.attempts} + 1` })
      .where(
        inArray(
          meterReports.id,
          due.map((r) => r.id),
        ),
      );
    return due.map((r) => ({ ...r, attempts: r.attempts + 1 }));
  },

  async markSent(db: DbOrTx, id: string, at: Date): Promise<void> {
    await db
      .update(meterReports)
      .set({ status: 'sent', sentAt: at, lastError: null })
      .where(eq(meterReports.id, id));
  },

  async markFailed(db: DbOrTx, id: string, error: string, retryAt: Date): Promise<void> {
    await db
      .update(meterReports)
      .set({ lastError: error.slice(0, 500), nextAttemptAt: retryAt })
      .where(and(eq(meterReports.id, id), eq(meterReports.status, 'pending')));
  },

  /** Per payer, feature and period, what was sent and what waits; periods starting at or after `since`. */
  async totals(
    db: DbOrTx,
    filter: { payerKind?: PayerKind; payerId?: string; feature?: string; since: Date },
    limit: number,
  ): Promise<ReportedTotal[]> {
    const rows = await db
      .select({
        payerKind: meterReports.payerKind,
        payerId: meterReports.payerId,
        feature: meterReports.feature,
        periodStart: meterReports.periodStart,
        periodEnd: usageCounters.periodEnd,
        customerId: meterReports.stripeCustomerId,
        sent: sql<string>`coalesce(sum(${meterReports.value}) filter (where ${meterReports.status} = 'sent'), 0)`,
        pending: sql<string>`coalesce(sum(${meterReports.value}) filter (where ${meterReports.status} = 'pending'), 0)`,
      })
      .from(meterReports)
      .leftJoin(
        usageCounters,
        and(
          eq(usageCounters.payerKind, meterReports.payerKind),
          eq(usageCounters.payerId, meterReports.payerId),
          eq(usageCounters.feature, meterReports.feature),
          eq(usageCounters.periodStart, meterReports.periodStart),
        ),
      )
      .where(
        and(
          gte(meterReports.periodStart, filter.since),
          filter.payerKind ? eq(meterReports.payerKind, filter.payerKind) : undefined,
          filter.payerId ? eq(meterReports.payerId, filter.payerId) : undefined,
          filter.feature ? eq(meterReports.feature, filter.feature) : undefined,
        ),
      )
      .groupBy(
        meterReports.payerKind,
        meterReports.payerId,
        meterReports.feature,
        meterReports.periodStart,
        usageCounters.periodEnd,
        meterReports.stripeCustomerId,
      )
      .orderBy(asc(meterReports.periodStart), asc(meterReports.payerId), asc(meterReports.feature))
      .limit(limit);
    return rows.map((r) => ({ ...r, sent: Number(r.sent), pending: Number(r.pending) }));
  },
};
