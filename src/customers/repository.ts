import { and, asc, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { DbOrTx } from '../db/client.js';
import { customers } from '../db/schema/index.js';
import { upsertMirror } from '../mirror/repository.js';
import type { PiiCipher } from '../shared/crypto.js';
import { customerRow } from '../stripe/mapping.js';

export type CustomerRow = typeof customers.$inferSelect;

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
   * Mirrors a customer Stripe just returned, stamped with its creation second: any event about it
   * that is newer still wins, and the customer.created event that follows changes nothing.
   */
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
