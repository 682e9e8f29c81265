import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatMoney } from '../../src/format.js';
import { useApi } from '../app/session.js';
import { BarChart, LineChart } from '../components/charts.js';
import { ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { Table } from '../components/Table.js';
import { RevenueTable } from './RevenueTable.js';

const percent = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;

/** The figures move with every webhook: read them on each visit and every minute while shown. */
const FRESH = { staleTime: 0, refetchInterval: 60_000 } as const;

/** Current figures as tiles, then each over the last twelve months. */
export function DashboardPage() {
  const api = useApi();
  const [chosen, setChosen] = useState<string | null>(null);
  const mrr = useQuery({
    queryKey: ['reports', 'mrr'],
    queryFn: () => unwrap(api.GET('/api/reports/mrr')),
    ...FRESH,
  });
  const currencies = [...new Set((mrr.data?.months ?? []).map((m) => m.currency))];
  // Opens on the currency that carries the most recurring revenue; every tile is of that currency.
  const largest = [...(mrr.data?.current ?? [])].sort((a, b) => b.mrr - a.mrr)[0]?.currency;
  const currency = chosen ?? largest ?? currencies[0] ?? 'usd';
  const byCurrency = { params: { query: { currency } } };
  const churn = useQuery({
    queryKey: ['reports', 'churn', currency],
    queryFn: () => unwrap(api.GET('/api/reports/churn', byCurrency)),
    ...FRESH,
  });
  const payments = useQuery({
    queryKey: ['reports', 'payments', currency],
    queryFn: () => unwrap(api.GET('/api/reports/payments', byCurrency)),
    ...FRESH,
  });

  const months = (mrr.data?.months ?? []).filter((m) => m.currency === currency);
  const current = mrr.data?.current.find((c) => c.currency === currency);
  const churnMonths = churn.data?.months ?? [];
  const paymentMonths = payments.data?.months ?? [];
  const money = (v: number) => formatMoney(v, currency);

  return (
    <section aria-labelledby="dashboard-title">
      <div className="page-head">
        <h1 id="dashboard-title">Dashboard</h1>
        {currencies.length > 1 && (
          <label>
            Currency{' '}
            <select value={currency} onChange={(e) => setChosen(e.target.value)}>
              {currencies.map((c) => (
                <option key={c} value={c}>
                  {c.toUpperCase()}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <ErrorAlert error={mrr.error ?? churn.error ?? payments.error} />
      {mrr.isPending ? (
        <Loading what="reports" />
      ) : (
        <>
          <ul className="tiles" aria-label="Current figures">
            <Tile label="MRR" value={money(current?.mrr ?? 0)} />
            <Tile label="Active subscriptions" value={String(current?.active_subscriptions ?? 0)} />
            <Tile label="Churn this month" value={percent(churnMonths.at(-1)?.logo_churn_rate)} />
            <Tile
              label="Failed payments this month"
              value={String(paymentMonths.at(-1)?.invoices_failed ?? 0)}
            />
          </ul>
          <div className="charts">
            <LineChart
              title="MRR by month"
              points={months.map((m) => ({ label: m.month, value: m.mrr }))}
              format={money}
            />
            <BarChart
              title="Net MRR movement by month (new, expansion, reactivation less contraction and churn)"
              points={months.map((m) => ({ label: m.month, value: m.net_change }))}
              format={money}
            />
            <LineChart
              title="Active subscriptions by month"
              points={months.map((m) => ({ label: m.month, value: m.active_subscriptions }))}
              format={String}
            />
            <LineChart
              title="Churn rate by month"
              points={churnMonths.map((m) => ({ label: m.month, value: m.logo_churn_rate ?? 0 }))}
              format={percent}
            />
            <BarChart
              title="Failed payments by month"
              points={paymentMonths.map((m) => ({ label: m.month, value: m.invoices_failed }))}
              format={String}
            />
          </div>
          <MovementsTable months={months} money={money} />
          <RevenueTable currency={currency} money={money} />
        </>
      )}
    </section>
  );
}

function Tile({ label, value }: { label: string; value: string }) {
  return (
    <li className="tile">
      <span className="tile-label">{label}</span>
      <strong className="tile-value" data-tile={label}>
        {value}
      </strong>
    </li>
  );
}

interface MovementMonth {
  month: string;
  mrr: number;
  new: number;
  expansion: number;
  contraction: number;
  churned: number;
  reactivated: number;
}

function MovementsTable({ months, money }: { months: MovementMonth[]; money(v: number): string }) {
  const recent = months.slice(-6).reverse();
  return (
    <Table
      caption="MRR movements, last six months"
      showCaption
      columns={['Month', 'MRR', 'New', 'Expansion', 'Contraction', 'Churned', 'Reactivated']}
    >
      {recent.map((m) => (
        <tr key={m.month}>
          <th scope="row">{m.month}</th>
          <td>{money(m.mrr)}</td>
          <td>{money(m.new)}</td>
          <td>{money(m.expansion)}</td>
          <td>{money(m.contraction)}</td>
          <td>{money(m.churned)}</td>
          <td>{money(m.reactivated)}</td>
        </tr>
      ))}
    </Table>
  );
}
