import { and, desc, eq, gte, inArray, lt, lte, or, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import {
  charges,
  customers,
  disputeActions,
  disputes,
  earlyFraudWarnings,
  invoices,
} from '../db/schema/index.js';
import type { Cursor } from '../http/pagination.js';
import { newId } from '../shared/ids.js';
import type { PaymentLinks } from '../stripe/mapping.js';

export type DisputeRow = typeof disputes.$inferSelect;
export type EarlyFraudWarningRow = typeof earlyFraudWarnings.$inferSelect;
export type DisputeAction = (typeof disputeActions.$inferSelect)['action'];

export interface DisputeFilter {
  status?: string;
  reason?: string;
  subscriptionId?: string;
  customerId?: string;
  createdFrom?: Date;
  createdTo?: Date;
}

const TABLES = { dispute: disputes, 'radar.early_fraud_warning': earlyFraudWarnings } as const;

/** The conditions both lists share: who is concerned, the creation range, and the page's position. */
function pageWhere(
  t: (typeof TABLES)[keyof typeof TABLES],
  filter: Omit<DisputeFilter, 'status' | 'reason'>,
  after: Cursor | undefined,
): SQL[] {
  const where: SQL[] = [];
  if (filter.subscriptionId) where.push(eq(t.subscriptionId, filter.subscriptionId));
  if (filter.customerId) where.push(eq(t.customerId, filter.customerId));
  if (filter.createdFrom) where.push(gte(t.createdAt, filter.createdFrom));
  if (filter.createdTo) where.push(lte(t.createdAt, filter.createdTo));
  if (after) where.push(or(lt(t.createdAt, after.at), and(eq(t.createdAt, after.at), lt(t.id, after.id)))!);
  return where;
}

export const disputeRepository = {
  /** The links a dispute or warning row already holds; undefined before its first event. */
  async linksOf(db: DbOrTx, object: keyof typeof TABLES, id: string): Promise<PaymentLinks | undefined> {
    const table = TABLES[object];
    const [row] = await db
      .select({
        paymentIntentId: table.paymentIntentId,
        customerId: table.customerId,
        invoiceId: table.invoiceId,
        subscriptionId: table.subscriptionId,
      })
      .from(table)
      .where(eq(table.id, id));
    return row;
  },

  /** The mirrored charge's customer and payment intent, when the mirror holds it. */
  async charge(db: DbOrTx, id: string) {
    const [row] = await db
      .select({ customerId: charges.customerId, paymentIntentId: charges.paymentIntentId })
      .from(charges)
      .where(eq(charges.id, id));
    return row;
  },

  /** The mirrored invoice's subscription: undefined when the mirror does not hold the invoice. */
  async subscriptionOfInvoice(db: DbOrTx, invoiceId: string): Promise<string | null | undefined> {
    const [row] = await db
      .select({ subscriptionId: invoices.subscriptionId })
      .from(invoices)
      .where(eq(invoices.id, invoiceId));
    return row ? row.subscriptionId : undefined;
  },

  async find(db: DbOrTx, id: string): Promise<DisputeRow | undefined> {
    const [row] = await db.select().from(disputes).where(eq(disputes.id, id));
    return row;
  },

  async findWarning(db: DbOrTx, id: string): Promise<EarlyFraudWarningRow | undefined> {
    const [row] = await db.select().from(earlyFraudWarnings).where(eq(earlyFraudWarnings.id, id));
    return row;
  },

  /** Newest first; one row more than `limit`, so the caller knows whether a next page exists. */
  async list(
    db: DbOrTx,
    filter: DisputeFilter,
    page: { limit: number; after?: Cursor },
  ): Promise<DisputeRow[]> {
    const where = pageWhere(disputes, filter, page.after);
    if (filter.status) where.push(eq(disputes.status, filter.status));
    if (filter.reason) where.push(eq(disputes.reason, filter.reason));
    return db
      .select()
      .from(disputes)
      .where(and(...where))
      .orderBy(desc(disputes.createdAt), desc(disputes.id))
      .limit(page.limit + 1);
  },

  async listWarnings(
    db: DbOrTx,
    filter: Omit<DisputeFilter, 'status' | 'reason'>,
    page: { limit: number; after?: Cursor },
  ): Promise<EarlyFraudWarningRow[]> {
    const t = earlyFraudWarnings;
    return db
      .select()
      .from(t)
      .where(and(...pageWhere(t, filter, page.after)))
      .orderBy(desc(t.createdAt), desc(t.id))
      .limit(page.limit + 1);
  },

  /** Records that `action` was taken for `sourceId`: false when it already was (nothing is written). */
  async recordAction(
    db: DbOrTx,
    sourceId: string,
    action: DisputeAction,
    subscriptionId: string | null,
  ): Promise<boolean> {
    const inserted = await db
      .insert(disputeActions)
      .values({ id: newId('dact'), sourceId, action, subscriptionId })
      .onConflictDoNothing()
      .returning({ id: disputeActions.id });
    return inserted.length > 0;
  },

  async setActionResult(
    db: DbOrTx,
    sourceId: string,
    action: DisputeAction,
    resultId: string,
  ): Promise<void> {
    await db
      .update(disputeActions)
      .set({ resultId })
      .where(and(eq(disputeActions.sourceId, sourceId), eq(disputeActions.action, action)));
  },

  async hasAction(db: DbOrTx, sourceId: string, action: DisputeAction): Promise<boolean> {
    const [row] = await db
      .select({ id: disputeActions.id })
      .from(disputeActions)
      .where(and(eq(disputeActions.sourceId, sourceId), eq(disputeActions.action, action)));
    return row !== undefined;
  },

  /** The host app's user of each customer that has one. */
  async usersOf(db: DbOrTx, customerIds: string[]): Promise<Map<string, string>> {
    if (customerIds.length === 0) return new Map();
    const rows = await db
      .select({ id: customers.id, externalId: customers.externalId })
      .from(customers)
      .where(inArray(customers.id, [...new Set(customerIds)]));
    return new Map(rows.flatMap((r) => (r.externalId ? [[r.id, r.externalId] as const] : [])));
  },

  async actionsOf(db: DbOrTx, sourceId: string) {
    return db
      .select()
      .from(disputeActions)
      .where(eq(disputeActions.sourceId, sourceId))
      .orderBy(disputeActions.createdAt);
  },
};
