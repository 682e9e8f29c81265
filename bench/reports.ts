/**
 * Every report route with each query the dashboard sends (its range, the period before, a plan,
 * a CSV export), and the admin lists at their first, middle and last page, on PostgreSQL with
 * a generated history: BENCH_REPORT_SUBSCRIPTIONS subscriptions (default 1,000,000) over three
 * years and BENCH_REPORT_INVOICES invoices (default 10,000,000), made by set-based SQL in a
 * database of its own, dropped after. MRR movements and the revenue rollup come from `recur reports
 * rebuild` (the production derivation and recomputation), as the reports then read them.
 * Targets: reports < 200 ms p99, lists < 50 ms p99. Prints figures only.
 *
 *   BENCH_REPORT_SUBSCRIPTIONS=100000 BENCH_REPORT_INVOICES=1000000 npx tsx bench/reports.ts
 */
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/app.js';
import { loadBenchTargets } from '../src/config.js';
import { queryRows } from '../src/db/client.js';
import { encodeSortCursor } from '../src/http/sorting.js';
import type { Services } from '../src/services.js';
import { offlineServices } from './support/offline-services.js';
import { fmt, percentile, table } from './support/stats.js';

const SAMPLES = 30;
const WARMUP = 3;
const SLOW_ROUTE_BUDGET_MS = 15_000;
const PLANS = 10;

const elapsed = (started: number) => `${((performance.now() - started) / 1000).toFixed(1)} s`;

async function step(label: string, run: () => Promise<unknown>) {
  const started = performance.now();
  await run();
  process.stdout.write(`  ${label}: ${elapsed(started)}\n`);
}

