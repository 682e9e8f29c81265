// The dashboard over a demo history (`recur demo`, then `recur serve` on its data), driven in
// Chromium: a date range change moves every chart to the report routes' figures for the new range;
// the cohort heatmap's cells equal GET /api/reports/retention; a chart's CSV export equals its
// route's CSV; the currency selector opens on the currency with the most MRR. Screenshots at 1280
// and 375 px go to test-results/.

import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, skipBrowserTests } from '../support/browser.js';
import { runRecur, type ServingRecur, serveRecur } from '../support/cli.js';
import { freePort } from '../support/serve.js';
import { openPage, readTile, signIn, WAIT } from './admin-steps.js';
import { seriousViolations } from './axe.js';
import {
  axisLabels,
  chart,
  chartSpecs,
  chartTable,
  count,
  expectedTable,
  heatmapCells,
  LOCALE,
  money,
  monthLabel,
  monthsFrom,
  percent,
  shiftMonth,
  thisMonth,
  tickLabel,
} from './dashboard-steps.js';

type MonthRow = Record<string, number | string | null> & { month: string; currency: string };
interface MonthsReport {
  current?: Array<{ currency: string; mrr: number }>;
  months: MonthRow[];
}
interface Retention {
  cohorts: Array<{
    cohort: string;
    currency: string;
    retention: Array<{ months_after: number; share: number | null }>;
  }>;
}

