import { and, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { customers, invoices, subscriptions } from '../db/schema/index.js';
import { type SortColumns, type SortedPage, sortedPage } from '../http/sorting.js';
import type { BillingOwner } from '../organizations/payer.js';

export interface InvoiceFilter {
  status?: string;
  customerId?: string;
  subscriptionId?: string;
  /** The host app's user: invoices of every customer ever linked to them, deleted ones included. */
  userId?: string;
  /** The host app's organisation: invoices of every customer ever linked to it, deleted ones included. */
  organizationId?: string;
  createdFrom?: Date;
  createdTo?: Date;
}

/**
 * A subscription's latest invoice is open and its payment waits for the customer's authentication
 * (Recur's `action_required`). The subquery's `invoices` is its own; `subscriptions` is the outer row.
 */
export const paymentActionCondition = sql`exists (select 1 from ${invoices} where ${invoices.id} = ${subscriptions.latestInvoiceId} and ${invoices.status} = 'open' and ${invoices.paymentActionRequired})`;

/** An invoice with the Stripe status of its subscription, when it has one. */
export type InvoiceRow = typeof invoices.$inferSelect & {
  subscriptionStatus: string | null;
  /** The subscription's latest invoice waits for the customer's authentication. */
  subscriptionPaymentAction: boolean;
};

const columns = {
  invoice: invoices,
  subscriptionStatus: subscriptions.status,
  subscriptionPaymentAction: sql<boolean>`${paymentActionCondition}`,
};

/** The list's filters as SQL conditions (exported for the test that checks the plan's index use). */
export function invoiceConditions(db: DbOrTx, filter: InvoiceFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.status) where.push(eq(invoices.status, filter.status));
  if (filter.customerId) where.push(eq(invoices.customerId, filter.customerId));
  if (filter.subscriptionId) where.push(eq(invoices.subscriptionId, filter.subscriptionId));
  if (filter.createdFrom) where.push(gte(invoices.createdAt, filter.createdFrom));
  if (filter.createdTo) where.push(lte(invoices.createdAt, filter.createdTo));
  if (filter.userId) {
    // Not filtered on `deleted`: billing history outlives the customer in Stripe.
    const ofUser = db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.externalId, filter.userId));
    where.push(inArray(invoices.customerId, ofUser));
  }
  if (filter.organizationId) {
    const ofOrganization = db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.organizationId, filter.organizationId));
    where.push(inArray(invoices.customerId, ofOrganization));
  }
  return where;
}

type Joined = {
  invoice: typeof invoices.$inferSelect;
  subscriptionStatus: string | null;
  subscriptionPaymentAction: boolean;
};
const flatten = (row: Joined): InvoiceRow => ({
  ...row.invoice,
  subscriptionStatus: row.subscriptionStatus,
  subscriptionPaymentAction: row.subscriptionPaymentAction === true,
});

export const INVOICE_SORTS = ['created', 'total'] as const;
export type InvoiceSort = (typeof INVOICE_SORTS)[number];
/** Each key has a (key, id) index, so a page in any order is an index range. */
export const invoiceSortColumns: SortColumns<InvoiceSort, InvoiceRow> = {
  created: { column: invoices.createdAt, kind: 'time', of: (row) => row.createdAt },
  total: { column: invoices.total, kind: 'int', of: (row) => row.total },
};

export const invoiceRepository = {
  /** Sorted as asked; reads one row more than `limit` so the caller knows whether a next page exists. */
  async list(db: DbOrTx, filter: InvoiceFilter, page: SortedPage<InvoiceSort>): Promise<InvoiceRow[]> {
    const where = invoiceConditions(db, filter);
    const { orderBy, after } = sortedPage(invoiceSortColumns, invoices.id, page.sort, page.cursor);
    if (after) where.push(after);
    const rows = await db
      .select(columns)
      .from(invoices)
      .leftJoin(subscriptions, eq(subscriptions.id, invoices.subscriptionId))
      .where(and(...where))
      .orderBy(...orderBy)
      .limit(page.limit + 1);
    return rows.map(flatten);
  },

  /** Marks the invoice's payment as waiting for the customer; true when the row changed. */
  async markPaymentActionRequired(db: DbOrTx, id: string): Promise<boolean> {
    const changed = await db
      .update(invoices)
      .set({ paymentActionRequired: true })
      .where(and(eq(invoices.id, id), eq(invoices.paymentActionRequired, false)))
      .returning({ id: invoices.id });
    return changed.length > 0;
  },

  /** Whom the invoice's customer bills: a user, an organisation, or neither (a customer by email). */
  async ownerOf(db: DbOrTx, customerId: string): Promise<BillingOwner> {
    const [row] = await db
      .select({ userId: customers.externalId, organizationId: customers.organizationId })
      .from(customers)
      .where(eq(customers.id, customerId))
      .limit(1);
    return row ?? { userId: null, organizationId: null };
  },

  async findById(db: DbOrTx, id: string, filter: InvoiceFilter = {}): Promise<InvoiceRow | null> {
    const [row] = await db
      .select(columns)
      .from(invoices)
      .leftJoin(subscriptions, eq(subscriptions.id, invoices.subscriptionId))
      .where(and(eq(invoices.id, id), ...invoiceConditions(db, filter)))
      .limit(1);
    return row ? flatten(row) : null;
  },
};
