import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../db/client.js';

/** The filters every report takes: whole UTC months `YYYY-MM-01`, `toMonth` included. */
export interface ReportFilters {
  fromMonth: string;
  toMonth: string;
  planId: string | null;
  currency: string | null;
}

export interface MonthSums {
  month: string;
  currency: string;
  new_mrr: number;
  expansion_mrr: number;
  contraction_mrr: number;
  churned_mrr: number;
  reactivated_mrr: number;
  transfer_mrr: number;
  new_count: number;
  churned_count: number;
  reactivated_count: number;
  transfer_count: number;
}

/**
 * A UTC month in two steps, for a query that groups many rows: group by the month's start (`m`,
 * cheap to compute and hash), then write the few groups' months as `YYYY-MM-DD` (`MONTH_TEXT`).
 */
const UTC_MONTH_START = (column: string) => sql.raw(`date_trunc('month', ${column} at time zone 'UTC')`);
const MONTH_TEXT = sql.raw(`to_char(m, 'YYYY-MM-DD')`);
const ACTIVE = sql.raw(`'active', 'trialing'`);
const CANCELLED = sql.raw(`'canceled', 'incomplete_expired'`);
/**
 * 1 for a rollup row of a base plan (or of no plan), 0 for an add-on's: an add-on is its own Stripe
 * subscription on top of a base one, so its money is the customer's revenue but it is not a logo.
 */
const COUNTS_AS_LOGO = `(case when p.kind = 'add_on' then 0 else 1 end)`;

const monthStart = (month: string) => new Date(`${month}T00:00:00Z`);
function monthAfter(month: string): Date {
  const d = monthStart(month);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
}

const where = (conditions: Array<SQL | null>) => {
  const present = conditions.filter((c): c is SQL => c !== null);
  return present.length ? sql`where ${sql.join(present, sql` and `)}` : sql``;
};

/** The rollup's cells of the filters: months of the range, the plan's own, the currency's. */
const rollupWhere = (f: ReportFilters) =>
  where([
    sql`month >= ${f.fromMonth}`,
    sql`month <= ${f.toMonth}`,
    f.planId === null ? null : sql`plan_id = ${f.planId}`,
    f.currency === null ? null : sql`currency = ${f.currency}`,
  ]);

/** Numbers arrive as strings from bigint and numeric columns; reports want numbers. */
function numeric<T extends object>(rows: T[]): T[] {
  return rows.map(
    (row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [
          k,
          typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v,
        ]),
      ) as T,
  );
}

/**
 * SQL of the reports: the maintained tables (mrr_months, mrr_cohorts, subscription_mrr, mrr_movements,
 * revenue_months) and the mirror.
 */
