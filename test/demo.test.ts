import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { type DemoSummary, generateDemo } from '../src/demo/generator.js';
import { InboxDrain } from '../src/demo/inbox-drain.js';
import { demoRepository } from '../src/demo/repository.js';
import { StripeDemoActivity } from '../src/stripe/demo-activity.js';
import { startTestApp, type TestApp } from './support/app.js';

/** Four months ending on 2026-03-20: December 2025 to March 2026. */
const NOW = new Date(Date.UTC(2026, 2, 20, 12));
const RANGE = { from: '2025-12', to: '2026-03' };
const SIZE = { customers: 14, months: 4, seed: 7 };

let t: TestApp;
let summary: DemoSummary;

function generate(runId: string): Promise<DemoSummary> {
  const { services } = t;
  const activity = new StripeDemoActivity(services.stripe);
  return generateDemo(
    {
      db: t.database.db,
      activity,
      plans: services.plans,
      subscriptions: services.subscriptions,
      refunds: services.refunds,
      reports: services.reports,
      inbox: new InboxDrain({ activity, db: t.database.db }),
    },
    { ...SIZE, now: NOW, runId },
  );
}

const total = <T>(rows: T[], pick: (row: T) => number | null) => rows.reduce((n, r) => n + (pick(r) ?? 0), 0);

beforeAll(async () => {
  t = await startTestApp({}, { webhooks: true, worker: true });
  summary = await generate('run-one');
}, 300_000);
afterAll(() => t.close());

describe('recur demo', () => {
  it('leaves every event applied: none waiting, none dead-lettered', async () => {
    const [row] = await queryRows<{ waiting: number; dead: number; applied: number }>(
      t.database.db,
      sql`select count(*) filter (where status in ('received', 'processing', 'failed'))::int as waiting,
                 count(*) filter (where status = 'dead')::int as dead,
                 count(*) filter (where status = 'processed')::int as applied
          from events`,
    );
    expect(row).toMatchObject({ waiting: 0, dead: 0 });
    expect(row!.applied).toBeGreaterThan(100);
    expect(summary.deadEvents).toBe(0);
    expect(summary.customers).toBe(SIZE.customers);
    // What makes a second `recur demo` stop and ask for --force.
    expect(await demoRepository.hasDemoHistory(t.database.db)).toBe(true);
  });

  it('makes a mirror equal to Stripe, as the sync check sees it', async () => {
    const report = await t.services.syncs.check();
    expect(report.differences).toEqual([]);
  });

  it('dates MRR movements of every kind over the past months', async () => {
    const mrr = await t.services.reports.mrr(RANGE);
    const usd = mrr.months.filter((m) => m.currency === 'usd');
    expect(usd.map((m) => m.month)).toEqual(['2025-12', '2026-01', '2026-02', '2026-03']);
    for (const kind of ['new', 'expansion', 'contraction', 'churned', 'reactivated'] as const) {
      expect(
        total(usd, (m) => m[kind]),
        kind,
      ).toBeGreaterThan(0);
    }
    // Customers signed up in the first month, so it already had MRR: the history is not all "now".
    expect(usd[0]!.mrr).toBeGreaterThan(0);
    expect(usd.filter((m) => m.new > 0).length).toBeGreaterThan(1);
  });

  it('shows failed payments, one recovered and one ending in involuntary churn', async () => {
    const { months } = await t.services.reports.payments(RANGE);
    expect(total(months, (m) => m.invoices_failed)).toBeGreaterThanOrEqual(2);
    expect(total(months, (m) => m.invoices_recovered)).toBeGreaterThanOrEqual(1);
    expect(total(months, (m) => m.involuntary_churned)).toBeGreaterThanOrEqual(1);
  });

  it('shows a refund in revenue, and trials that converted and lapsed', async () => {
    const revenue = await t.services.reports.revenue(RANGE);
    expect(total(revenue.months, (m) => m.refunded)).toBeGreaterThan(0);
    expect(total(revenue.months, (m) => m.collected)).toBeGreaterThan(0);
    const trials = await t.services.reports.trials(RANGE);
    expect(total(trials.months, (m) => m.converted)).toBeGreaterThanOrEqual(1);
    expect(total(trials.months, (m) => m.not_converted)).toBeGreaterThanOrEqual(1);
  });

  it('makes the same history again from the same seed', async () => {
    await t.reset();
    const again = await generate('run-two');
    expect(again).toEqual(summary);
  }, 300_000);
});