/** Subscriptions spread over 36 months; one in five in EUR; statuses mixed; some trials and churn. */
async function generate(services: Services, subscriptionCount: number, invoiceCount: number) {
  const { db } = services.database;
  const run = (query: string) => db.execute(sql.raw(query));
  await step('plans and prices', async () => {
    await run(`insert into plans (id, key, name, stripe_product_id, benefits)
      select 'plan_bench_' || g, 'bench-' || g, 'Bench ' || g, 'prod_bench_' || g, '[]'::jsonb
      from generate_series(0, ${PLANS - 1}) g`);
    await run(`insert into plan_prices (id, plan_id, stripe_price_id, currency, unit_amount, billing_scheme, interval, interval_count)
      select 'pp_bench_' || g || '_' || i, 'plan_bench_' || g, 'price_bench_' || g || '_' || i,
             case when i = 2 then 'eur' else 'usd' end, (g + 1) * case when i = 1 then 10000 else 1000 end,
             'per_unit', case when i = 1 then 'year' else 'month' end, 1
      from generate_series(0, ${PLANS - 1}) g, generate_series(0, 2) i`);
  });
  await step(`${subscriptionCount.toLocaleString('en')} subscriptions and their items`, async () => {
    await run(`insert into subscriptions (id, customer_id, status, plan_id, price_id, currency, collection_method,
                 canceled_at, ended_at, trial_start, trial_end, current_period_start, current_period_end,
                 cancellation_reason, stripe_event_at, created_at)
      select 'sub_' || g, 'cus_' || (g % ${Math.max(1, Math.floor(subscriptionCount / 1.5))}),
             (array['active','active','active','active','trialing','past_due','canceled','canceled','unpaid','incomplete_expired'])[g % 10 + 1],
             'plan_bench_' || (g % ${PLANS}),
             'price_bench_' || (g % ${PLANS}) || '_' || case when g % 5 = 0 then 2 when g % 7 = 0 then 1 else 0 end,
             case when g % 5 = 0 then 'eur' else 'usd' end, 'charge_automatically',
             case when g % 10 in (6, 7, 9) then c + interval '90 days' end,
             case when g % 10 in (6, 7, 9) then c + interval '90 days' end,
             case when g % 4 = 0 then c end, case when g % 4 = 0 then c + interval '14 days' end,
             now() - interval '10 days', now() + interval '20 days',
             case when g % 10 = 8 then 'payment_failed' when g % 10 in (6, 7) then 'cancellation_requested' end,
             now(), c
      from (select g, now() - (g % 1095) * interval '1 day' - (g % 86400) * interval '1 second' as c
            from generate_series(1, ${subscriptionCount}) g) s`);
    await run(`insert into subscription_items (id, subscription_id, price_id, quantity, unit_amount, currency,
                 interval, interval_count, stripe_event_at, created_at)
      select 'si_' || substr(s.id, 5), s.id, s.price_id, 1 + (length(s.id) % 3), p.unit_amount, p.currency,
             p.interval, p.interval_count, now(), s.created_at
      from subscriptions s join plan_prices p on p.stripe_price_id = s.price_id`);
  });
  await step(
    `${invoiceCount.toLocaleString('en')} invoices and ${Math.floor(invoiceCount / 50).toLocaleString('en')} refunds`,
    async () => {
      await run(`insert into invoices (id, customer_id, subscription_id, status, currency, subtotal, total, amount_due,
                 amount_paid, amount_remaining, billing_reason, attempt_count, paid_at, stripe_event_at, created_at)
      select 'in_' || g, 'cus_' || (g % ${Math.max(1, Math.floor(subscriptionCount / 1.5))}), 'sub_' || (g % ${subscriptionCount} + 1),
             case when g % 20 = 0 then 'open' when g % 50 = 1 then 'uncollectible' else 'paid' end,
             case when (g % ${subscriptionCount} + 1) % 5 = 0 then 'eur' else 'usd' end,
             2000 + g % 5000, 2000 + g % 5000, 2000 + g % 5000,
             case when g % 20 = 0 or g % 50 = 1 then 0 else 2000 + g % 5000 end,
             case when g % 20 = 0 or g % 50 = 1 then 2000 + g % 5000 else 0 end,
             'subscription_cycle', 1 + (g % 17 = 0)::int + (g % 20 = 0)::int,
             case when g % 20 = 0 or g % 50 = 1 then null else c + (g % 17 = 0)::int * interval '3 days' end,
             now(), c
      from (select g, now() - (g % 1095) * interval '1 day' - (g % 86400) * interval '1 second' as c
            from generate_series(1, ${invoiceCount}) g) i`);
      // Each refund returns part of a paid invoice (the 50th's neighbour), a day after it was paid,
      // and names it as a refund's row does once its payment's invoice is known.
      await run(`insert into refunds (id, charge_id, invoice_id, amount, currency, status, stripe_event_at, created_at)
      select 're_' || g, 'ch_' || g, i.id, least(i.amount_paid, 500 + g % 1000), i.currency, 'succeeded', now(),
             i.paid_at + interval '1 day'
      from generate_series(1, ${Math.floor(invoiceCount / 50)}) g join invoices i on i.id = 'in_' || (50 * g + 2)`);
    },
  );
  await step('MRR movements derived and revenue rollup recomputed (reports rebuild)', () =>
    services.reports.rebuild('all'),
  );
  // A live database is vacuumed by autovacuum; a fresh bulk load is not until it is told to.
  await step('vacuum analyze', () => run('vacuum analyze'));
}

function summary(measure: string, samples: number[], target: number) {
  const p99 = percentile(samples, 99);
  return {
    measure,
    samples: samples.length,
    'p50 ms': fmt(percentile(samples, 50), 1),
    'p99 ms': fmt(p99, 1),
    target: `< ${target} ms${p99 < target ? '' : '  MISSED'}`,
  };
}

