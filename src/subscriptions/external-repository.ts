import { and, desc, eq, inArray, lte } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import {
  externalPayments,
  invoices,
  planPrices,
  subscriptionItems,
  subscriptions,
} from '../db/schema/index.js';
import { movementRepository } from '../reports/movement-repository.js';
import { keepingRevenueRollup } from '../reports/revenue-rollup.js';

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type NewSubscriptionRow = typeof subscriptions.$inferInsert;
export type NewItemRow = typeof subscriptionItems.$inferInsert;
export type InvoiceRow = typeof invoices.$inferSelect;
export type NewExternalPayment = typeof externalPayments.$inferInsert;

/** Statuses in which an external subscription is paid up and owes its next payment at period end. */
const RUNNING_STATUSES = ['active', 'trialing'];

/**
 * SQL of the subscriptions Recur keeps itself (`provider = 'external'`) and of the payments the
 * payment webhook reports, for those and for Stripe-managed subscriptions.
 */
export const externalSubscriptionRepository = {
  async findSubscription(db: DbOrTx, id: string): Promise<SubscriptionRow | null> {
    const [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, id)).limit(1);
    return row ?? null;
  },

  async insertSubscription(db: DbOrTx, row: NewSubscriptionRow, item: NewItemRow): Promise<void> {
    await db.transaction(async (tx) => {
      // A new row gives a plan to any invoice already naming it (none is expected for an external one).
      await keepingRevenueRollup(tx, 'subscription', [row], async () => {
        await tx.insert(subscriptions).values(row);
        return 1;
      });
      await tx.insert(subscriptionItems).values(item);
      await movementRepository.record(tx, row.id, row.stripeEventAt);
    });
  },

  async updateSubscription(
    db: DbOrTx,
    id: string,
    changes: Partial<Pick<SubscriptionRow, 'status' | 'currentPeriodStart' | 'currentPeriodEnd'>>,
    at: Date,
  ): Promise<void> {
    await db
      .update(subscriptions)
      .set({ ...changes, stripeEventAt: at, updatedAt: at })
      .where(eq(subscriptions.id, id));
    await movementRepository.record(db, id, at);
  },

  /** The billing interval of the subscription's price, from the catalog. */
  async priceOf(db: DbOrTx, stripePriceId: string) {
    const [row] = await db.select().from(planPrices).where(eq(planPrices.stripePriceId, stripePriceId));
    return row ?? null;
  },

  /** The newest open invoice of a Stripe-managed subscription, as the mirror knows it. */
  async openInvoiceOf(db: DbOrTx, subscriptionId: string): Promise<InvoiceRow | null> {
    const [row] = await db
      .select()
      .from(invoices)
      .where(and(eq(invoices.subscriptionId, subscriptionId), eq(invoices.status, 'open')))
      .orderBy(desc(invoices.createdAt))
      .limit(1);
    return row ?? null;
  },

  /** One row per delivery; false when this event's payment was already recorded. */
  async recordPayment(db: DbOrTx, payment: NewExternalPayment): Promise<boolean> {
    const inserted = await db
      .insert(externalPayments)
      .values(payment)
      .onConflictDoNothing({ target: externalPayments.eventId })
      .returning({ id: externalPayments.id });
    return inserted.length > 0;
  },

  /** The running external subscriptions whose billing date has passed, with their customers. */
  async overdue(db: DbOrTx, now: Date): Promise<Array<{ id: string; customerId: string }>> {
    return db
      .select({ id: subscriptions.id, customerId: subscriptions.customerId })
      .from(subscriptions)
      .where(overdueAt(now));
  },

  /**
   * One statement, so concurrent runs in several workers change each row once; `among` limits it to
   * the rows a caller has read (and locked) first.
   */
  async suspendOverdue(db: DbOrTx, now: Date, among?: string[]): Promise<string[]> {
    return db.transaction(async (tx) => {
      const rows = await tx
        .update(subscriptions)
        .set({ status: 'past_due', stripeEventAt: now, updatedAt: now })
        .where(and(overdueAt(now), among ? inArray(subscriptions.id, among) : undefined))
        .returning({ id: subscriptions.id });
      for (const row of rows) await movementRepository.record(tx, row.id, now);
      return rows.map((r) => r.id);
    });
  },
};

function overdueAt(now: Date) {
  return and(
    eq(subscriptions.provider, 'external'),
    inArray(subscriptions.status, RUNNING_STATUSES),
    lte(subscriptions.currentPeriodEnd, now),
  );
}
