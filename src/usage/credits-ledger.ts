import { and, asc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import {
  type CreditMovement,
  type CreditSource,
  creditLedger,
  creditLots,
  type PayerKind,
} from '../db/schema/index.js';
import { newId } from '../shared/ids.js';

/** A payer as the usage tables key it. */
export interface PayerKey {
  payerKind: PayerKind;
  payerId: string;
}

export type CreditLotRow = typeof creditLots.$inferSelect;
export type CreditLedgerRow = typeof creditLedger.$inferSelect;

const ofPayer = (payer: PayerKey, feature: string) =>
  and(
    eq(creditLots.payerKind, payer.payerKind),
    eq(creditLots.payerId, payer.payerId),
    eq(creditLots.feature, feature),
  );

const live = (now: Date) => or(isNull(creditLots.expiresAt), gt(creditLots.expiresAt, now));

/** The source reference of a payer's one debt lot per feature. */
const DEBT_REF = 'debt';

/**
 * Locks the payer's debt lot for the feature, made (owing nothing) on first use, and answers it.
 * Whoever may change a debt takes this lock before any lot: a grant that pays it, a draw that may
 * add to it. So a grant and a draw beyond the balance never pass each other, and a debt never sits
 * beside credits that could pay it (a reservation's draw, which never owes, takes lots only).
 */
async function lockDebt(tx: DbOrTx, payer: PayerKey, feature: string) {
  const [debt] = await tx
    .insert(creditLots)
    .values({
      id: newId('clot'),
      payerKind: payer.payerKind,
      payerId: payer.payerId,
      feature,
      granted: 0,
      remaining: 0,
      source: 'debt',
      sourceRef: DEBT_REF,
      expiresAt: null,
    })
    .onConflictDoUpdate({
      target: [
        creditLots.payerKind,
        creditLots.payerId,
        creditLots.feature,
        creditLots.source,
        creditLots.sourceRef,
      ],
      set: { remaining: sql`${creditLots.remaining}` },
    })
    .returning({ id: creditLots.id, remaining: creditLots.remaining });
  return debt!;
}

/** Moves `amount` to the debt lot (positive: paid; negative: owed), with its ledger row. */
async function changeDebt(
  tx: DbOrTx,
  debt: { id: string },
  entry: PayerKey & {
    feature: string;
    amount: number;
    movement: 'usage' | 'settle';
    reference: string | null;
  },
): Promise<void> {
  await tx
    .update(creditLots)
    .set({ remaining: sql`${creditLots.remaining} + ${entry.amount}` })
    .where(eq(creditLots.id, debt.id));
  const { payerKind, payerId, feature, amount, movement, reference } = entry;
  await tx.insert(creditLedger).values({
    id: newId('cled'),
    payerKind,
    payerId,
    feature,
    amount,
    movement,
    lotId: debt.id,
    reason: null,
    reference,
  });
}

/**
 * The credit ledger: grants make lots, draws take from the lots that expire first (then the
 * oldest), and every movement is a ledger row written in the same statement group, so that a
 * payer's balance (the ledger's sum) always equals the sum of its lots' `remaining`.
 *
 * Draws lock the payer's live lots (`FOR UPDATE`) and must run inside a transaction: concurrent
 * draws queue on those rows and never take the same credit twice.
 */
export const creditLedgerRepository = {
  /**
   * Grants credits; idempotent per (payer, feature, source, sourceRef): a second grant with the
   * same reference changes nothing and answers `created: false`.
   */
  async grant(
    tx: DbOrTx,
    grant: PayerKey & {
      feature: string;
      amount: number;
      source: Exclude<CreditSource, 'debt'>;
      sourceRef: string;
      expiresAt: Date | null;
      reason: string | null;
      /** When the grant happens (default now): the credits live then pay a debt. */
      now?: Date;
    },
  ): Promise<{ lot: CreditLotRow; created: boolean }> {
    const [lot] = await tx
      .insert(creditLots)
      .values({
        id: newId('clot'),
        payerKind: grant.payerKind,
        payerId: grant.payerId,
        feature: grant.feature,
        granted: grant.amount,
        remaining: grant.amount,
        source: grant.source,
        sourceRef: grant.sourceRef,
        expiresAt: grant.expiresAt,
      })
      .onConflictDoNothing()
      .returning();
    if (!lot) {
      const [existing] = await tx
        .select()
        .from(creditLots)
        .where(
          and(
            ofPayer(grant, grant.feature),
            eq(creditLots.source, grant.source),
            eq(creditLots.sourceRef, grant.sourceRef),
          ),
        );
      return { lot: existing!, created: false };
    }
    await tx.insert(creditLedger).values({
      id: newId('cled'),
      payerKind: grant.payerKind,
      payerId: grant.payerId,
      feature: grant.feature,
      amount: grant.amount,
      movement: 'grant',
      lotId: lot.id,
      reason: grant.reason,
      reference: grant.sourceRef,
    });
    // The debt first: the new credits (and any others live) pay what is owed, soonest-expiring first.
    const debt = await lockDebt(tx, grant, grant.feature);
    if (debt.remaining < 0) {
      const paid = await this.draw(tx, {
        ...grant,
        amount: -debt.remaining,
        movement: 'settle',
        reference: grant.sourceRef,
        reason: null,
        allOrNothing: false,
      });
      if (paid)
        await changeDebt(tx, debt, {
          ...grant,
          amount: paid,
          movement: 'settle',
          reference: grant.sourceRef,
        });
    }
    return { lot, created: true };
  },

  /**
   * Takes up to `amount` credits for usage that happened, as `draw` does, and records what the
   * balance could not pay as owed (`usage` on the debt lot) when `mayOwe` says the feature is paid
   * in credits. The debt lot is locked first (see `lockDebt`). Answers the credits taken and owed.
   */
  async drawOrOwe(
    tx: DbOrTx,
    use: PayerKey & { feature: string; amount: number; reference: string; now: Date },
    mayOwe: () => Promise<boolean>,
  ): Promise<{ drawn: number; owed: number }> {
    if (use.amount <= 0) return { drawn: 0, owed: 0 };
    const debt = (await mayOwe()) ? await lockDebt(tx, use, use.feature) : null;
    const drawn = await this.draw(tx, { ...use, movement: 'usage', reason: null, allOrNothing: false });
    const owed = debt ? use.amount - drawn : 0;
    if (debt && owed > 0) await changeDebt(tx, debt, { ...use, amount: -owed, movement: 'usage' });
    return { drawn, owed };
  },

  /** The live balance: the sum of the unexpired lots' `remaining`, negative while more is owed. */
  async balance(db: DbOrTx, payer: PayerKey, feature: string, now = new Date()): Promise<number> {
    const [row] = await db
      .select({ total: sql<string>`coalesce(sum(${creditLots.remaining}), 0)` })
      .from(creditLots)
      .where(and(ofPayer(payer, feature), live(now)));
    return Number(row?.total ?? 0);
  },

  /**
   * Takes up to `amount` credits (all of it, or nothing when `allOrNothing`), soonest-expiring lots
   * first; answers how many were taken. Writes one ledger row per lot touched.
   */
  async draw(
    tx: DbOrTx,
    draw: PayerKey & {
      feature: string;
      amount: number;
      movement: Extract<CreditMovement, 'usage' | 'reserve' | 'revoke' | 'settle'>;
      reference: string | null;
      reason: string | null;
      allOrNothing: boolean;
      now?: Date;
    },
  ): Promise<number> {
    if (draw.amount <= 0) return 0;
    const now = draw.now ?? new Date();
    const lots = await tx
      .select()
      .from(creditLots)
      .where(and(ofPayer(draw, draw.feature), live(now), gt(creditLots.remaining, 0)))
      .orderBy(sql`${creditLots.expiresAt} asc nulls last`, asc(creditLots.createdAt), asc(creditLots.id))
      .for('update');
    const available = lots.reduce((sum, lot) => sum + lot.remaining, 0);
    if (draw.allOrNothing && available < draw.amount) return 0;
    let left = draw.amount;
    for (const lot of lots) {
      if (left === 0) break;
      const take = Math.min(left, lot.remaining);
      left -= take;
      await tx
        .update(creditLots)
        .set({ remaining: sql`${creditLots.remaining} - ${take}` })
        .where(eq(creditLots.id, lot.id));
      await tx.insert(creditLedger).values({
        id: newId('cled'),
        payerKind: draw.payerKind,
        payerId: draw.payerId,
        feature: draw.feature,
        amount: -take,
        movement: draw.movement,
        lotId: lot.id,
        reason: draw.reason,
        reference: draw.reference,
      });
    }
    return draw.amount - left;
  },

  /**
   * Gives back credits a reservation held: to the lot they came from when it is still live, else
   * they are gone with it. Answers how many were returned.
   */
  async giveBack(
    tx: DbOrTx,
    back: PayerKey & { feature: string; reference: string; now?: Date },
  ): Promise<number> {
    const now = back.now ?? new Date();
    const taken = await tx
      .select({ lotId: creditLedger.lotId, amount: sql<string>`sum(${creditLedger.amount})` })
      .from(creditLedger)
      .where(
        and(
          eq(creditLedger.payerKind, back.payerKind),
          eq(creditLedger.payerId, back.payerId),
          eq(creditLedger.feature, back.feature),
          eq(creditLedger.reference, back.reference),
        ),
      )
      .groupBy(creditLedger.lotId);
    let returned = 0;
    for (const { lotId, amount } of taken) {
      const owed = -Number(amount);
      if (owed <= 0) continue;
      const [lot] = await tx
        .update(creditLots)
        .set({ remaining: sql`${creditLots.remaining} + ${owed}` })
        .where(and(eq(creditLots.id, lotId), live(now)))
        .returning({ id: creditLots.id });
      if (!lot) continue;
      returned += owed;
      await tx.insert(creditLedger).values({
        id: newId('cled'),
        payerKind: back.payerKind,
        payerId: back.payerId,
        feature: back.feature,
        amount: owed,
        movement: 'release',
        lotId,
        reason: null,
        reference: back.reference,
      });
    }
    return returned;
  },

  /**
   * Writes off what is left of lots that expired by `now`: one `expiry` row each, `remaining` to
   * zero. Answers the number of lots expired.
   */
  async expire(tx: DbOrTx, now = new Date(), limit = 500): Promise<number> {
    const due = await tx
      .select()
      .from(creditLots)
      .where(and(lte(creditLots.expiresAt, now), gt(creditLots.remaining, 0)))
      .limit(limit)
      .for('update', { skipLocked: true });
    for (const lot of due)
      await this.writeOff(tx, lot, { movement: 'expiry', reason: null, reference: null });
    return due.length;
  },

  /**
   * Takes what is left of a lot (locked by the caller) to zero, with one ledger row for it: an
   * `expiry` when it ran out of time, a `revoke` when what granted it was taken back.
   */
  async writeOff(
    tx: DbOrTx,
    lot: CreditLotRow,
    entry: {
      movement: Extract<CreditMovement, 'expiry' | 'revoke'>;
      reason: string | null;
      reference: string | null;
    },
  ): Promise<void> {
    await tx.update(creditLots).set({ remaining: 0 }).where(eq(creditLots.id, lot.id));
    await tx.insert(creditLedger).values({
      id: newId('cled'),
      payerKind: lot.payerKind,
      payerId: lot.payerId,
      feature: lot.feature,
      amount: -lot.remaining,
      lotId: lot.id,
      ...entry,
    });
  },

  /** The ledger's sum for a payer and feature: equals `balance` plus what expired lots still hold. */
  async ledgerSum(db: DbOrTx, payer: PayerKey, feature: string): Promise<number> {
    const [row] = await db
      .select({ total: sql<string>`coalesce(sum(${creditLedger.amount}), 0)` })
      .from(creditLedger)
      .where(
        and(
          eq(creditLedger.payerKind, payer.payerKind),
          eq(creditLedger.payerId, payer.payerId),
          eq(creditLedger.feature, feature),
        ),
      );
    return Number(row?.total ?? 0);
  },
};
