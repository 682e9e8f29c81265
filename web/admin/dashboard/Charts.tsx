import { useMutation } from '@tanstack/react-query';
import { useApi } from '../app/session.js';
import {
  compactMoney,
  count,
  money,
  monthLabel,
  percent,
  shortMonthLabel,
} from '../components/charts/format.js';
import { PALETTE, type Series, SeriesChart } from '../components/charts/SeriesChart.js';
import { downloadReport, type ReportName, type ReportQuery, type Reports } from './useReports.js';

interface ChartsProps {
  reports: Reports;
  query: ReportQuery;
  currency: string;
  /** Every month of the range, so that a month without figures still has its place. */
  months: string[];
  /** The same months a period earlier, matched by position. */
  previousMonths: string[];
}

type Month = { month: string; currency: string };

/** The range's months, each with the figures `pick` reads from the report's month (0 when absent). */
function rowsOf<M extends Month, R extends Record<string, number | null>>(
  months: string[],
  data: M[] | undefined,
  currency: string,
  pick: (m: M | undefined) => R,
) {
  const byMonth = new Map((data ?? []).filter((m) => m.currency === currency).map((m) => [m.month, m]));
  return months.map((month) => ({ label: monthLabel(month), month, ...pick(byMonth.get(month)) }));
}

function useExport(name: ReportName, query: ReportQuery) {
  const api = useApi();
  return useMutation({ mutationFn: () => downloadReport(api, name, query) });
}

/** A chart's loading and error states and its CSV export, as its frame wants them. */
function state(loading: boolean, error: unknown, exported: ReturnType<typeof useExport>) {
  return {
    loading,
    error: error ?? exported.error,
    onExport: () => exported.mutate(),
    exporting: exported.isPending,
  };
}

const byMonth = { key: 'month', format: shortMonthLabel };

