import { and, count, desc, eq, gte, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { alertSignalCounts, appWebhookEndpoints, events, syncRuns } from '../db/schema/index.js';

export const PAYMENT_FAILED = 'invoice.payment_failed';
export const PAYMENT_SUCCEEDED = 'invoice.payment_succeeded';
export const DISPUTE_CREATED = 'charge.dispute.created';
export const DISPUTE_CLOSED = 'charge.dispute.closed';

/** Seconds per bucket of a counted signal: a window is judged to this precision. */
export const SIGNAL_BUCKET_SECONDS = 10;

export const bucketOf = (at: Date) =>
  new Date(Math.floor(at.getTime() / (SIGNAL_BUCKET_SECONDS * 1000)) * SIGNAL_BUCKET_SECONDS * 1000);

/** The reads the alert rules judge: each one small and served by an index. */
export const conditionsRepository = {
  async deadLetters(db: DbOrTx): Promise<{ count: number; oldest: Date | null }> {
    const [row] = await db
      .select({ n: count(), oldest: sql<Date | string | null>`min(${events.receivedAt})` })
      .from(events)
      .where(eq(events.status, 'dead'));
    return { count: Number(row?.n ?? 0), oldest: row?.oldest ? new Date(row.oldest) : null };
  },

  async recordSignal(db: DbOrTx, signal: string, at: Date, n: number): Promise<void> {
    await db
      .insert(alertSignalCounts)
      .values({ signal, bucketStart: bucketOf(at), count: n })
      .onConflictDoUpdate({
        target: [alertSignalCounts.signal, alertSignalCounts.bucketStart],
        set: { count: sql`${alertSignalCounts.count} + ${n}` },
      });
  },

  /** The signal's count in the buckets that start within `since` … now. */
  async signalCount(db: DbOrTx, signal: string, since: Date): Promise<number> {
    const [row] = await db
      .select({ n: sql<number | string | null>`sum(${alertSignalCounts.count})` })
      .from(alertSignalCounts)
      .where(and(eq(alertSignalCounts.signal, signal), gte(alertSignalCounts.bucketStart, bucketOf(since))));
    return Number(row?.n ?? 0);
  },

  async pruneSignals(db: DbOrTx, before: Date): Promise<void> {
    await db.delete(alertSignalCounts).where(lt(alertSignalCounts.bucketStart, before));
  },

  /** The newest sync run that finished (an interrupted one says nothing of Stripe or the mirror). */
  async latestFinishedSync(db: DbOrTx) {
    const [row] = await db
      .select({
        id: syncRuns.id,
        status: syncRuns.status,
        error: syncRuns.error,
        finishedAt: syncRuns.finishedAt,
      })
      .from(syncRuns)
      .where(inArray(syncRuns.status, ['succeeded', 'failed']))
      .orderBy(desc(syncRuns.startedAt))
      .limit(1);
    return row ?? null;
  },

  /** Payment attempts Stripe reported (events received) since `since`, split at `windowStart`. */
  async paymentAttempts(db: DbOrTx, since: Date, windowStart: Date) {
    const inWindow = sql`${events.receivedAt} >= ${windowStart}`;
    const [row] = await db
      .select({
        windowFailed: sql<number>`count(*) filter (where ${events.type} = ${PAYMENT_FAILED} and ${inWindow})`,
        windowTotal: sql<number>`count(*) filter (where ${inWindow})`,
        baselineFailed: sql<number>`count(*) filter (where ${events.type} = ${PAYMENT_FAILED} and not (${inWindow}))`,
        baselineTotal: sql<number>`count(*) filter (where not (${inWindow}))`,
      })
      .from(events)
      .where(
        and(
          eq(events.source, 'stripe'),
          inArray(events.type, [PAYMENT_FAILED, PAYMENT_SUCCEEDED]),
          gte(events.receivedAt, since),
        ),
      );
    return {
      window: { failed: Number(row?.windowFailed ?? 0), total: Number(row?.windowTotal ?? 0) },
      baseline: { failed: Number(row?.baselineFailed ?? 0), total: Number(row?.baselineTotal ?? 0) },
    };
  },

  /**
   * Disputes opened since `since` (their `charge.dispute.created`) with no `charge.dispute.closed`
   * yet, each with its created event's payload (encrypted, as stored) for the amount and reason.
   */
  async openDisputes(
    db: DbOrTx,
    since: Date,
  ): Promise<Array<{ disputeId: string; openedAt: Date; payload: string }>> {
    const closed = db
      .select({ id: events.objectId })
      .from(events)
      .where(and(eq(events.type, DISPUTE_CLOSED), isNotNull(events.objectId)));
    const rows = await db
      .selectDistinctOn([events.objectId], {
        disputeId: events.objectId,
        openedAt: events.receivedAt,
        payload: events.payload,
      })
      .from(events)
      .where(
        and(
          eq(events.source, 'stripe'),
          eq(events.type, DISPUTE_CREATED),
          gte(events.receivedAt, since),
          isNotNull(events.objectId),
          sql`${events.objectId} not in (${closed})`,
        ),
      )
      .orderBy(events.objectId, events.receivedAt)
      .limit(100);
    return rows.map((r) => ({ disputeId: r.disputeId!, openedAt: new Date(r.openedAt), payload: r.payload }));
  },

  /** Endpoints that failed every delivery since before `failingBefore`, or were disabled for it. */
  async failingEndpoints(db: DbOrTx, failingBefore: Date) {
    return db
      .select({
        id: appWebhookEndpoints.id,
        url: appWebhookEndpoints.url,
        enabled: appWebhookEndpoints.enabled,
        failingSince: appWebhookEndpoints.failingSince,
      })
      .from(appWebhookEndpoints)
      .where(
        or(
          eq(appWebhookEndpoints.disabledReason, 'failing'),
          and(eq(appWebhookEndpoints.enabled, true), lt(appWebhookEndpoints.failingSince, failingBefore)),
        ),
      )
      .orderBy(appWebhookEndpoints.id)
      .limit(100);
  },
};
