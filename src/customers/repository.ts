import { and, asc, count, desc, eq, gt, gte, lt, lte, or } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { DbOrTx } from '../db/client.js';
import { customers, invoices } from '../db/schema/index.js';
import type { SortOrder } from '../http/sorting.js';
import { upsertMirror } from '../mirror/repository.js';
import type { PiiCipher } from '../shared/crypto.js';
import { customerRow } from '../stripe/mapping.js';

export type CustomerRow = typeof customers.$inferSelect;

/** What the admin list filters on; the email arrives already hashed, never in the clear. */
export interface CustomerFilter {
  emailHash?: string | undefined;
  externalId?: string | undefined;
  deleted?: boolean | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
}

export const customerRepository = {
  async findById(db: DbOrTx, id: string): Promise<CustomerRow | null> {
    const [row] = await db.select().from(customers).where(eq(customers.id, id)).limit(1);
    return row ?? null;
  },

  /** The user's customer, unless it was deleted in Stripe (a new one is made on next need). */
  async findByExternalId(db: DbOrTx, externalId: string): Promise<CustomerRow | null> {
    const [row] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.externalId, externalId), eq(customers.deleted, false)))
      .limit(1);
    return row ?? null;
  },

  /**
   * The currency Stripe bills the customer in: its own, or else its latest invoice's (Stripe sets a
   * customer's currency with its first invoice, and does not say when in an event of its own).
   * Null for a customer never invoiced.
   */
  async billedCurrency(db: DbOrTx, customer: CustomerRow): Promise<string | null> {
    if (customer.currency) return customer.currency;
    const [latest] = await db
      .select({ currency: invoices.currency })
      .from(invoices)
      .where(eq(invoices.customerId, customer.id))
      .orderBy(desc(invoices.createdAt))
      .limit(1);
    return latest?.currency ?? null;
  },

  /** The organisation's customer, unless it was deleted in Stripe (a new one is made on next need). */
  async findByOrganizationId(db: DbOrTx, organizationId: string): Promise<CustomerRow | null> {
    const [row] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.organizationId, organizationId), eq(customers.deleted, false)))
      .limit(1);
    return row ?? null;
  },

  /** The oldest live customer with this email hash (several can share an email in Stripe). */
  async findByEmailHash(db: DbOrTx, emailHash: string): Promise<CustomerRow | null> {
    const [row] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.emailHash, emailHash), eq(customers.deleted, false)))
      .orderBy(asc(customers.createdAt), asc(customers.id))
      .limit(1);
    return row ?? null;
  },

  /**
   * Newest first (oldest first with order `asc`), from past `before` in that order; one row more
   * than `limit` tells the caller another page follows.
   */
  async list(
    db: DbOrTx,
    filter: CustomerFilter,
    page: { limit: number; before?: { at: Date; id: string } | undefined; order?: SortOrder | undefined },
  ): Promise<CustomerRow[]> {
    const { before } = page;
    const [past, direction] = page.order === 'asc' ? [gt, asc] : [lt, desc];
    return db
      .select()
      .from(customers)
      .where(
        and(
          filter.emailHash === undefined ? undefined : eq(customers.emailHash, filter.emailHash),
          filter.externalId === undefined ? undefined : eq(customers.externalId, filter.externalId),
          filter.deleted === undefined ? undefined : eq(customers.deleted, filter.deleted),
          filter.createdFrom ? gte(customers.createdAt, filter.createdFrom) : undefined,
          filter.createdTo ? lte(customers.createdAt, filter.createdTo) : undefined,
          before
            ? or(
                past(customers.createdAt, before.at),
                and(eq(customers.createdAt, before.at), past(customers.id, before.id)),
              )
            : undefined,
        ),
      )
      .orderBy(direction(customers.createdAt), direction(customers.id))
      .limit(page.limit + 1);
  },

  /**
   * Mirrors a customer Stripe just returned, stamped with its creation second: any event about it
   * that is newer still wins, and the customer.created event that follows changes nothing.
   */
  /** How many of a user's (or an email's) customers were deleted in Stripe. */
  async countDeleted(
    db: DbOrTx,
    by: { externalId: string } | { organizationId: string } | { emailHash: string },
  ): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(customers)
      .where(
        and(
          'externalId' in by
            ? eq(customers.externalId, by.externalId)
            : 'organizationId' in by
              ? eq(customers.organizationId, by.organizationId)
              : eq(customers.emailHash, by.emailHash),
          eq(customers.deleted, true),
        ),
      );
    return row?.n ?? 0;
  },

  async saveFromStripe(db: DbOrTx, customer: Stripe.Customer, cipher: PiiCipher): Promise<CustomerRow> {
    await upsertMirror(
      db,
      'customer',
      { ...customerRow(customer, cipher), createdAt: new Date(customer.created * 1000) },
      new Date(customer.created * 1000),
      'if-newer',
    );
    return (await customerRepository.findById(db, customer.id))!;
  },
};
