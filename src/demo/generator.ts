import type { Db } from '../db/client.js';
import type { PlanService } from '../plans/service.js';
import type { RefundService } from '../refunds/service.js';
import type { ReportService } from '../reports/service.js';
import type { StripeDemoActivity } from '../stripe/demo-activity.js';
import type { SubscriptionService } from '../subscriptions/service.js';
import { ensureCatalog, shapeOf } from './catalog.js';
import type { InboxDrain } from './inbox-drain.js';
import { type DemoCounts, demoRepository } from './repository.js';
import { buildScenario, monthStarts } from './scenario.js';
import { CustomerTimeline, emptyTally, type Tally } from './timeline.js';

export interface DemoDeps {
  db: Db;
  activity: StripeDemoActivity;
  plans: PlanService;
  subscriptions: SubscriptionService;
  refunds: RefundService;
  reports: ReportService;
  /** Waits for Recur to have applied every event so far (see inbox-drain.ts). */
  inbox: Pick<InboxDrain, 'start' | 'drain'>;
}

export interface DemoOptions {
  customers: number;
  months: number;
  seed: number;
  now: Date;
  /** Names this run in Stripe's metadata and idempotency keys. */
  runId: string;
  progress?: (line: string) => void;
}

export interface DemoSummary extends DemoCounts {
  catalogCreated: boolean;
  events: number;
  /** Events this run left dead-lettered. */
  deadEvents: number;
}

/** Clocks advanced at once: enough to overlap Stripe's answers, few enough to keep the order readable. */
const CONCURRENCY = 4;

async function eachLimited<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function formatMoney(amount: number, currency: string): string {
  return `${currency.toUpperCase()} ${(amount / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
}

function describeMonth(month: string, tally: Tally, events: number, mrr: string): string {
  const parts = [
    `${tally.signups} sign-ups`,
    `${tally.trials} trials`,
    `${tally.upgrades} upgrades`,
    `${tally.downgrades} downgrades`,
    `${tally.cancellations} cancellations`,
    `${tally.failingCards} failing cards`,
    `${tally.reactivations} reactivations`,
    `${tally.refunds} refunds`,
  ];
  return `${month}  ${parts.join(', ')}  | ${events} events | MRR ${mrr}`;
}

/**
 * Plays the scenario month by month: every customer's clock is brought to the month's end, then
 * Recur is given time to apply what Stripe sent, as it would have live, before the next month.
 */
export async function generateDemo(deps: DemoDeps, options: DemoOptions): Promise<DemoSummary> {
  const say = options.progress ?? (() => {});
  const now = Math.floor(options.now.getTime() / 1000);
  await deps.inbox.start();
  const deadBefore = await demoRepository.deadEvents(deps.db);
  const { prices, created } = await ensureCatalog(deps.plans, `recur:demo.${options.runId}:catalog`);
  if (!prices.monthly.length) throw new Error('The catalog has no monthly price to subscribe to');
  if (created) say('catalog: created the Starter, Pro and Business plans');
  const stories = buildScenario({ ...options, now, catalog: shapeOf(prices) });
  const timelines = stories.map(
    (story) =>
      new CustomerTimeline(story, {
        activity: deps.activity,
        subscriptions: deps.subscriptions,
        refunds: deps.refunds,
        prices,
        runId: options.runId,
      }),
  );
  const starts = monthStarts(now, options.months);
  let events = 0;
  for (const [i, start] of starts.entries()) {
    const end = Math.min(starts[i + 1] ?? now, now);
    const tally = emptyTally();
    const living = timelines.filter((t) => t.story.signupAt < end);
    await eachLimited(living, CONCURRENCY, (t) => t.runUntil(end, tally));
    const arrived = await deps.inbox.drain();
    events += arrived;
    const month = new Date(start * 1000).toISOString().slice(0, 7);
    const report = await deps.reports.mrr({ from: month, to: month });
    const mrr = report.current.map((c) => formatMoney(c.mrr, c.currency)).join(', ') || '0';
    say(describeMonth(month, tally, arrived, mrr));
  }
  return {
    ...(await demoRepository.countsOfRun(deps.db, options.runId)),
    catalogCreated: created,
    events,
    deadEvents: (await demoRepository.deadEvents(deps.db)) - deadBefore,
  };
}
