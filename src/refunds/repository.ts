import { and, desc, eq, gte, lt, lte, or, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import { refunds } from '../db/schema/index.js';
import type { Cursor } from '../http/pagination.js';
import { lockObject } from '../mirror/locks.js';
import { freshness, type MirrorObject, upsertMirror } from '../mirror/repository.js';

export type RefundRow = typeof refunds.$inferSelect;

export interface RefundFilter {
  chargeId?: string;
  paymentIntentId?: string;
  createdFrom?: Date;
  createdTo?: Date;
}

export const refundRepository = {
  /** Newest first; reads one row more than `limit` so the caller knows whether a next page exists. */
  async list(db: Db, filter: RefundFilter, page: { limit: number; after?: Cursor }): Promise<RefundRow[]> {
    const where: SQL[] = [];
    if (filter.chargeId) where.push(eq(refunds.chargeId, filter.chargeId));
    if (filter.paymentIntentId) where.push(eq(refunds.paymentIntentId, filter.paymentIntentId));
    if (filter.createdFrom) where.push(gte(refunds.createdAt, filter.createdFrom));
    if (filter.createdTo) where.push(lte(refunds.createdAt, filter.createdTo));
    if (page.after) {
      const { at, id } = page.after;
      where.push(or(lt(refunds.createdAt, at), and(eq(refunds.createdAt, at), lt(refunds.id, id)))!);
    }
    return db
      .select()
      .from(refunds)
      .where(and(...where))
      .orderBy(desc(refunds.createdAt), desc(refunds.id))
      .limit(page.limit + 1);
  },

  /**
   * Applies a state Stripe has just answered with, under the same rule and lock as the worker's
   * events: written over an older row; on a same-second tie too, since the answer is at least as
   * fresh as the event of that second, unless that event's status is later in the object's
   * lifecycle (see `LIFECYCLE_RANKS`); never over a newer one.
   */
  async applyStripeAnswer(
    db: Db,
    object: MirrorObject,
    row: { id: string } & Record<string, unknown>,
    stamp: Date,
    /** Runs in the write's transaction once the row is written (not when a newer row stays). */
    written?: (tx: DbOrTx) => Promise<void>,
  ): Promise<void> {
    await db.transaction(async (tx) => {
      await lockObject(tx, row.id);
      if (await upsertMirror(tx, object, row, stamp, 'if-newer')) return written?.(tx);
      const status = typeof row.status === 'string' ? row.status : null;
      if ((await freshness(tx, object, row.id, stamp, status)) !== 'same') return;
      await upsertMirror(tx, object, row, stamp, 'always');
      await written?.(tx);
    });
  },
};
