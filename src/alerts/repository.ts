import { and, asc, count, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { type Db, type DbOrTx, queryRows, type Tx } from '../db/client.js';
import { type AlertChannel, type AlertRule, alertIncidents, alertMessages } from '../db/schema/index.js';
import { newId } from '../shared/ids.js';

export type IncidentRow = typeof alertIncidents.$inferSelect;
export type MessageKind = 'opened' | 'resolved';

export interface ClaimedMessage {
  id: string;
  kind: MessageKind;
  channel: AlertChannel;
  attempts: number;
  incident: IncidentRow;
}

/** Session-free: released with the evaluation's transaction, so a crashed evaluator holds nothing. */
const EVALUATION_LOCK = 'recur.alerts.evaluate';

export const alertRepository = {
  /** True when this transaction is the one evaluation running, cluster-wide. */
  async tryEvaluationLock(tx: Tx): Promise<boolean> {
    const [row] = await queryRows<{ locked: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(hashtextextended(${EVALUATION_LOCK}, 0)) as locked`,
    );
    return row?.locked === true;
  },

  async openIncidents(db: DbOrTx): Promise<IncidentRow[]> {
    return db.select().from(alertIncidents).where(eq(alertIncidents.status, 'open'));
  },

  /** Opens an incident unless one is open for the rule and key; the new row, or null. */
  async open(
    db: DbOrTx,
    incident: { rule: AlertRule; key: string; summary: string; details: Record<string, unknown>; at: Date },
  ): Promise<IncidentRow | null> {
    const [row] = await db
      .insert(alertIncidents)
      .values({
        id: newId('inc'),
        rule: incident.rule,
        key: incident.key,
        summary: incident.summary,
        details: incident.details,
        openedAt: incident.at,
        lastSeenAt: incident.at,
      })
      .onConflictDoNothing({
        target: [alertIncidents.rule, alertIncidents.key],
        where: sql`${alertIncidents.status} = 'open'`,
      })
      .returning();
    return row ?? null;
  },

  async stillTrue(
    db: DbOrTx,
    id: string,
    finding: { summary: string; details: Record<string, unknown>; at: Date },
  ): Promise<void> {
    await db
      .update(alertIncidents)
      .set({ summary: finding.summary, details: finding.details, lastSeenAt: finding.at })
      .where(eq(alertIncidents.id, id));
  },

  /** Resolves an open incident; false when another evaluation resolved it first. */
  async resolve(db: DbOrTx, id: string, at: Date): Promise<boolean> {
    const rows = await db
      .update(alertIncidents)
      .set({ status: 'resolved', resolvedAt: at })
      .where(and(eq(alertIncidents.id, id), eq(alertIncidents.status, 'open')))
      .returning({ id: alertIncidents.id });
    return rows.length > 0;
  },

  /** Messages due at `at`, the evaluation's time (the sending pass that follows compares with it). */
  async enqueue(
    db: DbOrTx,
    incidentId: string,
    kind: MessageKind,
    channels: AlertChannel[],
    at: Date,
  ): Promise<void> {
    if (channels.length === 0) return;
    await db
      .insert(alertMessages)
      .values(
        channels.map((channel) => ({
          id: newId('alm'),
          incidentId,
          kind,
          channel,
          nextAttemptAt: at,
          createdAt: at,
        })),
      )
      .onConflictDoNothing();
  },

  /**
   * Takes up to `limit` due messages, each leased (its next attempt moved to `leaseUntil`) in the
   * claiming transaction: another sender skips it while it is sent, and one that dies mid-send
   * leaves it to be tried again once the lease ends.
   */
  async claimDue(db: Db, limit: number, now: Date, leaseUntil: Date): Promise<ClaimedMessage[]> {
    return db.transaction(async (tx) => {
      const due = await tx
        .select({ id: alertMessages.id })
        .from(alertMessages)
        .where(and(eq(alertMessages.status, 'pending'), lte(alertMessages.nextAttemptAt, now)))
        .orderBy(asc(alertMessages.nextAttemptAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      if (due.length === 0) return [];
      const ids = due.map((r) => r.id);
      await tx
        .update(alertMessages)
        .set({ nextAttemptAt: leaseUntil, attempts: sql`${alertMessages.attempts} + 1` })
        .where(inArray(alertMessages.id, ids));
      const rows = await tx
        .select({ message: alertMessages, incident: alertIncidents })
        .from(alertMessages)
        .innerJoin(alertIncidents, eq(alertIncidents.id, alertMessages.incidentId))
        .where(inArray(alertMessages.id, ids))
        .orderBy(asc(alertMessages.createdAt), asc(alertMessages.id));
      return rows.map(({ message, incident }) => ({
        id: message.id,
        kind: message.kind,
        channel: message.channel,
        attempts: message.attempts,
        incident,
      }));
    });
  },

  async markSent(db: Db, id: string, at: Date): Promise<void> {
    await db
      .update(alertMessages)
      .set({ status: 'sent', sentAt: at, lastError: null })
      .where(eq(alertMessages.id, id));
  },

  /** A failed attempt: tried again at `retryAt`, or given up (`failed`) when there is none. */
  async markFailed(db: Db, id: string, error: string, retryAt: Date | null): Promise<void> {
    await db
      .update(alertMessages)
      .set({
        lastError: error.slice(0, 500),
        ...(retryAt ? { nextAttemptAt: retryAt } : { status: 'failed' as const }),
      })
      .where(eq(alertMessages.id, id));
  },

  /** Open incidents, then the latest resolved ones; with how each message went. */
  async list(db: DbOrTx, recentLimit: number) {
    const open = await db
      .select()
      .from(alertIncidents)
      .where(eq(alertIncidents.status, 'open'))
      .orderBy(desc(alertIncidents.openedAt), desc(alertIncidents.id))
      .limit(500);
    const recent = await db
      .select()
      .from(alertIncidents)
      .where(eq(alertIncidents.status, 'resolved'))
      .orderBy(desc(alertIncidents.resolvedAt), desc(alertIncidents.id))
      .limit(recentLimit);
    const ids = [...open, ...recent].map((i) => i.id);
    const messages = ids.length
      ? await db
          .select({
            incidentId: alertMessages.incidentId,
            kind: alertMessages.kind,
            channel: alertMessages.channel,
            status: alertMessages.status,
            attempts: alertMessages.attempts,
            lastError: alertMessages.lastError,
            sentAt: alertMessages.sentAt,
          })
          .from(alertMessages)
          .where(inArray(alertMessages.incidentId, ids))
          .orderBy(asc(alertMessages.kind), asc(alertMessages.channel))
      : [];
    return { open, recent, messages };
  },

  async openByRule(db: DbOrTx): Promise<Array<{ rule: AlertRule; n: number }>> {
    const rows = await db
      .select({ rule: alertIncidents.rule, n: count() })
      .from(alertIncidents)
      .where(eq(alertIncidents.status, 'open'))
      .groupBy(alertIncidents.rule);
    return rows.map((r) => ({ rule: r.rule, n: Number(r.n) }));
  },
};
