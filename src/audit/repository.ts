import { and, asc, desc, eq, gt, gte, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client.js';
import { auditAnchor, auditLog } from '../db/schema/index.js';
import { GENESIS_HASH } from './chain.js';

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = Omit<AuditRow, 'seq'>;

/**
 * The one lock every append takes, for its transaction only: the chain has one head, so appends
 * are serialised, and the wait is as short as the rest of the writer's transaction. A constant
 * key (`audit` in ASCII) in the advisory lock space Recur's other locks do not use.
 */
const CHAIN_LOCK = 0x6175646974;

export interface AuditFilter {
  actorId?: string | undefined;
  actorType?: string | undefined;
  action?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

function conditions(filter: AuditFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.actorId) where.push(eq(auditLog.actorId, filter.actorId));
  if (filter.actorType) where.push(eq(auditLog.actorType, filter.actorType as AuditRow['actorType']));
  if (filter.action) where.push(eq(auditLog.action, filter.action));
  if (filter.objectType) where.push(eq(auditLog.objectType, filter.objectType));
  if (filter.objectId) where.push(eq(auditLog.objectId, filter.objectId));
  if (filter.from) where.push(gte(auditLog.at, filter.from));
  if (filter.to) where.push(lte(auditLog.at, filter.to));
  return where;
}

export const auditRepository = {
  /** Takes the chain's lock (till the transaction ends) and reads the hash the next row follows. */
  async lockHead(tx: Tx): Promise<string> {
    await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
    const [last] = await tx
      .select({ hash: auditLog.hash })
      .from(auditLog)
      .orderBy(desc(auditLog.seq))
      .limit(1);
    if (last) return last.hash;
    const [anchor] = await tx.select({ hash: auditAnchor.hash }).from(auditAnchor);
    return anchor?.hash ?? GENESIS_HASH;
  },

  async insert(tx: Tx, row: NewAuditRow): Promise<void> {
    await tx.insert(auditLog).values(row);
  },

  /** Newest first, after the row the cursor names (a cursor whose row was pruned ends the list). */
  async list(
    db: DbOrTx,
    filter: AuditFilter,
    page: { limit: number; beforeId?: string | undefined },
  ): Promise<AuditRow[]> {
    const where = conditions(filter);
    if (page.beforeId !== undefined)
      where.push(lt(auditLog.seq, sql`(select seq from audit_log where id = ${page.beforeId})`));
    return db
      .select()
      .from(auditLog)
      .where(and(...where))
      .orderBy(desc(auditLog.seq))
      .limit(page.limit + 1);
  },

  /** Oldest first from `afterSeq`, for verification and exports that walk the whole log. */
  async batchFrom(
    db: DbOrTx,
    afterSeq: number,
    limit: number,
    filter: AuditFilter = {},
  ): Promise<AuditRow[]> {
    return db
      .select()
      .from(auditLog)
      .where(and(gt(auditLog.seq, afterSeq), ...conditions(filter)))
      .orderBy(asc(auditLog.seq))
      .limit(limit);
  },

  async anchor(db: DbOrTx): Promise<{ seq: number; hash: string } | null> {
    const [row] = await db.select({ seq: auditAnchor.seq, hash: auditAnchor.hash }).from(auditAnchor);
    return row ?? null;
  },

  /**
   * Removes the rows written before `cutoff`, keeping the last one's seq and hash as the anchor the
   * rest of the chain starts from. The trigger lets a DELETE through only with the prune flag set
   * for this transaction. Returns how many rows went.
   */
  async pruneBefore(tx: Tx, cutoff: Date): Promise<number> {
    await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
    const [last] = await tx
      .select({ seq: auditLog.seq, hash: auditLog.hash })
      .from(auditLog)
      .where(lt(auditLog.at, cutoff))
      .orderBy(desc(auditLog.seq))
      .limit(1);
    if (!last) return 0;
    await tx
      .insert(auditAnchor)
      .values({ id: 1, seq: last.seq, hash: last.hash })
      .onConflictDoUpdate({
        target: auditAnchor.id,
        set: { seq: last.seq, hash: last.hash, prunedAt: sql`now()` },
      });
    await tx.execute(sql`select set_config('recur.audit_prune', 'on', true)`);
    const gone = await tx
      .delete(auditLog)
      .where(lte(auditLog.seq, last.seq))
      .returning({ seq: auditLog.seq });
    await tx.execute(sql`select set_config('recur.audit_prune', 'off', true)`);
    return gone.length;
  },
};
