import { and, desc, eq, sql } from 'drizzle-orm';
import { lifetimeBenefits } from '../credits/grant-rules.js';
import type { DbOrTx } from '../db/client.js';
import { creditLots, customers, plans, purchases } from '../db/schema/index.js';
import type { Benefit } from '../db/schema/plans.js';
import type { SubscriptionAccess } from '../entitlements/rules.js';
import { userOrTheirOrganization } from '../organizations/repository.js';
import { newId } from '../shared/ids.js';
import { creditLedgerRepository } from '../usage/credits-ledger.js';

export type PurchaseRow = typeof purchases.$inferSelect;
export type NewPurchase = Omit<typeof purchases.$inferInsert, 'id'>;

export const purchaseRepository = {
  /** Records a paid purchase once per Checkout Session; answers null when it was recorded before. */
  async insert(tx: DbOrTx, purchase: NewPurchase): Promise<PurchaseRow | null> {
    const [row] = await tx
      .insert(purchases)
      .values({ id: newId('pur'), ...purchase })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  },

  /** The paid purchases a payment intent paid for, locked: a refund takes them back once. */
  async paidByPaymentIntent(tx: DbOrTx, paymentIntentId: string): Promise<PurchaseRow[]> {
    return tx
      .select()
      .from(purchases)
      .where(and(eq(purchases.paymentIntentId, paymentIntentId), eq(purchases.status, 'paid')))
      .for('update');
  },

  async markRefunded(tx: DbOrTx, id: string, at: Date): Promise<void> {
    await tx.update(purchases).set({ status: 'refunded', refundedAt: at }).where(eq(purchases.id, id));
  },

  /**
   * Takes back what is left of a purchase's credits: every lot it granted goes to zero with one
   * `revoke` row each. Answers the credits taken, per feature.
   */
  async revokeCredits(tx: DbOrTx, purchase: PurchaseRow, reason: string): Promise<Record<string, number>> {
    const lots = await tx
      .select()
      .from(creditLots)
      .where(
        and(
          eq(creditLots.payerKind, purchase.payerKind),
          eq(creditLots.payerId, purchase.payerId),
          eq(creditLots.source, 'purchase'),
          eq(creditLots.sourceRef, purchase.checkoutSessionId),
        ),
      )
      .for('update');
    const taken: Record<string, number> = {};
    for (const lot of lots) {
      if (lot.remaining <= 0) continue;
      taken[lot.feature] = (taken[lot.feature] ?? 0) + lot.remaining;
      await creditLedgerRepository.writeOff(tx, lot, {
        movement: 'revoke',
        reason,
        reference: purchase.checkoutSessionId,
      });
    }
    return taken;
  },

  /**
   * The purchases that give the user benefits for good, as entitlement candidates: the user's own
   * paid purchases, and those of every organisation they are a member of (or of one organisation).
   */
  async candidates(
    db: DbOrTx,
    scope: { userId: string } | { organizationId: string },
  ): Promise<SubscriptionAccess[]> {
    const rows =
      'organizationId' in scope
        ? await purchaseCandidatesQuery(db, 'organization').execute({ organizationId: scope.organizationId })
        : await purchaseCandidatesQuery(db, 'user').execute({ userId: scope.userId });
    return rows.map(purchaseAccess);
  },

  /** Whether the plan was ever bought: such a plan is archived, never deleted, so its purchases keep it. */
  async anyOfPlan(db: DbOrTx, planId: string): Promise<boolean> {
    const [row] = await db
      .select({ id: purchases.id })
      .from(purchases)
      .where(eq(purchases.planId, planId))
      .limit(1);
    return row !== undefined;
  },

  /** A payer's purchases, newest first. */
  async ofPayer(db: DbOrTx, payerKind: 'user' | 'organization', payerId: string): Promise<PurchaseRow[]> {
    return db
      .select()
      .from(purchases)
      .where(and(eq(purchases.payerKind, payerKind), eq(purchases.payerId, payerId)))
      .orderBy(desc(purchases.createdAt), desc(purchases.id))
      .limit(100);
  },
};

/**
 * A user's paid purchases, their own and their organisations' (placeholder `userId`), or one
 * organisation's (`organizationId`), in the catalog's plan order.
 */
export function purchaseCandidatesQuery(db: DbOrTx, scope: 'user' | 'organization') {
  const payer =
    scope === 'organization'
      ? and(eq(purchases.payerKind, 'organization'), eq(purchases.payerId, sql.placeholder('organizationId')))
      : userOrTheirOrganization(purchases.payerKind, purchases.payerId, sql.placeholder('userId'));
  return db
    .select({
      id: purchases.id,
      planId: purchases.planId,
      payerKind: purchases.payerKind,
      payerId: purchases.payerId,
      benefits: plans.benefits,
    })
    .from(purchases)
    .innerJoin(plans, eq(plans.id, purchases.planId))
    .innerJoin(customers, eq(customers.id, purchases.customerId))
    .where(and(payer, eq(purchases.status, 'paid'), sql`not ${customers.deleted}`))
    .orderBy(sql`${plans.createdAt} asc`, plans.id, purchases.createdAt, purchases.id);
}

/** A purchase as an entitlement candidate: a one-time plan that grants like a subscription that never ends. */
export function purchaseAccess(row: {
  id: string;
  planId: string;
  payerKind: string;
  payerId: string;
  benefits: Benefit[];
}): SubscriptionAccess {
  return {
    id: row.id,
    planId: row.planId,
    organizationId: row.payerKind === 'organization' ? row.payerId : null,
    kind: 'one_time',
    purchase: true,
    status: 'active',
    provider: 'stripe',
    cancelAtPeriodEnd: false,
    cancelAt: null,
    currentPeriodStart: null,
    currentPeriodEnd: null,
    benefits: lifetimeBenefits(row.benefits),
  };
}
