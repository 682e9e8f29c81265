import type { Db } from '../db/client.js';
import { ValidationError } from '../http/errors.js';
import { disputeMonths } from './dispute-repository.js';
import { type FilterQuery, monthsOf, parseFilters } from './filters.js';
import { movementRepository } from './movement-repository.js';
import { type ReportFilters, reportRepository as repo } from './repository.js';
import { rebuildRevenueRollup } from './revenue-rollup.js';
import { DISPUTE_RATE_WARNING } from './schemas.js';
import { mrrSeries, ratio } from './series.js';

type Amounts = Array<{ month: string; currency: string; amount: number }>;
const key = (month: string, currency: string) => `${month}|${currency}`;

/** The reports: each reads the maintained tables or the mirror; none scans all history per request. */
export class ReportService {
  constructor(private readonly deps: { db: Db; now?: () => Date }) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async filters(query: FilterQuery): Promise<ReportFilters> {
    const filters = parseFilters(query, this.now());
    if (filters.planId !== null && !(await repo.planExists(this.deps.db, filters.planId)))
      throw new ValidationError('unknown_plan', `No plan '${filters.planId}' in the catalog`);
    return filters;
  }

  async subscriptions() {
    const [counts, plans] = await Promise.all([
      repo.subscriptionCounts(this.deps.db),
      repo.plans(this.deps.db),
    ]);
    const active = counts.filter((c) => c.active);
    const activeOf = (planId: string) => active.find((c) => c.plan_id === planId)?.n ?? 0;
    return {
      total_active: active.reduce((n, c) => n + c.n, 0),
      total_cancelled: counts.filter((c) => !c.active).reduce((n, c) => n + c.n, 0),
      plans: plans.map((p) => ({ ...p, active_subscriptions: activeOf(p.plan_id) })),
    };
  }

  async mrr(query: FilterQuery) {
    const f = await this.filters(query);
    const series = mrrSeries(await repo.monthSums(this.deps.db, f), f.fromMonth, f.toMonth);
    const months = series.map((m) => ({
      month: m.month,
      currency: m.currency,
      mrr: m.mrr,
      arr: m.mrr * 12,
      active_subscriptions: m.active_subscriptions,
      new: m.new,
      expansion: m.expansion,
      contraction: m.contraction,
      churned: m.churned,
      reactivated: m.reactivated,
      plan_transfers: m.plan_transfers,
      net_change: m.mrr - m.mrr_at_start,
    }));
    const last = f.toMonth.slice(0, 7);
    const current = months
      .filter((m) => m.month === last)
      .map((m) => ({
        currency: m.currency,
        mrr: m.mrr,
        arr: m.arr,
        active_subscriptions: m.active_subscriptions,
      }));
    return { ...range(f), current, months };
  }

  async churn(query: FilterQuery) {
    const f = await this.filters(query);
    const months = mrrSeries(await repo.monthSums(this.deps.db, f), f.fromMonth, f.toMonth).map((m) => ({
      month: m.month,
      currency: m.currency,
      subscriptions_at_start: m.subscriptions_at_start,
      churned_subscriptions: m.churned_subscriptions,
      logo_churn_rate: ratio(m.churned_subscriptions, m.subscriptions_at_start),
      mrr_at_start: m.mrr_at_start,
      churned_mrr: m.churned,
      contraction_mrr: m.contraction,
      revenue_churn_rate: ratio(m.churned + m.contraction, m.mrr_at_start),
      net_revenue_churn_rate: ratio(m.churned + m.contraction - m.expansion - m.reactivated, m.mrr_at_start),
    }));
    return { ...range(f), months };
  }

  /**
   * ARPU: MRR per paying subscription at the end of the range. LTV: ARPU over the range's pooled
   * monthly logo churn rate (churned over subscriptions at the start of each month); null without churn.
   */
  async arpu(query: FilterQuery) {
    const f = await this.filters(query);
    const series = mrrSeries(await repo.monthSums(this.deps.db, f), f.fromMonth, f.toMonth);
    const currencies = [...new Set(series.map((m) => m.currency))];
    const rows = currencies.map((currency) => {
      const own = series.filter((m) => m.currency === currency);
      const end = own.at(-1)!;
      const churned = own.reduce((n, m) => n + m.churned_subscriptions, 0);
      const exposed = own.reduce((n, m) => n + m.subscriptions_at_start, 0);
      const arpu = end.active_subscriptions > 0 ? Math.round(end.mrr / end.active_subscriptions) : null;
      return {
        currency,
        mrr: end.mrr,
        active_subscriptions: end.active_subscriptions,
        arpu,
        monthly_logo_churn_rate: ratio(churned, exposed),
        ltv: arpu !== null && churned > 0 ? Math.round((arpu * exposed) / churned) : null,
      };
    });
    return { ...range(f), currencies: rows };
  }

  async retention(query: FilterQuery) {
    const f = await this.filters(query);
    const cells = await repo.cohorts(this.deps.db, f);
    const cohorts = [...new Set(cells.map((c) => `${c.cohort}|${c.currency}`))].map((id) => {
      const [cohort, currency] = id.split('|') as [string, string];
      const own = cells.filter((c) => c.cohort === cohort && c.currency === currency);
      const joined = own.reduce((n, c) => n + c.joined, 0);
      let left = 0;
      const retention = monthsOf(cohort, f.toMonth).map((_, monthsAfter) => {
        left += own.filter((c) => c.months_after === monthsAfter).reduce((n, c) => n + c.left, 0);
        return { months_after: monthsAfter, active: joined - left, share: ratio(joined - left, joined) };
      });
      return { cohort: cohort.slice(0, 7), currency, subscriptions: joined, retention };
    });
    return { ...range(f), cohorts };
  }

