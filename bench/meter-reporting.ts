/**
 * Meter reporting: Stripe requests per 1,000,000 usage events. The events are spread over many
 * payers with a skewed (Zipf) distribution and over an hour of minutes; after each minute the meter
 * reporter runs as the schedule would (`RECUR_METER_REPORT_INTERVAL`, 60 s), and every meter event
 * it sends is counted (one Stripe request each). Usage is added to the counters in bulk, as
 * `POST /api/usage` leaves it there; each payer has an allowance of 1,000 units a period, so only
 * the overage is reported. Printed: requests in all, per 1,000,000 events, and the busiest run's
 * requests. On PostgreSQL (BENCH_DATABASE_URL, default the local `test` database).
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { openDatabase, queryRows } from '../src/db/client.js';
import { customers, usageMeters } from '../src/db/schema/index.js';
import { SeededRandom } from '../src/demo/random.js';
import { MeterReporter } from '../src/usage/meter-reporter.js';
import { createBenchDatabase } from './support/database.js';

const EVENTS = Number(process.env.METER_BENCH_EVENTS ?? 1_000_000);
const PAYERS = Number(process.env.METER_BENCH_PAYERS ?? 5_000);
const MINUTES = Number(process.env.METER_BENCH_MINUTES ?? 60);
const ALLOWANCE = 1_000;

/** Zipf weights (s = 1.1): a few payers send most of the usage, most send little. */
const weights = Array.from({ length: PAYERS }, (_, i) => 1 / (i + 1) ** 1.1);
const totalWeight = weights.reduce((a, b) => a + b, 0);
const cumulative: number[] = [];
weights.reduce((sum, w, i) => (cumulative[i] = sum + w / totalWeight), 0);
/** An array parameter as PostgreSQL's literal (the values here need no quoting). */
const pgArray = (values: Array<string | number>) => `{${values.join(',')}}`;
const seeded = new SeededRandom(42);
const random = () => seeded.next();
function pick(): number {
  const r = random();
  let lo = 0;
  let hi = PAYERS - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const bench = await createBenchDatabase(
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
);
const database = await openDatabase({ url: bench.url, poolSize: 4 });
try {
  await database.migrate();
  const { db } = database;
  const now = new Date();
  const periodStart = new Date(now.getTime() - 10 * 86_400_000);
  const periodEnd = new Date(now.getTime() + 20 * 86_400_000);
  await db
    .insert(usageMeters)
    .values({ feature: 'api_calls', stripeMeterId: 'mtr_bench', eventName: 'recur_api_calls' });
  for (let i = 0; i < PAYERS; i += 1000) {
    const ids = Array.from({ length: Math.min(1000, PAYERS - i) }, (_, k) => i + k);
    await db.insert(customers).values(
      ids.map((n) => ({
        id: `cus_bench_${n}`,
        externalId: `user_${n}`,
        createdAt: now,
        stripeEventAt: now,
      })),
    );
    await db.execute(sql`insert into usage_counters (payer_kind, payer_id, feature, period_start, period_end, limit_floor)
      select 'user', 'user_' || n, 'api_calls', ${periodStart}, ${periodEnd}, ${ALLOWANCE}
      from unnest(${pgArray(ids)}::int[]) as n`);
  }

  let requests = 0;
  let busiest = 0;
  let units = 0;
  const sender = {
    async sendEvent(event: { value: number }) {
      requests++;
      units += event.value;
      return 'sent' as const;
    },
  };
  const reporter = new MeterReporter(
    { db, sender, logger: pino({ level: 'silent' }) },
    { everyMs: 60_000, batchSize: 1000, concurrency: 16 },
  );
  const perMinute = Math.floor(EVENTS / MINUTES);
  let sent = 0;
  const began = performance.now();
  for (let minute = 0; minute < MINUTES; minute++) {
    const count = minute === MINUTES - 1 ? EVENTS - sent : perMinute;
    const added = new Map<number, number>();
    for (let e = 0; e < count; e++) {
      const payer = pick();
      added.set(payer, (added.get(payer) ?? 0) + 1);
    }
    sent += count;
    const ids = [...added.keys()].map((n) => `user_${n}`);
    await db.execute(sql`update usage_counters c set used = c.used + a.value, updated_at = now()
      from unnest(${pgArray(ids)}::text[], ${pgArray([...added.values()])}::bigint[]) as a(payer_id, value)
      where c.payer_kind = 'user' and c.payer_id = a.payer_id and c.feature = 'api_calls'`);
    const before = requests;
    await reporter.runNow(now);
    busiest = Math.max(busiest, requests - before);
  }
  const seconds = (performance.now() - began) / 1000;
  const [over] = await queryRows<{ overage: string; payers: string }>(
    db,
    sql`select coalesce(sum(greatest(0, used - limit_floor)), 0)::bigint as overage,
          count(*) filter (where used > limit_floor) as payers from usage_counters`,
  );
  process.stdout.write(
    `meter reporting: ${EVENTS.toLocaleString('en')} usage events from ${PAYERS.toLocaleString('en')} payers (Zipf 1.1) over ${MINUTES} runs of the reporter (one a minute): ${requests.toLocaleString('en')} Stripe requests = ${((requests / EVENTS) * 1_000_000).toFixed(0)} per 1,000,000 usage events (one per event: 1,000,000)\n`,
  );
  process.stdout.write(
    `meter reporting: busiest run ${busiest} requests (${(busiest / 60).toFixed(1)}/s spread over its minute); ${Number(over!.payers)} payers over their allowance; units reported ${units.toLocaleString('en')} = overage ${Number(over!.overage).toLocaleString('en')}; ${seconds.toFixed(1)} s\n`,
  );
} finally {
  await database.close();
  await bench.drop();
}
