import { and, desc, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { creditLedger, creditLots } from '../db/schema/index.js';
import type { Cursor } from '../http/pagination.js';
import type { CreditLedgerRow, PayerKey } from '../usage/credits-ledger.js';

/** One feature's credits as a payer holds them now. */
export interface FeatureBalance {
  feature: string;
  /** The live lots' remaining credits: negative while more is owed than held. */
  balance: number;
  /** Credits used beyond the balance (the debt lot's), paid first from the next grant. */
  owed: number;
  /** When the soonest of those credits expire (null: none expire). */
  nextExpiry: Date | null;
}

/** What the credit routes read: a payer's balances per feature and its ledger, newest first. */
export const creditReadRepository = {
  async balances(db: DbOrTx, payer: PayerKey, now = new Date()): Promise<FeatureBalance[]> {
    const rows = await db
      .select({
        feature: creditLots.feature,
        balance: sql<string>`coalesce(sum(${creditLots.remaining}) filter (where ${creditLots.expiresAt} is null or ${creditLots.expiresAt} > ${now}), 0)`,
        owed: sql<string>`coalesce(-sum(${creditLots.remaining}) filter (where ${creditLots.source} = 'debt'), 0)`,
        nextExpiry: sql<
          string | null
        >`min(${creditLots.expiresAt}) filter (where ${creditLots.expiresAt} > ${now} and ${creditLots.remaining} > 0)`,
      })
      .from(creditLots)
      .where(and(eq(creditLots.payerKind, payer.payerKind), eq(creditLots.payerId, payer.payerId)))
      .groupBy(creditLots.feature)
      .orderBy(creditLots.feature);
    return rows.map((r) => ({
      feature: r.feature,
      balance: Number(r.balance),
      owed: Number(r.owed),
      nextExpiry: r.nextExpiry === null ? null : new Date(r.nextExpiry),
    }));
  },

  async ledger(
    db: DbOrTx,
    payer: PayerKey,
    filter: { feature?: string | undefined },
    page: { limit: number; after?: Cursor | undefined },
  ): Promise<CreditLedgerRow[]> {
    const where: (SQL | undefined)[] = [
      eq(creditLedger.payerKind, payer.payerKind),
      eq(creditLedger.payerId, payer.payerId),
      filter.feature === undefined ? undefined : eq(creditLedger.feature, filter.feature),
    ];
    if (page.after) {
      const { at, id } = page.after;
      where.push(
        or(lt(creditLedger.createdAt, at), and(eq(creditLedger.createdAt, at), lt(creditLedger.id, id))),
      );
    }
    return db
      .select()
      .from(creditLedger)
      .where(and(...where))
      .orderBy(desc(creditLedger.createdAt), desc(creditLedger.id))
      .limit(page.limit + 1);
  },
};