  async revenue(query: FilterQuery) {
    const f = await this.filters(query);
    const { invoiced, collected, refunded } = await repo.revenue(this.deps.db, f);
    const lookup = (rows: Array<Amounts[number] & { tax: number }>) =>
      new Map(rows.map((r) => [key(r.month, r.currency), r]));
    const sums = {
      invoiced: lookup(invoiced),
      collected: lookup(collected),
      refunded: lookup((refunded ?? []).map((r) => ({ ...r, tax: 0 }))),
    };
    const months = cross(f, [...invoiced, ...collected, ...(refunded ?? [])]).map(({ month, currency }) => {
      const at = key(month, currency);
      const inv = sums.invoiced.get(at);
      const col = sums.collected.get(at);
      return {
        month: month.slice(0, 7),
        currency,
        invoiced: inv?.amount ?? 0,
        invoiced_net: (inv?.amount ?? 0) - (inv?.tax ?? 0),
        invoiced_tax: inv?.tax ?? 0,
        collected: col?.amount ?? 0,
        collected_net: (col?.amount ?? 0) - (col?.tax ?? 0),
        collected_tax: col?.tax ?? 0,
        refunded: refunded === null ? null : (sums.refunded.get(at)?.amount ?? 0),
      };
    });
    return { ...range(f), months };
  }

  async payments(query: FilterQuery) {
    const f = await this.filters(query);
    const { invoices, involuntary } = await repo.payments(this.deps.db, f);
    const byKey = new Map(invoices.map((r) => [key(r.month, r.currency), r]));
    const churned = new Map(involuntary.map((r) => [key(r.month, r.currency), r.churned]));
    const months = cross(f, [...invoices, ...involuntary]).map(({ month, currency }) => {
      const r = byKey.get(key(month, currency));
      return {
        month: month.slice(0, 7),
        currency,
        invoices_attempted: r?.attempted ?? 0,
        invoices_failed: r?.failed ?? 0,
        failed_payment_rate: ratio(r?.failed ?? 0, r?.attempted ?? 0),
        invoices_recovered: r?.recovered ?? 0,
        recovery_rate: ratio(r?.recovered ?? 0, r?.failed ?? 0),
        average_hours_to_recover: r?.hours_to_recover ?? null,
        involuntary_churned: churned.get(key(month, currency)) ?? 0,
      };
    });
    return { ...range(f), months };
  }

  /** Disputes against charges by month; the plan filter does not apply, since charges are not filed by plan. */
  async disputes(query: FilterQuery) {
    if (query.plan_id !== undefined)
      throw new ValidationError('plan_filter_unsupported', 'The disputes report is not filed by plan');
    const f = await this.filters(query);
    const rows = await disputeMonths(this.deps.db, f);
    const byKey = new Map(rows.map((r) => [key(r.month, r.currency), r]));
    const months = cross(f, rows).map(({ month, currency }) => {
      const r = byKey.get(key(month, currency));
      const rate = ratio(r?.disputes ?? 0, r?.charges ?? 0);
      return {
        month: month.slice(0, 7),
        currency,
        charges: r?.charges ?? 0,
        disputes: r?.disputes ?? 0,
        dispute_rate: rate,
        over_warning_rate: rate !== null && rate >= DISPUTE_RATE_WARNING,
        inquiries: r?.inquiries ?? 0,
        disputed_amount: r?.disputed_amount ?? 0,
        won: r?.won ?? 0,
        won_amount: r?.won_amount ?? 0,
        lost: r?.lost ?? 0,
        lost_amount: r?.lost_amount ?? 0,
      };
    });
    return { ...range(f), warning_rate: DISPUTE_RATE_WARNING, months };
  }

  async trials(query: FilterQuery) {
    const f = await this.filters(query);
    const rows = await repo.trials(this.deps.db, f, this.now());
    const byKey = new Map(rows.map((r) => [key(r.month, r.currency), r]));
    const months = cross(f, rows).map(({ month, currency }) => {
      const r = byKey.get(key(month, currency));
      const started = r?.started ?? 0;
      const converted = r?.converted ?? 0;
      const lapsed = r?.lapsed ?? 0;
      return {
        month: month.slice(0, 7),
        currency,
        trials_started: started,
        converted,
        not_converted: lapsed,
        in_trial: started - converted - lapsed,
        conversion_rate: ratio(converted, converted + lapsed),
      };
    });
    return { ...range(f), months };
  }

  /**
   * Movements for subscriptions that have none (after a sync), or all of them again together with
   * the revenue rollup. The rollup needs no `missing` pass: every write of an invoice, refund or
   * subscription, a sync's included, keeps it right as it goes.
   */
  rebuild(scope: 'all' | 'missing'): Promise<{ subscriptions: number; revenueMonths?: number }> {
    return this.deps.db.transaction(async (tx) => {
      const movements = await movementRepository.rebuild(tx, scope);
      return scope === 'all' ? { ...movements, ...(await rebuildRevenueRollup(tx)) } : movements;
    });
  }
}

const range = (f: ReportFilters) => ({
  from: f.fromMonth.slice(0, 7),
  to: f.toMonth.slice(0, 7),
  plan_id: f.planId,
  currency: f.currency,
});

/** Every month of the range for every currency that has figures, so that gaps show as zeros. */
function cross(f: ReportFilters, rows: Array<{ currency: string }>) {
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  return currencies.flatMap((currency) =>
    monthsOf(f.fromMonth, f.toMonth).map((month) => ({ month, currency })),
  );
}
