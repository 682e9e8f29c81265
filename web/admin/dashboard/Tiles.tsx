import { count, money, percent } from '../components/charts/format.js';
import type { ReportSet, Reports } from './useReports.js';

type Change = (value: number) => string;

interface TileProps {
  label: string;
  value: number | null;
  previous: number | null;
  format(value: number | null): string;
  /** How a difference reads, e.g. "+$20.00" or "+1.5 pts". */
  change: Change;
}

function Tile({ label, value, previous, format, change }: TileProps) {
  const difference = value !== null && previous !== null ? value - previous : null;
  return (
    <li className="tile">
      <span className="tile-label">{label}</span>
      <strong className="tile-value" data-tile={label}>
        {format(value)}
      </strong>
      <span className="tile-delta" data-tile-change={label}>
        {difference === null
          ? 'no figure for the previous period'
          : difference === 0
            ? 'unchanged from the previous period'
            : `${change(difference)} on the previous period`}
      </span>
    </li>
  );
}

const signed = (text: string, value: number) => (value > 0 ? `+${text}` : value < 0 ? `−${text}` : text);
const sum = <T,>(rows: T[], pick: (row: T) => number | null) => rows.reduce((n, r) => n + (pick(r) ?? 0), 0);
const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** The range's figures in one currency, each with its change on the period of the same length before. */
export function Tiles({ reports, currency }: { reports: Reports; currency: string }) {
  const asMoney = money(currency);
  const moneyChange: Change = (d) => signed(asMoney(Math.abs(d)), d);
  const countChange: Change = (d) => signed(count(Math.abs(d)), d);
  const rateChange: Change = (d) => signed(`${(Math.abs(d) * 100).toFixed(1)} pts`, d);
  const mine = <T extends { currency: string }>(rows: T[] | undefined) =>
    (rows ?? []).filter((r) => r.currency === currency);

  const figures = ({ mrr, churn, arpu, revenue, payments, trials }: ReportSet) => {
    const current = mine(mrr.data?.current)[0];
    const perCurrency = mine(arpu.data?.currencies)[0];
    const churnMonths = mine(churn.data?.months);
    const paymentMonths = mine(payments.data?.months);
    const trialMonths = mine(trials.data?.months);
    const converted = sum(trialMonths, (m) => m.converted);
    return {
      mrr: mrr.data ? (current?.mrr ?? 0) : null,
      arr: mrr.data ? (current?.arr ?? 0) : null,
      active: mrr.data ? (current?.active_subscriptions ?? 0) : null,
      arpu: perCurrency?.arpu ?? null,
      ltv: perCurrency?.ltv ?? null,
      logoChurn: perCurrency?.monthly_logo_churn_rate ?? null,
      revenueChurn: share(
        sum(churnMonths, (m) => m.churned_mrr + m.contraction_mrr),
        sum(churnMonths, (m) => m.mrr_at_start),
      ),
      trialConversion: share(converted, converted + sum(trialMonths, (m) => m.not_converted)),
      collected: revenue.data ? sum(mine(revenue.data.months), (m) => m.collected) : null,
      failed: payments.data ? sum(paymentMonths, (m) => m.invoices_failed) : null,
      recovery: share(
        sum(paymentMonths, (m) => m.invoices_recovered),
        sum(paymentMonths, (m) => m.invoices_failed),
      ),
    };
  };
  const now = figures(reports.now);
  const before = figures(reports.before);
  const tiles: Array<[string, keyof typeof now, TileProps['format'], Change]> = [
    ['MRR', 'mrr', asMoney, moneyChange],
    ['ARR', 'arr', asMoney, moneyChange],
    ['Active customers', 'active', count, countChange],
    ['ARPU', 'arpu', asMoney, moneyChange],
    ['LTV', 'ltv', asMoney, moneyChange],
    ['Logo churn (monthly)', 'logoChurn', percent, rateChange],
    ['Revenue churn (monthly)', 'revenueChurn', percent, rateChange],
    ['Trial conversion', 'trialConversion', percent, rateChange],
    ['Collected', 'collected', asMoney, moneyChange],
    ['Failed payments', 'failed', count, countChange],
    ['Recovered payments', 'recovery', percent, rateChange],
  ];
  return (
    <ul className="tiles dashboard-tiles" aria-label="Figures for the range">
      {tiles.map(([label, key, format, change]) => (
        <Tile
          key={label}
          label={label}
          value={now[key]}
          previous={before[key]}
          format={format}
          change={change}
        />
      ))}
    </ul>
  );
}
