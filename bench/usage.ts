/**
 * Usage on PostgreSQL through `recur serve` (the bundle `npm start` runs, default configuration):
 * ingest through POST /api/usage, singly and in batches of 100, beside the same run's durable-insert
 * ceiling (support/ceiling.ts); and POST /api/check, p50/p99 at a fixed rate and at full speed.
 * The mirror holds 1,000 users on a plan with a monthly metered limit, and a tenth of them hold
 * credits for a second feature, as a host app's would.
 *
 *   npx tsx bench/usage.ts [--users 1000] [--single 4000] [--batches 300] [--rate 1000] [--seconds 10]
 *
 * Requests are sent from this process over 16 keep-alive connections. Prints figures only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadBenchTargets } from '../src/config.js';
import { creditLots, customers, plans, subscriptions } from '../src/db/schema/index.js';
import { durableInsertCeiling } from './support/ceiling.js';
import { offlineServices } from './support/offline-services.js';
import { startRecur } from './support/recur-process.js';
import { fmt, percentile, table } from './support/stats.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    single: { type: 'string', default: '4000' },
    batches: { type: 'string', default: '300' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
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
    const serve = await startRecur('serve', { ...settings, PORT: '0', RECUR_DATA_DIR: dataDir });
    // Keep-alive connections, at most 16 open: a request beyond waits for one, as a host app's pool does.
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    try {
      const target = new URL(serve.url);
      const post = (path: string, body: unknown) =>
        new Promise<number>((resolve, reject) => {
          const payload = JSON.stringify(body);
          const started = performance.now();
          const req = request(
            {
              agent,
              host: target.hostname,
              port: target.port,
              path,
              method: 'POST',
              headers: {
                authorization: `Bearer ${key}`,
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(payload),
              },
            },
            (res) => {
              res.resume();
              res.on('end', () =>
                res.statusCode === 200
                  ? resolve(performance.now() - started)
                  : reject(new Error(`${path} answered ${res.statusCode}`)),
              );
            },
          );
          req.on('error', reject);
          req.end(payload);
        });
      /** `count` requests from 16 workers as fast as they go; answers the latencies and the seconds. */
      const flat = async (count: number, request: (i: number) => Promise<number>) => {
        let next = 0;
        const latencies: number[] = [];
        const started = performance.now();
        await Promise.all(
          Array.from({ length: CONNECTIONS }, async () => {
            while (next < count) latencies.push(await request(next++));
          }),
        );
        return { latencies, seconds: (performance.now() - started) / 1000 };
      };
      const event = (i: number, tag: string) => ({
        user_id: user(i),
        feature: 'api_calls',
        value: 1 + (i % 5),
        idempotency_key: `${tag}_${i}`,
      });
      // Warm the connections, the pools and the JIT.
      await flat(500, (i) => post('/api/usage', event(i, 'warm')));
      await flat(500, (i) => post('/api/check', { user_id: user(i), feature: 'api_calls' }));

      const single = await flat(SINGLE, (i) => post('/api/usage', event(i, 'one')));
      // A batch is one payer's requests of a moment, as an SDK buffers them: 100 events, a few payers.
      const batched = await flat(BATCHES, (b) =>
        post('/api/usage', {
          events: Array.from({ length: 100 }, (_, k) => event(b * 100 + k, 'batch')).map((e, k) => ({
            ...e,
            user_id: user(b * 7 + (k % 4)),
          })),
        }),
      );
      const ceiling = await durableInsertCeiling(databaseUrl, 'bench-usage-ceiling');

      const checks = (i: number) =>
        post('/api/check', { user_id: user(i), feature: i % 10 === 0 ? 'ai' : 'api_calls', required: 1 });
      const paced: number[] = [];
      const interval = 1000 / RATE;
      const start = performance.now();
      const inFlight: Array<Promise<void>> = [];
      for (let i = 0; i < RATE * SECONDS; i++) {
        const due = start + i * interval;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        inFlight.push(checks(i).then((ms) => void paced.push(ms)));
      }
      await Promise.all(inFlight);
      const pacedRate = paced.length / ((performance.now() - start) / 1000);
      const load = loadavg()[0]!.toFixed(1);
      const fullSpeed = await flat(RATE * SECONDS, checks);

      const lat = (samples: number[]) => ({
        'p50 ms': fmt(percentile(samples, 50), 2),
        'p99 ms': fmt(percentile(samples, 99), 2),
      });
      process.stdout.write(
        `usage on PostgreSQL through recur serve: ${USERS} users on a metered plan, ${CONNECTIONS} connections, load ${load}\n`,
      );
      process.stdout.write(
        `${table([
          {
            measure: 'POST /api/usage, one event a request',
            'events/s': fmt(SINGLE / single.seconds, 0),
            ...lat(single.latencies),
          },
          {
            measure: 'POST /api/usage, batches of 100',
            'events/s': fmt((BATCHES * 100) / batched.seconds, 0),
            ...lat(batched.latencies),
          },
          {
            measure: 'durable-insert ceiling (same run)',
            'events/s': fmt(ceiling, 0),
            'p50 ms': '',
            'p99 ms': '',
          },
        ])}\n`,
      );
      process.stdout.write(
        `${table([
          {
            measure: `POST /api/check at ${RATE}/s (achieved ${fmt(pacedRate, 0)}/s)`,
            requests: paced.length,
            ...lat(paced),
          },
          {
            measure: `POST /api/check at full speed (${fmt(fullSpeed.latencies.length / fullSpeed.seconds, 0)}/s)`,
            requests: fullSpeed.latencies.length,
            ...lat(fullSpeed.latencies),
          },
        ])}\n`,
      );
    } finally {
      agent.destroy();
      await serve.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await close();
  }
}

await main();
