/**
 * Usage on PostgreSQL through `recur serve` (the bundle `npm start` runs, default configuration):
 * ingest through POST /api/usage, singly and in batches of 100, beside the same run's durable-insert
 * ceiling (support/ceiling.ts); and POST /api/check, p50/p99 at a fixed rate and at full speed.
 * The mirror holds 1,000 users on a plan with a monthly metered limit, and a tenth of them hold
 * credits for a second feature, as a host app's would.
 *
 *   npx tsx bench/usage.ts [--users 1000] [--single 4000] [--batches 300] [--rate 1000] [--seconds 10]
 *                          [--profile DIR]
 *
 * With --profile, the API's CPU profile (its whole life) is written to DIR.
 *
 * Requests are sent from the load generator's own process (support/load-generator.ts) over 16
 * keep-alive connections; at a fixed rate, a latency counts from when its request was due. Prints
 * figures only; each row gives the API's and PostgreSQL's CPU and the statements per event or check.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadBenchTargets } from '../src/config.js';
import { creditLots, customers, plans, subscriptions } from '../src/db/schema/index.js';
import { durableInsertCeiling } from './support/ceiling.js';
import type { LoadJob } from './support/load-generator.js';
import { offlineServices } from './support/offline-services.js';
import { loadGenerator, meter, startRecur } from './support/recur-process.js';
import { fmt, percentile, table } from './support/stats.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    single: { type: 'string', default: '4000' },
    batches: { type: 'string', default: '300' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    profile: { type: 'string' },
  },
});
const USERS = Number(args.users);
const SINGLE = Number(args.single);
const BATCHES = Number(args.batches);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const CONNECTIONS = 16;

const user = (i: number) => `user_${(i * 7919) % USERS}`;

async function main() {
  spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/build-server.mjs', import.meta.url))], {
    stdio: 'inherit',
  });
  const { services, settings, databaseUrl, close } = await offlineServices(loadBenchTargets().databaseUrl, {
    logs: 'default',
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'recur-bench-usage-'));
  try {
    const { db } = services.database;
    const now = new Date();
    await db.insert(plans).values({
      id: 'plan_bench_usage',
      key: 'bench-usage',
      name: 'Bench usage',
      stripeProductId: 'prod_bench_usage',
      benefits: [
        { key: 'seats', value: 3 },
        { key: 'api_calls', value: 100_000_000, limit: { reset: 'month', overage: 'block' } },
      ],
    });
    await db.insert(customers).values(
      Array.from({ length: USERS }, (_, i) => ({
        id: `cus_bench_${i}`,
        externalId: `user_${i}`,
        stripeEventAt: now,
        createdAt: now,
      })),
    );
    await db.insert(subscriptions).values(
      Array.from({ length: USERS }, (_, i) => ({
        id: `sub_bench_${i}`,
        customerId: `cus_bench_${i}`,
        status: 'active',
        planId: 'plan_bench_usage',
        currency: 'usd',
        collectionMethod: 'charge_automatically',
        currentPeriodStart: new Date(now.getTime() - 5 * 86_400_000),
        currentPeriodEnd: new Date(now.getTime() + 25 * 86_400_000),
        stripeEventAt: now,
        createdAt: now,
      })),
    );
    await db.insert(creditLots).values(
      Array.from({ length: Math.ceil(USERS / 10) }, (_, i) => ({
        id: `clot_bench_${i}`,
        payerKind: 'user' as const,
        payerId: `user_${i * 10}`,
        feature: 'ai',
        granted: 1_000_000,
        remaining: 1_000_000,
        source: 'admin' as const,
        sourceRef: `bench_${i}`,
      })),
    );
    await db.execute('analyze');
    const { key } = await services.apiKeys.create('bench', 'service');
    const serve = await startRecur(
      'serve',
      { ...settings, PORT: '0', RECUR_DATA_DIR: dataDir },
      args.profile,
    );
    const generator = loadGenerator();
    try {
      const headers = { authorization: `Bearer ${key}` };
      /**
       * Posts the bodies from the load generator's process over 16 keep-alive connections (at
       * `rate` a second, or as fast as they go); answers the latencies and the seconds. Every
       * answer must be a 200.
       */
      const send = async (path: string, bodies: unknown[], rate?: number) => {
        const job: LoadJob = {
          url: serve.url,
          concurrency: CONNECTIONS,
          ...(rate ? { ratePerSecond: rate } : {}),
          bodies: bodies.map((body, i) => ({ id: String(i), path, headers, json: JSON.stringify(body) })),
        };
        const result = await (await generator.prepare(job))();
        const failed = Object.entries(result.statuses).filter(([status]) => status !== '200');
        if (failed.length) throw new Error(`${path} answered ${JSON.stringify(result.statuses)}`);
        return { latencies: result.latenciesMs, seconds: result.durationMs / 1000 };
      };
      const range = <T>(count: number, item: (i: number) => T) =>
        Array.from({ length: count }, (_, i) => item(i));
      const event = (i: number, tag: string) => ({
        user_id: user(i),
        feature: 'api_calls',
        value: 1 + (i % 5),
        idempotency_key: `${tag}_${i}`,
      });
      const check = (i: number) => ({
        user_id: user(i),
        feature: i % 10 === 0 ? 'ai' : 'api_calls',
        required: 1,
      });
      // Warm the connections, the pools and the JIT.
      await send(
        '/api/usage',
        range(500, (i) => event(i, 'warm')),
      );
      await send('/api/check', range(500, check));

      const singleCost = await meter(serve);
      const single = await send(
        '/api/usage',
        range(SINGLE, (i) => event(i, 'one')),
      );
      const singleCosts = await singleCost(SINGLE);
      const batchCost = await meter(serve);
      // A batch is one payer's requests of a moment, as an SDK buffers them: 100 events, a few payers.
      const batched = await send(
        '/api/usage',
        range(BATCHES, (b) => ({
          events: range(100, (k) => ({ ...event(b * 100 + k, 'batch'), user_id: user(b * 7 + (k % 4)) })),
        })),
      );
      const batchCosts = await batchCost(BATCHES * 100);
      const ceiling = await durableInsertCeiling(databaseUrl, 'bench-usage-ceiling');
      // The server's own floor: a request that does no work (no key, no body, no database) but
      // costs the HTTP exchange and the log line every request costs.
      const floorJob: LoadJob = {
        url: serve.url,
        concurrency: CONNECTIONS,
        bodies: range(SINGLE, (i) => ({ id: String(i), path: '/health/live', headers: {} })),
      };
      const floorCost = await meter(serve);
      const floor = await (await generator.prepare(floorJob))();
      const floorCosts = await floorCost(SINGLE);

      const paced = await send('/api/check', range(RATE * SECONDS, check), RATE);
      const pacedRate = paced.latencies.length / paced.seconds;
      const load = loadavg()[0]!.toFixed(1);
      const checkCost = await meter(serve);
      const fullSpeed = await send(
        '/api/check',
        range(RATE * SECONDS, (i) => check(i + 1)),
      );
      const checkCosts = await checkCost(RATE * SECONDS);

      const lat = (samples: number[]) => ({
        'p50 ms': fmt(percentile(samples, 50), 2),
        'p99 ms': fmt(percentile(samples, 99), 2),
      });
      const costs = (c: { cpuUs: number; pgUs: number; statements: number }) => ({
        'API CPU µs': fmt(c.cpuUs, 0),
        'PG CPU µs': fmt(c.pgUs, 0),
        statements: fmt(c.statements, 2),
      });
      const none = { 'API CPU µs': '', 'PG CPU µs': '', statements: '' };
      process.stdout.write(
        `usage on PostgreSQL through recur serve: ${USERS} users on a metered plan, ${CONNECTIONS} connections, load ${load}\n`,
      );
      process.stdout.write(
        `${table([
          {
            measure: 'POST /api/usage, one event a request',
            'events/s': fmt(SINGLE / single.seconds, 0),
            ...lat(single.latencies),
            ...costs(singleCosts),
          },
          {
            measure: 'POST /api/usage, batches of 100',
            'events/s': fmt((BATCHES * 100) / batched.seconds, 0),
            ...lat(batched.latencies),
            ...costs(batchCosts),
          },
          {
            measure: 'GET /health/live, no work (same run)',
            'events/s': fmt((SINGLE * 1000) / floor.durationMs, 0),
            ...lat(floor.latenciesMs),
            ...costs(floorCosts),
          },
          {
            measure: 'durable-insert ceiling (same run)',
            'events/s': fmt(ceiling, 0),
            'p50 ms': '',
            'p99 ms': '',
            ...none,
          },
        ])}\n`,
      );
      process.stdout.write(
        `${table([
          {
            measure: `POST /api/check at ${RATE}/s (achieved ${fmt(pacedRate, 0)}/s)`,
            requests: paced.latencies.length,
            ...lat(paced.latencies),
            ...none,
          },
          {
            measure: `POST /api/check at full speed (${fmt(fullSpeed.latencies.length / fullSpeed.seconds, 0)}/s)`,
            requests: fullSpeed.latencies.length,
            ...lat(fullSpeed.latencies),
            ...costs(checkCosts),
          },
        ])}\n`,
      );
    } finally {
      generator.close();
      await serve.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await close();
  }
}

await main();
