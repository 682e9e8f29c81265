import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import { customers, disputes, invoices, plans, subscriptions } from '../db/schema/index.js';
import { ACCESS_STATUSES, type SubscriptionAccess } from './rules.js';

/**
 * The user's subscriptions that may give access, with their plans' benefits, in one statement: by
 * the user's live customer (the partial unique index on external_id, which only a query that says
 * `not deleted` may use: without it every customer is scanned), then its subscriptions (index on
 * customer_id), and each one's latest invoice (primary key). A customer deleted in Stripe gives nothing: its
 * subscriptions ended with it, and a subscription frozen by a dispute gives nothing until the dispute is won. Rows
 * come in the catalog's plan order, which decides which plan's text benefit wins.
 */
export function candidatesQuery(db: DbOrTx) {
  return db
    .select({
      id: subscriptions.id,
      planId: subscriptions.planId,
      status: subscriptions.status,
      provider: subscriptions.provider,
      cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
      cancelAt: subscriptions.cancelAt,
      currentPeriodStart: subscriptions.currentPeriodStart,
      currentPeriodEnd: subscriptions.currentPeriodEnd,
      benefits: plans.benefits,
      // Only the status word shows it (`action_required`); access follows the Stripe status.
      paymentActionRequired: sql<boolean>`coalesce(${invoices.status} = 'open' and ${invoices.paymentActionRequired}, false)`,
    })
    .from(customers)
    .innerJoin(subscriptions, eq(subscriptions.customerId, customers.id))
    .leftJoin(plans, eq(plans.id, subscriptions.planId))
    .leftJoin(invoices, eq(invoices.id, subscriptions.latestInvoiceId))
    .where(
      and(
        eq(customers.externalId, sql.placeholder('userId')),
        // Literal, not a bound false: a generic plan must see it implies the index's predicate.
        sql`not ${customers.deleted}`,
        inArray(subscriptions.status, [...ACCESS_STATUSES]),
        // A subscription whose payment a dispute contests gives nothing while it is frozen (see
        // disputes/policy.ts); the partial index holds only the frozen disputes.
        sql`not exists (select 1 from ${disputes} where ${disputes.subscriptionId} = ${subscriptions.id} and ${disputes.accessFrozen})`,
      ),
    )
    .orderBy(
      sql`${plans.createdAt} asc nulls last`,
      asc(plans.id),
      asc(subscriptions.createdAt),
      asc(subscriptions.id),
    );
}

/** Prepared once per database, so PostgreSQL plans it once per connection instead of on every check. */
function prepareCandidates(db: Db) {
  return candidatesQuery(db).prepare('entitlement_candidates');
}

const prepared = new WeakMap<Db, ReturnType<typeof prepareCandidates>>();

export const entitlementRepository = {
  async candidates(db: Db, userId: string): Promise<SubscriptionAccess[]> {
    let query = prepared.get(db);
    if (!query) {
      query = prepareCandidates(db);
      prepared.set(db, query);
    }
    const rows = await query.execute({ userId });
    return rows.map((row) => ({ ...row, benefits: row.benefits ?? [] }));
  },

  /** The same rows inside a transaction (a write's before and after), unprepared. */
  async candidatesIn(tx: DbOrTx, userId: string): Promise<SubscriptionAccess[]> {
    const rows = await candidatesQuery(tx).prepare('entitlement_candidates_tx').execute({ userId });
    return rows.map((row) => ({ ...row, benefits: row.benefits ?? [] }));
  },
};
