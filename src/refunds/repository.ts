import { and, eq, gte, lte, type SQL } from 'drizzle-orm';
import { type Db, type DbOrTx, runStatement, type Statement } from '../db/client.js';
import { charges, refunds } from '../db/schema/index.js';
import { type SortColumns, type SortedPage, sortedPage } from '../http/sorting.js';
import { lockObject } from '../mirror/locks.js';
import { freshness, type MirrorObject, upsertMirror } from '../mirror/repository.js';

export type RefundRow = typeof refunds.$inferSelect;
/** A listed refund with the customer of the charge it returned (null until that charge is mirrored). */
export type RefundListRow = RefundRow & { customerId: string | null };

export interface RefundFilter {
  chargeId?: string;
  paymentIntentId?: string;
  invoiceId?: string;
  createdFrom?: Date;
  createdTo?: Date;
}

export const REFUND_SORTS = ['created', 'amount'] as const;
export type RefundSort = (typeof REFUND_SORTS)[number];
/** Each key has a (key, id) index, so a page in any order is an index range. */
export const refundSortColumns: SortColumns<RefundSort, RefundListRow> = {
  created: { column: refunds.createdAt, kind: 'time', of: (row) => row.createdAt },
  amount: { column: refunds.amount, kind: 'int', of: (row) => row.amount },
};

const KNOWN_INVOICE: Statement = {
  name: 'recur_refund_known_invoice',
  text: `select coalesce(
           (select invoice_id from refunds where id = $1),
           (select invoice_id from invoice_payments where payment_intent_id = $2 order by id limit 1)
         ) as invoice_id`,
};

export const refundRepository = {
  /**
   * The invoice a refund's payment paid, as the mirror knows it: kept on the refund's row once
   * found, or named by an `invoice_payment.paid` event of that payment. Null: to be asked of Stripe.
   */
  async knownInvoice(db: DbOrTx, refundId: string, paymentIntentId: string): Promise<string | null> {
    const [row] = await runStatement<{ invoice_id: string | null }>(db, KNOWN_INVOICE, [
      refundId,
      paymentIntentId,
    ]);
    return row?.invoice_id ?? null;
  },

  /** Sorted as asked; reads one row more than `limit` so the caller knows whether a next page exists. */
  async list(db: Db, filter: RefundFilter, page: SortedPage<RefundSort>): Promise<RefundListRow[]> {
    const where: SQL[] = [];
    if (filter.chargeId) where.push(eq(refunds.chargeId, filter.chargeId));
    if (filter.paymentIntentId) where.push(eq(refunds.paymentIntentId, filter.paymentIntentId));
    if (filter.invoiceId) where.push(eq(refunds.invoiceId, filter.invoiceId));
    if (filter.createdFrom) where.push(gte(refunds.createdAt, filter.createdFrom));
    if (filter.createdTo) where.push(lte(refunds.createdAt, filter.createdTo));
    const { orderBy, after } = sortedPage(refundSortColumns, refunds.id, page.sort, page.cursor);
    if (after) where.push(after);
    const rows = await db
      .select({ refund: refunds, customerId: charges.customerId })
      .from(refunds)
      .leftJoin(charges, eq(charges.id, refunds.chargeId))
      .where(and(...where))
      .orderBy(...orderBy)
      .limit(page.limit + 1);
    return rows.map((row) => ({ ...row.refund, customerId: row.customerId }));
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
