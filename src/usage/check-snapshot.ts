import { type DbOrTx, runStatement, type Statement } from '../db/client.js';
import type { Benefit, PlanKind } from '../db/schema/plans.js';
import { ACCESS_STATUSES } from '../entitlements/rules.js';
import type { PayerKey } from './credits-ledger.js';
import type { Interval } from './periods.js';
import { type CounterRow, counterRowOf, payerSubscriptionsSql } from './repository.js';
import type { PayerSubscription } from './rules.js';

/** What a check reads, all of it at `now`, in one statement. */
export interface CheckSnapshot {
  /** False for an organisation Recur does not know (a user needs no record). */
  payerKnown: boolean;
  /** The payer's subscriptions that may give access, in the catalog's plan order. */
  subscriptions: PayerSubscription[];
  /** The payer's live credits for the feature (negative while credits are owed). */
  credits: number;
  /**
   * The feature's counters that started by `now`, the latest first (at most RECENT_COUNTERS): the
   * current period's is among them unless a later one started since (see `counterOf`).
   */
  recentCounters: CounterRow[];
}

const RECENT_COUNTERS = 3;

/**
 * The subscriptions part reads what `payersSubscriptions` reads (`payerSubscriptionsSql`), one text
 * per payer kind so that each uses its own index; the credits part reads as
 * `creditLedgerRepository.balance` does. Nested rows come back as JSON: their timestamps as text.
 */
const text = (payerColumn: 'external_id' | 'organization_id', knownPayer: string) => {
  const subs = payerSubscriptionsSql(`c.${payerColumn} = $2`, '$5');
  return `
  select ${knownPayer} as "payerKnown",
    (select coalesce(json_agg(json_build_object(
         'id', s.id, 'planId', s.plan_id, 'kind', coalesce(p.kind, 'base'), 'quantity', s.quantity,
         'status', s.status, 'provider', s.provider, 'cancelAtPeriodEnd', s.cancel_at_period_end,
         'cancelAt', s.cancel_at, 'currentPeriodStart', s.current_period_start,
         'currentPeriodEnd', s.current_period_end, 'benefits', coalesce(p.benefits, '[]'::jsonb),
         'interval', pp.interval, 'intervalCount', pp.interval_count)
       order by ${subs.order}), '[]'::json)
     ${subs.from}
    ) as subscriptions,
    (select coalesce(sum(l.remaining), 0)::bigint from credit_lots l
     where l.payer_kind = $1 and l.payer_id = $2 and l.feature = $3
       and (l.expires_at is null or l.expires_at > $4)) as credits,
    (select coalesce(json_agg(u order by u.period_start desc), '[]'::json) from (
       select * from usage_counters
       where payer_kind = $1 and payer_id = $2 and feature = $3 and period_start <= $4
       order by period_start desc limit ${RECENT_COUNTERS}) u) as counters`;
};

const STATEMENTS: Record<PayerKey['payerKind'], Statement> = {
  user: { name: 'recur_usage_check_user', text: text('external_id', 'true') },
  organization: {
    name: 'recur_usage_check_organization',
    text: text('organization_id', 'exists (select 1 from organizations o where o.id = $2)'),
  },
};

interface Row {
  payerKnown: boolean;
  subscriptions: Array<
    Omit<PayerSubscription, 'cancelAt' | 'currentPeriodStart' | 'currentPeriodEnd'> & {
      kind: PlanKind;
      benefits: Benefit[];
      interval: Interval | null;
      cancelAt: string | null;
      currentPeriodStart: string | null;
      currentPeriodEnd: string | null;
    }
  >;
  credits: string | number;
  counters: Array<Record<string, string | number | null>>;
}

const dateOf = (value: string | null): Date | null => (value === null ? null : new Date(value));

/** Reads what a check needs in one round trip: a prepared statement on PostgreSQL. */
export async function readCheckSnapshot(
  db: DbOrTx,
  payer: PayerKey,
  feature: string,
  now: Date,
): Promise<CheckSnapshot> {
  const [row] = await runStatement<Row>(db, STATEMENTS[payer.payerKind], [
    payer.payerKind,
    payer.payerId,
    feature,
    now,
    [...ACCESS_STATUSES],
  ]);
  if (!row) throw new Error('the check statement answered no row');
  return {
    payerKnown: row.payerKnown,
    subscriptions: row.subscriptions.map((s) => ({
      ...s,
      cancelAt: dateOf(s.cancelAt),
      currentPeriodStart: dateOf(s.currentPeriodStart),
      currentPeriodEnd: dateOf(s.currentPeriodEnd),
    })),
    credits: Number(row.credits),
    recentCounters: row.counters.map(counterRowOf),
  };
}

/**
 * The counter of the period starting at `start` (at or before `now`) from a snapshot: found among
 * the recent ones; known absent when they all started before it (a counter for it would be among
 * them, being later); otherwise `undefined`, and it must be read by its start.
 */
export function counterOf(snapshot: CheckSnapshot, start: Date): CounterRow | null | undefined {
  const found = snapshot.recentCounters.find((c) => c.periodStart.getTime() === start.getTime());
  if (found) return found;
  const fetchedAll = snapshot.recentCounters.length < RECENT_COUNTERS;
  const allBefore = snapshot.recentCounters.every((c) => c.periodStart < start);
  return allBefore || fetchedAll ? null : undefined;
}