/** The charts of the dashboard, each from its report route, each exporting that route's CSV. */
export function DashboardCharts({ reports, query, currency, months, previousMonths }: ChartsProps) {
  const asMoney = money(currency);
  const moneyAxis = (v: number) => compactMoney(v, currency);
  const mrrExport = useExport('mrr', query);
  const movementsExport = useExport('mrr', query);
  const churnExport = useExport('churn', query);
  const revenueExport = useExport('revenue', query);
  const paymentsExport = useExport('payments', query);
  const trialsExport = useExport('trials', query);

  const { mrr, churn, revenue, payments, trials } = reports.now;
  const previousMrr = reports.before.mrr;
  const previousByPosition = new Map(
    (previousMrr.data?.months ?? []).filter((m) => m.currency === currency).map((m) => [m.month, m]),
  );
  const mrrRows = rowsOf(months, mrr.data?.months, currency, (m) => ({
    mrr: m?.mrr ?? 0,
    active: m?.active_subscriptions ?? 0,
    new: m?.new ?? 0,
    expansion: m?.expansion ?? 0,
    reactivated: m?.reactivated ?? 0,
    contraction: -(m?.contraction ?? 0) || 0,
    churned: -(m?.churned ?? 0) || 0,
    net: m?.net_change ?? 0,
  })).map((row, i) => {
    const before = previousByPosition.get(previousMonths[i] ?? '');
    return {
      ...row,
      previous_mrr: before?.mrr ?? 0,
      previous_active: before?.active_subscriptions ?? 0,
      previous_month: previousMonths[i] ?? '',
    };
  });
  const previousLabel = `Previous period (${monthLabel(previousMonths[0] ?? '')} – ${monthLabel(previousMonths.at(-1) ?? '')})`;
  const loadingMrr = mrr.isPending || previousMrr.isPending;

  const moneySeries = (key: string, name: string, kind: Series['kind'], color: string, extra = {}) => ({
    key,
    name,
    kind,
    color,
    format: asMoney,
    ...extra,
  });
  const countSeries = (key: string, name: string, color: string, stack?: string): Series => ({
    key,
    name,
    kind: 'bar',
    color,
    format: count,
    ...(stack ? { stack } : {}),
  });
  const period = `${monthLabel(query.from)} to ${monthLabel(query.to)}`;
  const lastMrr = mrrRows.at(-1);

  return (
    <div className="charts">
      <SeriesChart
        ticks={byMonth}
        title="MRR"
        description={`Monthly recurring revenue at each month's end from ${period}, in ${currency.toUpperCase()}, beside the same months of the previous period (dashed). Latest: ${asMoney(lastMrr?.mrr ?? 0)}.`}
        rows={mrrRows}
        series={[
          moneySeries('mrr', 'MRR', 'line', PALETTE.primary),
          moneySeries('previous_mrr', previousLabel, 'line', PALETTE.previous, { dashed: true }),
        ]}
        axisFormat={moneyAxis}
        {...state(loadingMrr, mrr.error ?? previousMrr.error, mrrExport)}
      />
      <SeriesChart
        ticks={byMonth}
        title="Net MRR movements"
        description={`MRR gained (new, expansion, reactivation) above zero and lost (contraction, churn) below, stacked by kind for each month from ${period}, with the net change as a line.`}
        rows={mrrRows}
        series={[
          moneySeries('new', 'New', 'bar', PALETTE.primary, { stack: 'mrr' }),
          moneySeries('expansion', 'Expansion', 'bar', PALETTE.teal, { stack: 'mrr' }),
          moneySeries('reactivated', 'Reactivation', 'bar', PALETTE.violet, { stack: 'mrr' }),
          moneySeries('contraction', 'Contraction', 'bar', PALETTE.amber, { stack: 'mrr' }),
          moneySeries('churned', 'Churn', 'bar', PALETTE.bad, { stack: 'mrr' }),
          moneySeries('net', 'Net change', 'line', PALETTE.previous),
        ]}
        axisFormat={moneyAxis}
        {...state(mrr.isPending, mrr.error, movementsExport)}
      />
      <SeriesChart
        ticks={byMonth}
        title="Active customers"
        description={`Paying customers at each month's end from ${period}, beside the previous period (dashed).`}
        rows={mrrRows}
        series={[
          { key: 'active', name: 'Active customers', kind: 'line', color: PALETTE.primary, format: count },
          {
            key: 'previous_active',
            name: previousLabel,
            kind: 'line',
            color: PALETTE.previous,
            dashed: true,
            format: count,
          },
        ]}
        axisFormat={(v) => count(v)}
        integers
        {...state(loadingMrr, mrr.error ?? previousMrr.error, mrrExport)}
      />
      <SeriesChart
        ticks={byMonth}
        title="Churn rate"
        description={`Logo churn (customers lost over customers at the month's start) and revenue churn (churned and contraction MRR over MRR at the start) for each month from ${period}.`}
        rows={rowsOf(months, churn.data?.months, currency, (m) => ({
          logo: m?.logo_churn_rate ?? null,
          revenue: m?.revenue_churn_rate ?? null,
        }))}
        series={[
          { key: 'logo', name: 'Logo churn', kind: 'line', color: PALETTE.bad, format: percent },
          { key: 'revenue', name: 'Revenue churn', kind: 'line', color: PALETTE.amber, format: percent },
        ]}
        axisFormat={(v) => `${Math.round(v * 1000) / 10}%`}
        {...state(churn.isPending, churn.error, churnExport)}
      />
      <SeriesChart
        ticks={byMonth}
        title="Revenue"
        description={`Invoiced, collected and refunded amounts each month from ${period}, tax included.`}
        rows={rowsOf(months, revenue.data?.months, currency, (m) => ({
          invoiced: m?.invoiced ?? 0,
          collected: m?.collected ?? 0,
          refunded: m?.refunded ?? null,
        }))}
        series={[
          moneySeries('invoiced', 'Invoiced', 'bar', PALETTE.primary),
          moneySeries('collected', 'Collected', 'bar', PALETTE.good),
          moneySeries('refunded', 'Refunded', 'bar', PALETTE.bad),
        ]}
        axisFormat={moneyAxis}
        {...state(revenue.isPending, revenue.error, revenueExport)}
      />
      <SeriesChart
        ticks={byMonth}
        title="Failed payments and recovery"
        description={`Subscription invoices whose first payment attempt failed each month from ${period}, and how many of those were paid after all (recovered).`}
        rows={rowsOf(months, payments.data?.months, currency, (m) => ({
          failed: m?.invoices_failed ?? 0,
          recovered: m?.invoices_recovered ?? 0,
          recovery_rate: m?.recovery_rate ?? null,
        }))}
        series={[
          countSeries('failed', 'Failed', PALETTE.bad),
          countSeries('recovered', 'Recovered', PALETTE.good),
        ]}
        extraColumns={[{ key: 'recovery_rate', name: 'Recovery rate', format: percent }]}
        axisFormat={(v) => count(v)}
        integers
        {...state(payments.isPending, payments.error, paymentsExport)}
      />
      <SeriesChart
        ticks={byMonth}
        title="Trial conversion"
        description={`Trials by the month they started, from ${period}: converted to paying, ended unpaid, and still in trial.`}
        rows={rowsOf(months, trials.data?.months, currency, (m) => ({
          converted: m?.converted ?? 0,
          not_converted: m?.not_converted ?? 0,
          in_trial: m?.in_trial ?? 0,
          conversion_rate: m?.conversion_rate ?? null,
        }))}
        series={[
          countSeries('converted', 'Converted', PALETTE.good, 'trials'),
          countSeries('not_converted', 'Not converted', PALETTE.bad, 'trials'),
          countSeries('in_trial', 'In trial', PALETTE.previous, 'trials'),
        ]}
        extraColumns={[{ key: 'conversion_rate', name: 'Conversion rate', format: percent }]}
        axisFormat={(v) => count(v)}
        integers
        {...state(trials.isPending, trials.error, trialsExport)}
      />
    </div>
  );
}
