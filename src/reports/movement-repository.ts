import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows, runStatement, type Statement } from '../db/client.js';
import { mrrMonths } from '../db/schema/index.js';
import { lockObject } from '../mirror/locks.js';
import {
  itemArrayParam,
  itemParams,
  REPLACE_ITEMS_CTES,
  type SubscriptionItemRow,
} from '../mirror/subscription-items.js';
import {
  type MonthChange,
  MRR_STATUSES,
  monthChanges,
  monthOf,
  monthsBetween,
  movementKind,
} from './movements.js';
import { addingToRollups } from './rollup-deltas.js';

/**
 * A subscription's MRR from its mirrored items, in minor units per month: yearly / 12, weekly
 * × 52 / 12, daily × 365 / 12, each divided by its interval count, rounded once per subscription.
 * Discounts are not in the mirror, so this is list price × quantity.
 */
const perMonth = (amount: string, interval: string, count: string) =>
  `${amount}::numeric * (case ${interval} when 'day' then 365.0 / 12 when 'week' then 52.0 / 12
     when 'month' then 1 when 'year' then 1.0 / 12 else 0 end) / greatest(coalesce(${count}, 1), 1)`;
/** External subscriptions have no items: their price comes from the catalog. */
const ITEMS_MRR_TEXT = `coalesce(
  (select round(sum(${perMonth('i.unit_amount * i.quantity', 'i.interval', 'i.interval_count')}))
   from subscription_items i where i.subscription_id = s.id),
  (select round(${perMonth('p.unit_amount * s.quantity', 'p.interval', 'p.interval_count')})
   from plan_prices p where p.stripe_price_id = s.price_id limit 1), 0)::int`;
const ITEMS_MRR = sql.raw(ITEMS_MRR_TEXT);

/** The subscription as mirrored now, beside where its MRR last stood. */
const nowText = (itemsMrr: string) => `select s.customer_id, s.plan_id, s.currency, s.status,
         s.cancellation_reason, s.trial_start, s.trial_end,
         (s.metadata ? 'recur_reactivated_from') as comes_back, ${itemsMrr} as items_mrr,
         m.plan_id as before_plan_id, m.mrr as before_mrr,
         to_char(m.cohort_month, 'YYYY-MM-DD') as before_cohort_month,
         m.cohort_plan_id as before_cohort_plan_id
  from subscriptions s left join subscription_mrr m on m.subscription_id = s.id
  where s.id = $1`;

const SUBSCRIPTION_NOW: Statement = {
  name: 'recur_movements_subscription_now',
  text: nowText(ITEMS_MRR_TEXT),
};

/**
 * The subscription's items replaced and the subscription read as above, in one round trip. The
 * reads see the tables as they were before the statement, so the items' MRR is summed from the
 * items being written (the statement's arrays) rather than from the table.
 */
const REPLACE_ITEMS_AND_READ_NOW: Statement = {
  name: 'recur_movements_replace_items_now',
  text: `with ${REPLACE_ITEMS_CTES}
         ${nowText(`coalesce(
           (select round(sum(${perMonth('i.unit_amount * i.quantity', 'i.interval', 'i.interval_count')}))
            from unnest(${itemArrayParam('unitAmount')}, ${itemArrayParam('quantity')},
                        ${itemArrayParam('interval')}, ${itemArrayParam('intervalCount')})
                 as i(unit_amount, quantity, interval, interval_count)),
           (select round(${perMonth('p.unit_amount * s.quantity', 'p.interval', 'p.interval_count')})
            from plan_prices p where p.stripe_price_id = s.price_id limit 1), 0)::int`)}`,
};

/**
 * A subscription's MRR position written, and its movement when it moved, in one statement
 * (parameters in `positionParams`' order). A later write keeps the cohort it joined first.
 */
const WRITE_POSITION: Statement = {
  name: 'recur_movements_write_position',
  text: `with movement as (
           insert into mrr_movements (subscription_id, customer_id, plan_id, currency, at, kind, mrr_delta,
                                      mrr_after, involuntary)
           select $1::text, $2::text, $10::text, $4::text, $11::timestamptz, $12::text, $13::bigint,
                  $5::bigint, $14::boolean
           where $12::text is not null
         )
         insert into subscription_mrr (subscription_id, customer_id, plan_id, currency, mrr, cohort_month,
                                       cohort_plan_id, trial_start, trial_end, converted_at, updated_at)
         values ($1::text, $2::text, $3::text, $4::text, $5::bigint, $6::date, $7::text, $8::timestamptz,
                 $9::timestamptz, $15::timestamptz, $11::timestamptz)
         on conflict (subscription_id) do update set
           customer_id = excluded.customer_id, plan_id = excluded.plan_id, mrr = excluded.mrr,
           trial_start = excluded.trial_start, trial_end = excluded.trial_end,
           cohort_month = coalesce(subscription_mrr.cohort_month, excluded.cohort_month),
           cohort_plan_id = coalesce(subscription_mrr.cohort_plan_id, excluded.cohort_plan_id),
           converted_at = coalesce(subscription_mrr.converted_at, excluded.converted_at),
           updated_at = excluded.updated_at`,
};