export const reportRepository = {
  async planExists(db: DbOrTx, planId: string): Promise<boolean> {
    const rows = await queryRows(db, sql`select 1 from plans where id = ${planId}`);
    return rows.length > 0;
  },

  /** Counts per plan and status in one pass over the (status, plan_id) index. */
  async subscriptionCounts(db: DbOrTx) {
    return numeric(
      await queryRows<{ plan_id: string | null; active: boolean; n: number }>(
        db,
        sql`select plan_id, status in (${ACTIVE}) as active, count(*) as n
            from subscriptions where status in (${ACTIVE}, ${CANCELLED})
            group by 1, 2`,
      ),
    );
  },

  async plans(db: DbOrTx): Promise<Array<{ plan_id: string; name: string }>> {
    return queryRows(db, sql`select id as plan_id, name from plans order by name, id`);
  },

  /**
   * Every month up to the range's end: the months before it give the opening balance. Money sums
   * every plan's rows; counts only base plans' (and no plan's), so a customer is one logo.
   */
  async monthSums(db: DbOrTx, f: ReportFilters): Promise<MonthSums[]> {
    const logos = (column: string) => sql.raw(`sum(m.${column} * ${COUNTS_AS_LOGO}) as ${column}`);
    const rows = await queryRows<MonthSums>(
      db,
      sql`select to_char(m.month, 'YYYY-MM-DD') as month, m.currency,
                 sum(m.new_mrr) as new_mrr, sum(m.expansion_mrr) as expansion_mrr,
                 sum(m.contraction_mrr) as contraction_mrr, sum(m.churned_mrr) as churned_mrr,
                 sum(m.reactivated_mrr) as reactivated_mrr, sum(m.transfer_mrr) as transfer_mrr,
                 ${logos('new_count')}, ${logos('churned_count')},
                 ${logos('reactivated_count')}, ${logos('transfer_count')}
          from mrr_months m left join plans p on p.id = m.plan_id
          ${where([
            sql`m.month <= ${f.toMonth}`,
            f.planId === null ? null : sql`m.plan_id = ${f.planId}`,
            f.currency === null ? null : sql`m.currency = ${f.currency}`,
          ])}
          group by m.month, m.currency order by m.currency, m.month`,
    );
    return numeric(rows);
  },

  /** Cohorts of customers: an add-on's subscription neither joins nor leaves one. */
  async cohorts(db: DbOrTx, f: ReportFilters) {
    const rows = await queryRows<{
      cohort: string;
      currency: string;
      months_after: number;
      joined: number;
      left: number;
    }>(
      db,
      sql`select to_char(c.cohort_month, 'YYYY-MM-DD') as cohort, c.currency, c.months_after,
                 sum(c.joined) as joined, sum(c."left") as left
          from mrr_cohorts c left join plans p on p.id = c.plan_id
          ${where([
            sql`c.cohort_month >= ${f.fromMonth}`,
            sql`c.cohort_month <= ${f.toMonth}`,
            f.planId === null ? null : sql`c.plan_id = ${f.planId}`,
            f.currency === null ? null : sql`c.currency = ${f.currency}`,
            sql`p.kind is distinct from 'add_on'`,
          ])}
          group by 1, 2, 3 order by 1, 2, 3`,
    );
    return numeric(rows);
  },

  /**
   * Invoiced (finalised, by creation month), collected (by payment month), refunded (by refund
   * month), from the rollup. A month and currency is listed for each figure only when some invoice
   * or refund made it, whatever the amount.
   */
  async revenue(db: DbOrTx, f: ReportFilters) {
    const rows = numeric(
      await queryRows<{
        month: string;
        currency: string;
        invoiced: number;
        invoiced_tax: number;
        invoiced_count: number;
        collected: number;
        collected_tax: number;
        collected_count: number;
        refunded: number;
        refunded_count: number;
      }>(
        db,
        sql`select to_char(month, 'YYYY-MM-DD') as month, currency,
                   sum(invoiced) as invoiced, sum(invoiced_tax) as invoiced_tax,
                   sum(invoiced_count) as invoiced_count, sum(collected) as collected,
                   sum(collected_tax) as collected_tax, sum(collected_count) as collected_count,
                   sum(refunded) as refunded, sum(refunded_count) as refunded_count
            from revenue_months ${rollupWhere(f)}
            group by month, currency`,
      ),
    );
    const amounts = (pick: (r: (typeof rows)[number]) => [number, number, number?]) =>
      rows.flatMap((r) => {
        const [amount, count, tax = 0] = pick(r);
        return count > 0 ? [{ month: r.month, currency: r.currency, amount, tax }] : [];
      });
    return {
      invoiced: amounts((r) => [r.invoiced, r.invoiced_count, r.invoiced_tax]),
      collected: amounts((r) => [r.collected, r.collected_count, r.collected_tax]),
      // A refund reaches a plan only through charge, payment and invoice, which the mirror does not link.
      refunded: f.planId === null ? amounts((r) => [r.refunded, r.refunded_count]) : null,
    };
  },

  /** Subscription invoices with a payment attempt, by creation month (from the rollup). */
  async payments(db: DbOrTx, f: ReportFilters) {
    const invoices = await queryRows<{
      month: string;
      currency: string;
      attempted: number;
      failed: number;
      recovered: number;
      hours_to_recover: number | null;
    }>(
      db,
      sql`select to_char(month, 'YYYY-MM-DD') as month, currency, sum(attempted) as attempted,
                 sum(failed) as failed, sum(recovered) as recovered,
                 round(sum(recovery_seconds) / 3600.0 / nullif(sum(recovered), 0), 2) as hours_to_recover
          from revenue_months ${rollupWhere(f)}
          group by month, currency
          having sum(attempted) > 0`,
    );
    const involuntary = await queryRows<{ month: string; currency: string; churned: number }>(
      db,
      sql`select ${MONTH_TEXT} as month, currency, churned from (
          select ${UTC_MONTH_START('v.at')} as m, v.currency, count(*) as churned
          from mrr_movements v
          ${where([
            sql`v.kind = 'churned'`,
            sql`v.involuntary`,
            sql`v.at >= ${monthStart(f.fromMonth)}`,
            sql`v.at < ${monthAfter(f.toMonth)}`,
            f.planId === null ? null : sql`v.plan_id = ${f.planId}`,
            f.currency === null ? null : sql`v.currency = ${f.currency}`,
          ])}
          group by 1, 2) t`,
    );
    return { invoices: numeric(invoices), involuntary: numeric(involuntary) };
  },

  /** Trials by the month they started: converted (paid after), ended unpaid, or still running at `now`. */
  async trials(db: DbOrTx, f: ReportFilters, now: Date) {
    const rows = await queryRows<{
      month: string;
      currency: string;
      started: number;
      converted: number;
      lapsed: number;
    }>(
      db,
      // Read from the subscription_mrr_trials index alone; months named after grouping, not per row.
      sql`select ${MONTH_TEXT} as month, currency, started, converted, lapsed from (
          select ${UTC_MONTH_START('trial_start')} as m, currency, count(*) as started,
                 count(*) filter (where converted_at is not null) as converted,
                 count(*) filter (where converted_at is null and trial_end <= ${now}) as lapsed
          from subscription_mrr
          ${where([
            sql`trial_start >= ${monthStart(f.fromMonth)}`,
            sql`trial_start < ${monthAfter(f.toMonth)}`,
            f.planId === null ? null : sql`coalesce(cohort_plan_id, plan_id) = ${f.planId}`,
            f.currency === null ? null : sql`currency = ${f.currency}`,
          ])}
          group by 1, 2) t
          order by currency, m`,
    );
    return numeric(rows);
  },
};
