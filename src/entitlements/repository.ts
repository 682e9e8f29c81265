import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { customers, plans, subscriptions } from '../db/schema/index.js';
import { ACCESS_STATUSES, type SubscriptionAccess } from './rules.js';

export const entitlementRepository = {
  /**
   * The user's subscriptions that may give access, with their plans' benefits, in one statement:
   * by the customer's user id (unique index), then its subscriptions (index on customer_id). Rows
   * come in the catalog's plan order, which decides which plan's text benefit wins.
   */
  async candidates(db: DbOrTx, userId: string): Promise<SubscriptionAccess[]> {
    const rows = await db
      .select({
        id: subscriptions.id,
        planId: subscriptions.planId,
        status: subscriptions.status,
        cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
        cancelAt: subscriptions.cancelAt,
        currentPeriodStart: subscriptions.currentPeriodStart,
        currentPeriodEnd: subscriptions.currentPeriodEnd,
        benefits: plans.benefits,
      })
      .from(customers)
      .innerJoin(subscriptions, eq(subscriptions.customerId, customers.id))
      .leftJoin(plans, eq(plans.id, subscriptions.planId))
      .where(and(eq(customers.externalId, userId), inArray(subscriptions.status, [...ACCESS_STATUSES])))
      .orderBy(
        sql`${plans.createdAt} asc nulls last`,
        asc(plans.id),
        asc(subscriptions.createdAt),
        asc(subscriptions.id),
      );
    return rows.map((row) => ({ ...row, benefits: row.benefits ?? [] }));
  },
};