describe.skipIf(skipBrowserTests)('the dashboard in a browser', () => {
  const adminKey = `rk_${randomBytes(16).toString('hex')}`;
  let dataDir: string;
  let recur: ServingRecur;
  let browser: Browser;
  let page: Page;
  let currency: string;

  const get = async (path: string) => {
    const response = await fetch(`${recur.url}${path}`, { headers: { authorization: `Bearer ${adminKey}` } });
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return response;
  };
  const report = async <T = MonthsReport>(name: string, query: Record<string, string>) =>
    (await (await get(`/api/reports/${name}?${new URLSearchParams(query)}`)).json()) as T;

  /** Every chart against the report routes for the range (and the MRR charts against the period before). */
  async function expectChartsOf(from: string, to: string) {
    const range = monthsFrom(from, to);
    const before = monthsFrom(shiftMonth(from, -range.length), shiftMonth(from, -1));
    for (const spec of chartSpecs(currency)) {
      const answer = await report(spec.report, { from, to, currency });
      const expected = expectedTable(spec, answer.months, range, currency);
      await expect.poll(() => chartTable(page, spec.title), WAIT).toEqual(expected);
    }
    const [now, then] = await Promise.all([
      report('mrr', { from, to, currency }),
      report('mrr', { from: before[0]!, to: before.at(-1)!, currency }),
    ]);
    const of = (r: MonthsReport, month: string | undefined) =>
      r.months.find((m) => m.month === month && m.currency === currency);
    const previous = `Previous period (${monthLabel(before[0]!)} – ${monthLabel(before.at(-1)!)})`;
    for (const [title, field, format] of [
      ['MRR', 'mrr', money(currency)],
      ['Active customers', 'active_subscriptions', count],
    ] as const) {
      const expected = [
        ['Month', title, previous],
        ...range.map((month, i) => [
          monthLabel(month),
          format(Number(of(now, month)?.[field] ?? 0)),
          format(Number(of(then, before[i])?.[field] ?? 0)),
        ]),
      ];
      await expect.poll(() => chartTable(page, title), WAIT).toEqual(expected);
    }
    const endMrr = Number(of(now, to)?.mrr ?? 0);
    await expect.poll(() => readTile(page, 'MRR'), WAIT).toBe(money(currency)(endMrr));
    const change = endMrr - Number(of(then, before.at(-1))?.mrr ?? 0);
    const words =
      change === 0
        ? 'unchanged from the previous period'
        : `${change > 0 ? '+' : '−'}${money(currency)(Math.abs(change))} on the previous period`;
    await expect.poll(() => page.locator('[data-tile-change="MRR"]').textContent(), WAIT).toBe(words);
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'recur-dashboard-'));
    const env = {
      RECUR_DATA_DIR: dataDir,
      RECUR_EMULATOR_PORT: String(await freePort()),
      RECUR_ADMIN_API_KEY: adminKey,
    };
    const demo = await runRecur(['demo', '--customers', '16', '--months', '6'], env);
    expect(demo.code, `${demo.stdout}\n${demo.stderr}`).toBe(0);
    recur = await serveRecur(env);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: LOCALE });
    page = await context.newPage();
    expect(await signIn(page, recur.url, adminKey)).toBeNull();
    await openPage(page, 'Dashboard');
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await recur?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('opens on the currency with the most MRR, not the first by name', async () => {
    const { current, months } = await report('mrr', {});
    const names = [...new Set(months.map((m) => m.currency))].sort();
    const largest = [...current!].sort((a, b) => b.mrr - a.mrr)[0]!;
    // The demo's few customers abroad pay in a currency that sorts first and earns less.
    expect(names.length).toBeGreaterThan(1);
    expect(names[0]).not.toBe(largest.currency);
    await expect.poll(() => page.getByLabel('Currency').inputValue(), WAIT).toBe(largest.currency);
    await expect.poll(() => readTile(page, 'MRR'), WAIT).toBe(money(largest.currency)(largest.mrr));
    currency = largest.currency;
  }, 180_000);

  it('moves every chart to the new range’s figures when the date range changes', async () => {
    const to = thisMonth();
    await expectChartsOf(shiftMonth(to, -11), to);
    await expect.poll(async () => (await axisLabels(page, 'MRR')).at(-1), WAIT).toBe(tickLabel(to));

    await page.getByLabel('Date range').selectOption({ label: 'Last 3 months' });
    await expectChartsOf(shiftMonth(to, -2), to);
    await expect
      .poll(() => axisLabels(page, 'MRR'), WAIT)
      .toEqual([-2, -1, 0].map((n) => tickLabel(shiftMonth(to, n))));
    await expect
      .poll(() => page.locator('[data-range]').textContent(), WAIT)
      .toBe(
        `${monthLabel(shiftMonth(to, -2))} – ${monthLabel(to)}, compared with ${monthLabel(shiftMonth(to, -5))} – ${monthLabel(shiftMonth(to, -3))}`,
      );

    // A custom range inside the demo's history: three months ending two months ago.
    await page.getByLabel('Date range').selectOption({ label: 'Custom' });
    await page.getByLabel('From', { exact: true }).fill(shiftMonth(to, -4));
    await page.getByLabel('To', { exact: true }).fill(shiftMonth(to, -2));
    await expectChartsOf(shiftMonth(to, -4), shiftMonth(to, -2));
    await expect
      .poll(() => axisLabels(page, 'Revenue'), WAIT)
      .toEqual([-4, -3, -2].map((n) => tickLabel(shiftMonth(to, n))));
    // A range that ends before it starts is refused in words, and no chart claims to show it.
    await page.getByLabel('From', { exact: true }).fill(shiftMonth(to, -1));
    await expect
      .poll(() => page.getByRole('alert').first().textContent(), WAIT)
      .toBe('From must be on or before To.');
    expect(await chart(page, 'MRR').count()).toBe(0);
    await page.getByLabel('Date range').selectOption({ label: 'Last 12 months' });
    await expectChartsOf(shiftMonth(to, -11), to);
  }, 300_000);

  it('shows each cohort’s retention exactly as GET /api/reports/retention answers', async () => {
    const to = thisMonth();
    const answer = await report<Retention>('retention', { from: shiftMonth(to, -11), to, currency });
    const expected: Record<string, string> = {};
    for (const cohort of answer.cohorts.filter((c) => c.currency === currency))
      for (const point of cohort.retention)
        expected[`${cohort.cohort}|${point.months_after}`] = percent(point.share);
    expect(Object.keys(expected).length).toBeGreaterThan(5);
    await expect.poll(() => heatmapCells(page), WAIT).toEqual(expected);
  }, 180_000);

  it('exports a chart’s figures as the report route’s CSV for the same filters', async () => {
    const to = thisMonth();
    const [download] = await Promise.all([
      page.waitForEvent('download', WAIT),
      page.getByRole('button', { name: 'Export CSV of Revenue' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('revenue.csv');
    const saved = await readFile((await download.path())!, 'utf8');
    const query = new URLSearchParams({ from: shiftMonth(to, -11), to, currency, format: 'csv' });
    expect(saved).toBe(await (await get(`/api/reports/revenue?${query}`)).text());
    // Read back with a parser Recur did not write: the months and amounts the chart shows.
    const rows = parse(saved, { columns: true }) as Array<Record<string, string>>;
    expect(rows.length).toBeGreaterThan(3);
    const shown = await chartTable(page, 'Revenue');
    expect(shown[0]).toEqual(['Month', 'Invoiced', 'Collected', 'Refunded']);
    for (const row of rows) {
      const line = shown.find((cells) => cells[0] === monthLabel(row.month!));
      expect(line, row.month).toEqual([
        monthLabel(row.month!),
        money(currency)(Number(row.invoiced)),
        money(currency)(Number(row.collected)),
        money(currency)(Number(row.refunded)),
      ]);
    }
  }, 180_000);

  it('reads without serious axe violations and fits 1280 and 375 px', async () => {
    await chart(page, 'MRR').locator('svg[role="application"]').waitFor(WAIT);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-1280.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 375, height: 800 });
    await chart(page, 'MRR').locator('svg[role="application"]').waitFor(WAIT);
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth), WAIT)
      .toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-375.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  }, 180_000);
});
