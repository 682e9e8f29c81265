import { useMutation } from '@tanstack/react-query';
import { useApi } from '../app/session.js';
import { ChartFigure } from '../components/charts/ChartFigure.js';
import { count, monthLabel, percent } from '../components/charts/format.js';
import { downloadReport, type ReportQuery, type Reports } from './useReports.js';

/**
 * Shades from pale to dark blue as the share still paying grows; text dark on the pale ones, white on
 * the dark ones, each pair at least 4.5:1.
 */
const SHADES = [
  { background: '#f1f4fb', color: '#1b1f24' },
  { background: '#dbe4fa', color: '#1b1f24' },
  { background: '#b9cbf5', color: '#1b1f24' },
  { background: '#1f4fd1', color: '#ffffff' },
  { background: '#1a42ad', color: '#ffffff' },
  { background: '#112d78', color: '#ffffff' },
] as const;

function shade(share: number | null) {
  if (share === null) return { background: 'transparent', color: '#4f5661' };
  return SHADES[Math.min(SHADES.length - 1, Math.floor(share * SHADES.length))]!;
}

/** Cohorts by the month of their first payment (rows), the share still paying N months later (columns). */
export function RetentionHeatmap({
  reports,
  query,
  currency,
}: {
  reports: Reports;
  query: ReportQuery;
  currency: string;
}) {
  const api = useApi();
  const exportCsv = useMutation({ mutationFn: () => downloadReport(api, 'retention', query) });
  const { retention } = reports;
  const cohorts = (retention.data?.cohorts ?? []).filter((c) => c.currency === currency);
  const width = Math.max(0, ...cohorts.map((c) => c.retention.length));
  const monthNumbers = Array.from({ length: width }, (_, n) => n);
  return (
    <ChartFigure
      title="Cohort retention"
      description="Each row a cohort by the month of its first payment, each column the share of it still paying that many months later; darker is more."
      loading={retention.isPending}
      error={retention.error ?? exportCsv.error}
      empty={cohorts.length === 0}
      onExport={() => exportCsv.mutate()}
      exporting={exportCsv.isPending}
    >
      {/* Focusable, so that a keyboard can scroll a heatmap wider than the screen. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to scroll by keys */}
      <section className="heatmap-wrap" aria-label="Cohort retention table" tabIndex={0}>
        <table>
          <caption className="visually-hidden">Cohort retention</caption>
          <thead>
            <tr>
              <th scope="col">Cohort</th>
              <th scope="col">Customers</th>
              {monthNumbers.map((n) => (
                <th key={n} scope="col">
                  Month {n}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cohorts.map((c) => (
              <tr key={c.cohort}>
                <th scope="row">{monthLabel(c.cohort)}</th>
                <td>{count(c.subscriptions)}</td>
                {monthNumbers.map((n) => {
                  const point = c.retention.find((p) => p.months_after === n);
                  if (!point) return <td key={n} />;
                  return (
                    <td
                      key={n}
                      data-cohort={c.cohort}
                      data-months-after={n}
                      style={shade(point.share)}
                      title={`${count(point.active)} of ${count(c.subscriptions)} still paying`}
                    >
                      {percent(point.share)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </ChartFigure>
  );
}