async function main() {
  const targets = loadBenchTargets();
  const { services, close } = await offlineServices(targets.databaseUrl);
  try {
    process.stdout.write(
      `reports on PostgreSQL: ${targets.reportSubscriptions.toLocaleString('en')} subscriptions, ${targets.reportInvoices.toLocaleString('en')} invoices (BENCH_REPORT_SUBSCRIPTIONS, BENCH_REPORT_INVOICES)\n`,
    );
    await generate(services, targets.reportSubscriptions, targets.reportInvoices);
    const { app } = await buildApp(services);
    const { key } = await services.apiKeys.create('bench', 'admin');
    const measure = async (url: string) => {
      const samples: number[] = [];
      const began = performance.now();
      for (let i = 0; i < SAMPLES + WARMUP; i++) {
        // A route far over its target would take minutes for 30 samples; 5 tell the story.
        if (samples.length >= 5 && performance.now() - began > SLOW_ROUTE_BUDGET_MS) break;
        const started = performance.now();
        const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
        if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`);
        if (i >= WARMUP) samples.push(performance.now() - started);
      }
      return samples;
    };

    const rows = [];
    rows.push(summary('GET /api/reports/subscriptions', await measure('/api/reports/subscriptions'), 200));
    // What the dashboard asks on each visit (its default range: the last 12 months, in its currency,
    // beside the 12 months before), then with a plan chosen, then a chart's CSV export.
    const now = monthsAgo(0);
    const range = `from=${monthsAgo(11)}&to=${now}`;
    const before = `from=${monthsAgo(23)}&to=${monthsAgo(12)}`;
    const plan = 'plan_id=plan_bench_3';
    rows.push(summary('GET /api/plans?status=all (dashboard)', await measure('/api/plans?status=all'), 200));
    rows.push(
      summary(
        'GET /api/reports/mrr (12 months, every currency)',
        await measure(`/api/reports/mrr?${range}`),
        200,
      ),
    );
    for (const report of ['mrr', 'churn', 'arpu', 'retention', 'revenue', 'payments', 'trials']) {
      const variants: Array<[string, string]> = [
        ['12 months, currency', `${range}&currency=usd`],
        ['previous 12 months, currency', `${before}&currency=usd`],
        ['12 months, plan + currency', `${range}&${plan}&currency=usd`],
        ['previous 12 months, plan + currency', `${before}&${plan}&currency=usd`],
        ['36 months, plan + currency', `from=${monthsAgo(35)}&to=${now}&${plan}&currency=usd`],
        ['12 months, currency, CSV', `${range}&currency=usd&format=csv`],
      ];
      // The comparison period is not asked for the cohorts.
      for (const [label, query] of variants) {
        if (report === 'retention' && label.startsWith('previous')) continue;
        rows.push(
          summary(
            `GET /api/reports/${report} (${label})`,
            await measure(`/api/reports/${report}?${query}`),
            200,
          ),
        );
      }
    }
    // The revenue table under the charts reads its default range.
    rows.push(
      summary(
        'GET /api/reports/revenue (default range, currency)',
        await measure('/api/reports/revenue?currency=usd'),
        200,
      ),
    );
    // Each list at its default sort, newest first, as the console opens it.
    const order = 'desc';
    for (const [list, tableName] of [
      ['subscriptions', 'subscriptions'],
      ['invoices', 'invoices'],
    ] as const) {
      const [{ n }] = (await queryRows<{ n: number }>(
        services.database.db,
        sql.raw(`select count(*)::int as n from ${tableName}`),
      )) as [{ n: number }];
      for (const [page, offset] of [
        ['first', null],
        ['middle', Math.floor(n / 2)],
        ['last', Math.max(0, n - 26)],
      ] as const) {
        let url = `/api/${list}?limit=25`;
        if (offset !== null) {
          const [row] = await queryRows<{ id: string; created_at: Date }>(
            services.database.db,
            sql.raw(
              `select id, created_at from ${tableName} order by created_at ${order}, id ${order} offset ${offset} limit 1`,
            ),
          );
          const position = { value: new Date(row!.created_at), id: row!.id };
          url += `&cursor=${encodeSortCursor({ key: 'created', order }, position)}`;
        }
        rows.push(summary(`GET /api/${list} (${page} page)`, await measure(url), 50));
      }
    }
    process.stdout.write(`${table(rows)}\n`);
    await app.close();
  } finally {
    await close();
  }
}

/** `YYYY-MM` of the month `n` months before this one (UTC). */
function monthsAgo(n: number): string {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1)).toISOString().slice(0, 7);
}

await main();
