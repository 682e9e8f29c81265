import { monthsOf } from './filters.js';
import type { MonthSums } from './repository.js';

/** One month of one currency: the balance at its end and what moved during it. */
export interface MrrMonth {
  month: string;
  currency: string;
  mrr_at_start: number;
  mrr: number;
  subscriptions_at_start: number;
  active_subscriptions: number;
  new: number;
  expansion: number;
  contraction: number;
  churned: number;
  reactivated: number;
  /** MRR moved in from (or out to) other plans; zero unless the report is filtered by plan. */
  plan_transfers: number;
  churned_subscriptions: number;
}

/**
 * Running sums of the monthly table: the months before `fromMonth` only make the opening balance.
 * Months without movements still appear, carrying the balance.
 */
export function mrrSeries(rows: MonthSums[], fromMonth: string, toMonth: string): MrrMonth[] {
  const months = monthsOf(fromMonth, toMonth);
  const out: MrrMonth[] = [];
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  for (const currency of currencies) {
    const own = rows.filter((r) => r.currency === currency);
    let mrr = 0;
    let active = 0;
    for (const r of own.filter((r) => r.month < fromMonth)) {
      mrr +=
        r.new_mrr + r.expansion_mrr - r.contraction_mrr - r.churned_mrr + r.reactivated_mrr + r.transfer_mrr;
      active += r.new_count + r.reactivated_count - r.churned_count + r.transfer_count;
    }
    const byMonth = new Map(own.map((r) => [r.month, r]));
    for (const month of months) {
      const r = byMonth.get(month);
      const point: MrrMonth = {
        month: month.slice(0, 7),
        currency,
        mrr_at_start: mrr,
        mrr,
        subscriptions_at_start: active,
        active_subscriptions: active,
        new: r?.new_mrr ?? 0,
        expansion: r?.expansion_mrr ?? 0,
        contraction: r?.contraction_mrr ?? 0,
        churned: r?.churned_mrr ?? 0,
        reactivated: r?.reactivated_mrr ?? 0,
        plan_transfers: r?.transfer_mrr ?? 0,
        churned_subscriptions: r?.churned_count ?? 0,
      };
      if (r) {
        mrr +=
          point.new +
          point.expansion -
          point.contraction -
          point.churned +
          point.reactivated +
          point.plan_transfers;
        active += r.new_count + r.reactivated_count - r.churned_count + r.transfer_count;
      }
      point.mrr = mrr;
      point.active_subscriptions = active;
      out.push(point);
    }
  }
  return out;
}

/** A share rounded to 4 places; null when there is nothing to divide by. */
export const ratio = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
