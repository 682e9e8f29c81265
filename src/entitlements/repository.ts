import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import { customers, disputes, invoices, plans, subscriptions } from '../db/schema/index.js';
import { memberOrganizations } from '../organizations/repository.js';
import { purchaseRepository } from '../purchases/repository.js';
import { ACCESS_STATUSES, type SubscriptionAccess } from './rules.js';

/** Whose entitlements: every payer of the user (their own and their organisations'), or one organisation. */
export type EntitlementScope = 'user' | 'organization';

// Literal, not a bound false: a generic plan must see it implies the partial indexes' predicate.
const live = sql`not ${customers.deleted}`;

/**
 * The live customers whose subscriptions reach the user, with the organisation each one bills
 * (null for the user's own): the user's own customer by the partial unique index on external_id,
 * and each organisation the user is a member of (any role) by `organization_members_user`, then
 * its live customer by the index on organization_id. A UNION ALL, not an OR: each
 * branch keeps its own index, where an OR over a sub-select would scan every customer.
 */
function payersOf(db: DbOrTx, scope: EntitlementScope) {
  if (scope === 'organization')
    return db
      .select({ customerId: customers.id, organizationId: customers.organizationId })
      .from(customers)
      .where(and(eq(customers.organizationId, sql.placeholder('organizationId')), live))
      .as('payer');
  const own = db
    .select({
      customerId: customers.id,
      organizationId: sql<string | null>`null::text`.as('organization_id'),
    })
    .from(customers)
    .where(and(eq(customers.externalId, sql.placeholder('userId')), live));
  const organizations = db
    .select({ customerId: customers.id, organizationId: customers.organizationId })
    .from(customers)
    .where(
      and(sql`${customers.organizationId} = any(${memberOrganizations(sql.placeholder('userId'))})`, live),
    );
  return own.unionAll(organizations).as('payer');
}

/**
 * The subscriptions that may give the user access, with their plans' benefits and kinds, in one
 * statement: the payers above, then their subscriptions (index on customer_id), and each one's
 * latest invoice (primary key). A customer deleted in Stripe gives nothing: its subscriptions ended
 * with it, and a subscription frozen by a dispute gives nothing until the dispute is won. Rows
 * come in the catalog's plan order, which decides which plan's text benefit wins within a payer.
 */
export function candidatesQuery(db: DbOrTx, scope: EntitlementScope = 'user') {
  const payer = payersOf(db, scope);
  return db
    .select({
      id: subscriptions.id,
      planId: subscriptions.planId,
      organizationId: payer.organizationId,
      kind: plans.kind,
      quantity: subscriptions.quantity,
      status: subscriptions.status,
      provider: subscriptions.provider,
      cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
      cancelAt: subscriptions.cancelAt,
      currentPeriodStart: subscriptions.currentPeriodStart,
      currentPeriodEnd: subscriptions.currentPeriodEnd,
      benefits: plans.benefits,
      // Only the status word shows it (`action_required`); access follows the Stripe status.
      paymentActionRequired:
        sql<boolean>`coalesce(${invoices.status} = 'open' and ${invoices.paymentActionRequired}, false)`.as(
          'payment_action_required',
        ),
    })
    .from(payer)
    .innerJoin(subscriptions, eq(subscriptions.customerId, payer.customerId))
    .leftJoin(plans, eq(plans.id, subscriptions.planId))
    .leftJoin(invoices, eq(invoices.id, subscriptions.latestInvoiceId))
    .where(
      and(
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

type Row = Awaited<ReturnType<ReturnType<typeof candidatesQuery>['execute']>>[number];
const toAccess = (row: Row): SubscriptionAccess => ({
  ...row,
  kind: row.kind ?? 'base',
  benefits: row.benefits ?? [],
});

/** Prepared once per database and scope, so PostgreSQL plans each once per connection. */
function prepare(db: Db, scope: EntitlementScope) {
  return candidatesQuery(db, scope).prepare(`entitlement_candidates_${scope}`);
}

const prepared = new WeakMap<Db, Map<EntitlementScope, ReturnType<typeof prepare>>>();

function preparedFor(db: Db, scope: EntitlementScope) {
  let byScope = prepared.get(db);
  if (!byScope) {
    byScope = new Map();
    prepared.set(db, byScope);
  }
  let query = byScope.get(scope);
  if (!query) {
    query = prepare(db, scope);
    byScope.set(scope, query);
  }
  return query;
}

export const entitlementRepository = {
  /**
   * Every subscription that may give the user access, their own and their organisations', then
   * their paid purchases of one-time plans, which grant like subscriptions that never end.
   */
  async candidates(db: Db, userId: string): Promise<SubscriptionAccess[]> {
    const rows = await preparedFor(db, 'user').execute({ userId });
    return [...rows.map(toAccess), ...(await purchaseRepository.candidates(db, { userId }))];
  },

  /** One organisation's subscriptions that may give its members access. */
  async ofOrganization(db: Db, organizationId: string): Promise<SubscriptionAccess[]> {
    const rows = await preparedFor(db, 'organization').execute({ organizationId });
    return [...rows.map(toAccess), ...(await purchaseRepository.candidates(db, { organizationId }))];
  },

  /** The user's rows inside a transaction (a write's before and after), unprepared. */
  async candidatesIn(tx: DbOrTx, userId: string): Promise<SubscriptionAccess[]> {
    const rows = await candidatesQuery(tx).prepare('entitlement_candidates_tx').execute({ userId });
    return [...rows.map(toAccess), ...(await purchaseRepository.candidates(tx, { userId }))];
  },
};