const COUNTED = sql.raw(MRR_STATUSES.map((s) => `'${s}'`).join(', '));
const UTC_MONTH = (column: string) => sql.raw(`date_trunc('month', ${column} at time zone 'UTC')::date`);

interface SubscriptionNow {
  customer_id: string;
  plan_id: string | null;
  currency: string;
  status: string;
  cancellation_reason: string | null;
  trial_start: Date | string | null;
  trial_end: Date | string | null;
  comes_back: boolean;
  items_mrr: number;
  before_plan_id: string | null;
  /** Null when the subscription has no MRR position yet. */
  before_mrr: number | string | null;
  before_cohort_month: string | null;
  before_cohort_plan_id: string | null;
}

const asDate = (v: Date | string | null) => (v == null ? null : new Date(v));

export const movementRepository = {
  /**
   * Compares the subscription's mirrored MRR with where it last stood and records the difference:
   * a movement, the monthly sums and the cohort counts, in the caller's transaction. Idempotent, so
   * every writer of the subscription row may call it after its write; `at` is the written state's time.
   */
  async record(
    tx: DbOrTx,
    subscriptionId: string,
    at: Date,
    replacingItems?: SubscriptionItemRow[],
  ): Promise<void> {
    await lockObject(tx, subscriptionId);
    const [now] = replacingItems
      ? await runStatement<SubscriptionNow>(
          tx,
          REPLACE_ITEMS_AND_READ_NOW,
          itemParams(subscriptionId, replacingItems),
        )
      : await runStatement<SubscriptionNow>(tx, SUBSCRIPTION_NOW, [subscriptionId]);
    if (!now) return;
    const before =
      now.before_mrr === null
        ? null
        : {
            planId: now.before_plan_id,
            mrr: Number(now.before_mrr),
            cohortMonth: now.before_cohort_month,
            cohortPlanId: now.before_cohort_plan_id,
          };
    const mrr = (MRR_STATUSES as readonly string[]).includes(now.status) ? Number(now.items_mrr) : 0;
    const kind = movementKind(before, mrr, now.comes_back);
    const month = monthOf(at);
    const trialStart = asDate(now.trial_start);
    const startsCohort = (kind === 'new' || kind === 'reactivated') && !before?.cohortMonth;

    // Summed in the rollups' global order, with every other addition of the transaction (rollup-deltas.ts).
    await addingToRollups(tx, async (deltas) => {
      for (const { planId, ...amounts } of monthChanges(before, { planId: now.plan_id, mrr }, kind))
        deltas.add('mrr_months', [month, now.currency, planId], byColumn(amounts));
      if (startsCohort) {
        deltas.add('mrr_cohorts', [month, now.currency, now.plan_id ?? '', 0], { joined: 1 });
      } else if (before?.cohortMonth && (kind === 'churned' || kind === 'reactivated')) {
        deltas.add(
          'mrr_cohorts',
          [
            before.cohortMonth,
            now.currency,
            before.cohortPlanId ?? '',
            monthsBetween(before.cohortMonth, month),
          ],
          { left: kind === 'churned' ? 1 : -1 },
        );
      }
    });

    await runStatement(tx, WRITE_POSITION, [
      subscriptionId,
      now.customer_id,
      now.plan_id,
      now.currency,
      mrr,
      startsCohort ? month : null,
      startsCohort ? now.plan_id : null,
      trialStart,
      asDate(now.trial_end),
      kind === 'churned' ? (before?.planId ?? null) : now.plan_id,
      at,
      kind ?? null,
      mrr - (before?.mrr ?? 0),
      kind === 'churned' && (now.status === 'unpaid' || now.cancellation_reason === 'payment_failed'),
      trialStart && startsCohort ? at : null,
    ]);
  },

  /**
   * Derives movements from the mirror for subscriptions that have none (`missing`, after a sync
   * imported them) or for all of them (`all`, dropping what the worker recorded). The mirror holds
   * only each subscription's current state, so a derived history is its start (after any trial)
   * at today's MRR and, if it ended, its churn: upgrades and downgrades before the import are lost.
   */
  async rebuild(db: DbOrTx, scope: 'all' | 'missing'): Promise<{ subscriptions: number }> {
    if (scope === 'all')
      await db.execute(sql`truncate mrr_movements, subscription_mrr, mrr_months, mrr_cohorts`);
    const [{ last_id: lastId } = { last_id: 0 }] = await queryRows<{ last_id: number }>(
      db,
      sql`select coalesce(max(id), 0)::bigint as last_id from mrr_movements`,
    );
    const inserted = await queryRows<{ n: number }>(
      db,
      sql`with derived as (
            select s.id, s.customer_id, s.plan_id, s.currency, s.status, s.cancellation_reason, s.trial_start, s.trial_end,
                   ${ITEMS_MRR} as items_mrr,
                   case when s.trial_end is not null then s.trial_end else s.created_at end as paying_from,
                   coalesce(s.ended_at, s.canceled_at, s.updated_at) as left_at
            from subscriptions s
            where not exists (select 1 from subscription_mrr m where m.subscription_id = s.id)
          ), paid as (
            select d.*, (d.items_mrr > 0 and (d.status in (${COUNTED})
                   or (d.status in ('canceled', 'unpaid', 'paused') and d.left_at > d.paying_from))) as has_paid
            from derived d
          ), states as (
            insert into subscription_mrr (subscription_id, customer_id, plan_id, currency, mrr, cohort_month,
                                          cohort_plan_id, trial_start, converted_at, trial_end, updated_at)
            select id, customer_id, plan_id, currency,
                   case when has_paid and status in (${COUNTED}) then items_mrr else 0 end,
                   case when has_paid then ${UTC_MONTH('paying_from')} end,
                   case when has_paid then plan_id end,
                   trial_start, case when has_paid and trial_start is not null then paying_from end,
                   trial_end, now()
            from paid
            returning 1
          ), started as (
            insert into mrr_movements (subscription_id, customer_id, plan_id, currency, at, kind, mrr_delta, mrr_after)
            select id, customer_id, plan_id, currency, paying_from, 'new', items_mrr, items_mrr from paid where has_paid
          ), ended as (
            insert into mrr_movements (subscription_id, customer_id, plan_id, currency, at, kind, mrr_delta,
                                       mrr_after, involuntary)
            select id, customer_id, plan_id, currency, left_at, 'churned', -items_mrr, 0,
                   status = 'unpaid' or cancellation_reason = 'payment_failed'
            from paid where has_paid and status not in (${COUNTED})
          )
          select count(*)::int as n from states`,
    );
    await db.execute(sql`
      insert into mrr_months (month, currency, plan_id, new_mrr, churned_mrr, new_count, churned_count)
      select ${UTC_MONTH('at')}, currency, coalesce(plan_id, ''),
             coalesce(sum(mrr_delta) filter (where kind = 'new'), 0),
             coalesce(-sum(mrr_delta) filter (where kind = 'churned'), 0),
             count(*) filter (where kind = 'new'), count(*) filter (where kind = 'churned')
      from mrr_movements where id > ${lastId}
      group by 1, 2, 3
      on conflict (month, currency, plan_id) do update set
        new_mrr = mrr_months.new_mrr + excluded.new_mrr,
        churned_mrr = mrr_months.churned_mrr + excluded.churned_mrr,
        new_count = mrr_months.new_count + excluded.new_count,
        churned_count = mrr_months.churned_count + excluded.churned_count`);
    await db.execute(sql`
      insert into mrr_cohorts (cohort_month, currency, plan_id, months_after, joined, "left")
      select m.cohort_month, m.currency, coalesce(m.cohort_plan_id, ''),
             case when v.kind = 'new' then 0
                  else ((extract(year from v.at at time zone 'UTC') - extract(year from m.cohort_month)) * 12
                        + extract(month from v.at at time zone 'UTC') - extract(month from m.cohort_month))::int end,
             count(*) filter (where v.kind = 'new'), count(*) filter (where v.kind = 'churned')
      from mrr_movements v join subscription_mrr m on m.subscription_id = v.subscription_id
      where v.id > ${lastId}
      group by 1, 2, 3, 4
      on conflict (cohort_month, currency, plan_id, months_after) do update set
        joined = mrr_cohorts.joined + excluded.joined, "left" = mrr_cohorts."left" + excluded."left"`);
    return { subscriptions: inserted[0]?.n ?? 0 };
  },
};

/** A month change's amounts by their column names in `mrr_months`. */
function byColumn(amounts: Omit<MonthChange, 'planId'>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(amounts).map(([key, value]) => [mrrMonths[key as keyof typeof amounts].name, value ?? 0]),
  );
}
