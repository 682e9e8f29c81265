import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatMoney } from '../../src/format.js';
import { useAllPlans } from '../app/catalog.js';
import { useApi } from '../app/session.js';
import { monthLabel } from '../components/charts/format.js';
import { ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { Controls } from './Controls.js';
import { RetentionHeatmap } from './RetentionHeatmap.js';
import { RevenueTable } from './RevenueTable.js';
import { type MonthRange, monthsOf, type Preset, presetRange, previousRange, rangeProblem } from './range.js';
import { Tiles } from './Tiles.js';
import { type ReportQuery, useReports } from './useReports.js';
import './dashboard.css';

// The chart library is the bulk of the console's code: only the dashboard loads it.
const DashboardCharts = lazy(() => import('./Charts.js').then((m) => ({ default: m.DashboardCharts })));

/**
 * The business over a range of months (a preset or custom) against the period of the same length
 * before it, in one currency (opening on the one with the most MRR), for every plan or one.
 */
export function DashboardPage() {
  const api = useApi();
  const [preset, setPreset] = useState<Preset>('12');
  const [custom, setCustom] = useState<MonthRange>(() => presetRange('12'));
  const [planId, setPlanId] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);

  const valid = preset !== 'custom' || rangeProblem(custom) === null;
  const range = preset === 'custom' ? custom : presetRange(preset);
  const previous = previousRange(range);
  const plan = planId ? { plan_id: planId } : {};

  const plans = useAllPlans();
  // Every currency at once: which currencies there are, and which carries the most MRR.
  const overview = useQuery({
    queryKey: ['reports', 'mrr', { ...range, ...plan }],
    queryFn: () => unwrap(api.GET('/api/reports/mrr', { params: { query: { ...range, ...plan } } })),
    staleTime: 0,
    refetchInterval: 60_000,
    enabled: valid,
  });
  const currencies = [...new Set((overview.data?.months ?? []).map((m) => m.currency))].sort();
  const largest = [...(overview.data?.current ?? [])].sort((a, b) => b.mrr - a.mrr)[0]?.currency;
  const currency = chosen ?? largest ?? currencies[0] ?? 'usd';
  const query: ReportQuery = { ...range, ...plan, currency };
  const previousQuery: ReportQuery = { ...previous, ...plan, currency };
  const reports = useReports(query, previousQuery, valid && overview.isSuccess);

  return (
    <section aria-labelledby="dashboard-title">
      <div className="page-head">
        <h1 id="dashboard-title">Dashboard</h1>
        <p className="muted" data-range>
          {monthLabel(range.from)} – {monthLabel(range.to)}, compared with {monthLabel(previous.from)} –{' '}
          {monthLabel(previous.to)}
        </p>
      </div>
      <Controls
        preset={preset}
        onPreset={(p) => {
          if (p === 'custom') setCustom(range);
          setPreset(p);
        }}
        custom={custom}
        onCustom={setCustom}
        planId={planId}
        plans={(plans.data?.data ?? []).map((p) => ({ id: p.id, name: p.name }))}
        onPlan={setPlanId}
        currency={currency}
        currencies={currencies.includes(currency) ? currencies : [currency, ...currencies]}
        onCurrency={setChosen}
      />
      <ErrorAlert error={overview.error ?? plans.error} />
      {valid && (
        <>
          <Tiles reports={reports} currency={currency} />
          <Suspense fallback={<Loading what="charts" />}>
            <DashboardCharts
              reports={reports}
              query={query}
              currency={currency}
              months={monthsOf(range)}
              previousMonths={monthsOf(previous)}
            />
          </Suspense>
          <RetentionHeatmap reports={reports} query={query} currency={currency} />
          <RevenueTable currency={currency} money={(v) => formatMoney(v, currency)} />
        </>
      )}
    </section>
  );
}
