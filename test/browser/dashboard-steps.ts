// The dashboard's steps: what its charts, heatmap and tiles show, read as a person (or a screen
// reader) reads them, and the figures the report routes answer, worded as the page words them.

import type { Locator, Page } from 'playwright-core';
import { formatMoney } from '../../web/src/format.js';
import { WAIT } from './admin-steps.js';

export const LOCALE = 'en-US';

export const money = (currency: string) => (v: number | null) =>
  v === null ? '—' : formatMoney(v, currency, LOCALE);
export const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
export const count = (v: number | null) => (v === null ? '—' : v.toLocaleString(LOCALE));

export function monthLabel(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleDateString(LOCALE, {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
export function tickLabel(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleDateString(LOCALE, {
    month: 'short',
    year: '2-digit',
    timeZone: 'UTC',
  });
}

export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + by, 1)).toISOString().slice(0, 7);
}
export const thisMonth = () => new Date().toISOString().slice(0, 7);
export function monthsFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = shiftMonth(m, 1)) out.push(m);
  return out;
}

export function chart(page: Page, title: string): Locator {
  return page.getByRole('figure', { name: title, exact: true });
}

/** The chart's figures as its (visually hidden) table holds them: the header, then each row's cells. */
export async function chartTable(page: Page, title: string): Promise<string[][]> {
  const table = chart(page, title).locator('.visually-hidden table');
  if ((await table.count()) === 0) return [];
  return table.evaluate((t) =>
    [...t.querySelectorAll('tr')].map((tr) =>
      [...tr.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? ''),
    ),
  );
}

/** The month names along the chart's horizontal axis, as drawn. */
export async function axisLabels(page: Page, title: string): Promise<string[]> {
  const ticks = chart(page, title).locator('text.recharts-cartesian-axis-tick-value[orientation="bottom"]');
  return (await ticks.allTextContents()).map((t) => t.trim());
}

/** Every cell of the cohort heatmap, keyed `cohort|months after`, as shown. */
export async function heatmapCells(page: Page): Promise<Record<string, string>> {
  const figure = chart(page, 'Cohort retention');
  await figure.locator('table').waitFor(WAIT);
  return figure
    .locator('td[data-cohort]')
    .evaluateAll((cells) =>
      Object.fromEntries(
        cells.map((c) => [
          `${c.getAttribute('data-cohort')}|${c.getAttribute('data-months-after')}`,
          c.textContent?.trim() ?? '',
        ]),
      ),
    );
}

type Fmt = (v: number | null) => string;
type MonthRow = Record<string, number | string | null> & { month: string; currency: string };

/** What one chart shows: its report, and each column's field and wording. */
export interface ChartSpec {
  title: string;
  report: string;
  columns: Array<{ header: string; value(m: MonthRow | undefined): number | null; format: Fmt }>;
}

/** The charts of the dashboard and the report fields behind each of their columns. */
export function chartSpecs(currency: string): ChartSpec[] {
  const m$ = money(currency);
  const field =
    (name: string, sign = 1, absent: number | null = 0) =>
    (m: MonthRow | undefined) => {
      const v = m?.[name];
      return typeof v === 'number' ? sign * v || 0 : absent;
    };
  return [
    {
      title: 'Net MRR movements',
      report: 'mrr',
      columns: [
        { header: 'New', value: field('new'), format: m$ },
        { header: 'Expansion', value: field('expansion'), format: m$ },
        { header: 'Reactivation', value: field('reactivated'), format: m$ },
        { header: 'Contraction', value: field('contraction', -1), format: m$ },
        { header: 'Churn', value: field('churned', -1), format: m$ },
        { header: 'Net change', value: field('net_change'), format: m$ },
      ],
    },
    {
      title: 'Churn rate',
      report: 'churn',
      columns: [
        { header: 'Logo churn', value: field('logo_churn_rate', 1, null), format: percent },
        { header: 'Revenue churn', value: field('revenue_churn_rate', 1, null), format: percent },
      ],
    },
    {
      title: 'Revenue',
      report: 'revenue',
      columns: [
        { header: 'Invoiced', value: field('invoiced'), format: m$ },
        { header: 'Collected', value: field('collected'), format: m$ },
        { header: 'Refunded', value: field('refunded', 1, null), format: m$ },
      ],
    },
    {
      title: 'Failed payments and recovery',
      report: 'payments',
      columns: [
        { header: 'Failed', value: field('invoices_failed'), format: count },
        { header: 'Recovered', value: field('invoices_recovered'), format: count },
        { header: 'Recovery rate', value: field('recovery_rate', 1, null), format: percent },
      ],
    },
    {
      title: 'Trial conversion',
      report: 'trials',
      columns: [
        { header: 'Converted', value: field('converted'), format: count },
        { header: 'Not converted', value: field('not_converted'), format: count },
        { header: 'In trial', value: field('in_trial'), format: count },
        { header: 'Conversion rate', value: field('conversion_rate', 1, null), format: percent },
      ],
    },
  ];
}

/** The table a chart should hold: a header, then one row per month of the range, worded. */
export function expectedTable(spec: ChartSpec, months: MonthRow[], range: string[], currency: string) {
  const byMonth = new Map(months.filter((m) => m.currency === currency).map((m) => [m.month, m]));
  return [
    ['Month', ...spec.columns.map((c) => c.header)],
    ...range.map((month) => [
      monthLabel(month),
      ...spec.columns.map((c) => c.format(c.value(byMonth.get(month)))),
    ]),
  ];
}
