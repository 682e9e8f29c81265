import { is, Placeholder, sql } from 'drizzle-orm';
import { userSubject } from '../app-webhooks/outbox.js';
import { type DbOrTx, runStatement, type Statement } from '../db/client.js';
import { creditLots } from '../db/schema/index.js';
import type { Benefit, PlanKind } from '../db/schema/plans.js';
import { userOrTheirOrganization } from '../organizations/repository.js';
import { purchaseAccess, purchaseCandidatesQuery } from '../purchases/repository.js';
import { type CreditBalances, creditBalancesOf, liveCreditTotalsQuery } from '../usage/balances.js';
import { candidatesQuery } from './repository.js';
import type { SubscriptionAccess } from './rules.js';

/**
 * What a user's entitlements read, all of it in one statement: the host app asks on every one of
 * its requests, and four round trips (the sequence, the subscriptions, the purchases, the credits)
 * cost four times the network, the driver and the query building of one. One statement also reads
 * one snapshot, so the sequence is exactly as new as the set.
 */
export interface EntitlementSnapshot {
  sequence: number;
  /** The subscriptions, then the purchases, as `entitlementRepository.candidates` answers them. */
  candidates: SubscriptionAccess[];
  /** The live credits of the user and of every organisation they belong to. */
  credits: CreditBalances;
}

type Query = { sql: string; params: unknown[] };

/**
 * The parts are the repositories' own queries, so the statement reads exactly what they read; each
 * part's `$n` moves past the parameters before it. Nested rows come back as JSON (timestamps as
 * text). A part's rows keep its `order by`: aggregated straight from the sorted subquery.
 */
function build(db: DbOrTx): { statement: Statement; params: unknown[] } {
  const params: unknown[] = [];
  const embed = (query: Query): string => {
    const offset = params.length;
    params.push(...query.params);
    return query.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  };
  const subscriptions = embed(candidatesQuery(db, 'user').toSQL());
  const purchases = embed(purchaseCandidatesQuery(db, 'user').toSQL());
  const credits = embed(
    liveCreditTotalsQuery(
      db,
      userOrTheirOrganization(creditLots.payerKind, creditLots.payerId, sql.placeholder('userId')),
      sql.placeholder('now'),
    ).toSQL(),
  );
  const subject = embed({ sql: '$1', params: [sql.placeholder('subject')] });
  const text = `
  select
    (select sequence from app_webhook_sequences where subject = ${subject}) as sequence,
    (select coalesce(json_agg(c), '[]'::json) from (${subscriptions}) c) as subscriptions,
    (select coalesce(json_agg(p), '[]'::json) from (${purchases}) p) as purchases,
    (select coalesce(json_agg(b), '[]'::json) from (${credits}) b) as credits`;
  return { statement: { name: 'recur_entitlements_user', text }, params };
}

let built: ReturnType<typeof build> | undefined;

interface Row {
  sequence: string | number | null;
  /** Keyed by the candidates query's column names. */
  subscriptions: Array<{
    id: string;
    plan_id: string | null;
    organization_id: string | null;
    kind: PlanKind | null;
    quantity: number;
    status: string;
    provider: 'stripe' | 'external';
    cancel_at_period_end: boolean;
    cancel_at: string | null;
    current_period_start: string | null;
    current_period_end: string | null;
    benefits: Benefit[] | null;
    payment_action_required: boolean;
  }>;
  purchases: Array<{
    id: string;
    plan_id: string;
    payer_kind: string;
    payer_id: string;
    benefits: Benefit[];
  }>;
  credits: Array<{ payer_kind: string; payer_id: string; feature: string; total: string | number }>;
}

const dateOf = (value: string | null): Date | null => (value === null ? null : new Date(value));

/** Reads a user's entitlement snapshot at `now` in one round trip: a prepared statement on PostgreSQL. */
export async function readEntitlementSnapshot(
  db: DbOrTx,
  userId: string,
  now: Date,
): Promise<EntitlementSnapshot> {
  built ??= build(db);
  const named: Record<string, unknown> = { userId, subject: userSubject(userId), now };
  const values = built.params.map((param) => (is(param, Placeholder) ? named[param.name] : param));
  const [row] = await runStatement<Row>(db, built.statement, values);
  if (!row) throw new Error('the entitlements statement answered no row');
  return {
    sequence: row.sequence === null ? 0 : Number(row.sequence),
    candidates: [
      ...row.subscriptions.map(
        (sub): SubscriptionAccess => ({
          id: sub.id,
          planId: sub.plan_id,
          organizationId: sub.organization_id,
          kind: sub.kind ?? 'base',
          quantity: sub.quantity,
          status: sub.status,
          provider: sub.provider,
          cancelAtPeriodEnd: sub.cancel_at_period_end,
          cancelAt: dateOf(sub.cancel_at),
          currentPeriodStart: dateOf(sub.current_period_start),
          currentPeriodEnd: dateOf(sub.current_period_end),
          benefits: sub.benefits ?? [],
          paymentActionRequired: sub.payment_action_required,
        }),
      ),
      ...row.purchases.map((purchase) =>
        purchaseAccess({
          id: purchase.id,
          planId: purchase.plan_id,
          payerKind: purchase.payer_kind,
          payerId: purchase.payer_id,
          benefits: purchase.benefits,
        }),
      ),
    ],
    credits: creditBalancesOf(
      row.credits.map((lot) => ({
        payerKind: lot.payer_kind,
        payerId: lot.payer_id,
        feature: lot.feature,
        total: lot.total,
      })),
    ),
  };
}
