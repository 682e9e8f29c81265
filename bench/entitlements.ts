/**
 * The entitlements route on PostgreSQL, with 50,000 customers and 100,000 subscriptions in the
 * mirror (a twentieth of the users also have a customer deleted in Stripe, as after a re-signup),
 * at Recur's default log level: what the host app pays on each check. Target: p99 under 5 ms at
 * 500 checks/s over HTTP.
 *
 * Measured twice: in this process, one request after another through the app (the route's own
 * cost, and the service's SQL alone), and over HTTP: `recur serve` (the bundle `npm start` runs)
 * in a process of its own, asked by the load generator at a fixed rate over keep-alive
 * connections, as a host app's servers would.
 *
 *   npx tsx bench/entitlements.ts [--users 50000] [--subscriptions 100000] [--requests 3000]
 *                                 [--rate 500] [--seconds 20] [--profile DIR]
 *
 * `--profile DIR` writes the CPU profile of `recur serve` (its whole life) under DIR.
 *
 * Prints figures only; nothing here passes or fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildApp } from '../src/app.js';
import { loadBenchTargets } from '../src/config.js';
import { customers, plans, subscriptions } from '../src/db/schema/index.js';
import type { LoadRequest } from './support/load-generator.js';
import { offlineServices } from './support/offline-services.js';
import { loadGenerator, startRecur } from './support/recur-process.js';
import { fmt, percentile, table } from './support/stats.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '50000' },
    subscriptions: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '3000' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '20' },
    profile: { type: 'string' },
  },
});
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const USERS = Number(args.users);
const SUBSCRIPTIONS = Number(args.subscriptions);
const REQUESTS = Number(args.requests);
const PLANS = 10;
// Mostly live subscriptions, with the statuses that need the rules' other branches mixed in.
const STATUSES = ['active', 'active', 'active', 'trialing', 'past_due', 'canceled', 'unpaid'];

function chunks<T>(rows: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(rows.length / size) }, (_, i) =>
    rows.slice(i * size, (i + 1) * size),
  );
}

function summary(measure: string, samples: number[]) {
  return {
    measure,
    requests: samples.length,
    'p50 ms': fmt(percentile(samples, 50), 2),
    'p99 ms': fmt(percentile(samples, 99), 2),
    'max ms': fmt(Math.max(...samples), 2),
  };
}

/** `recur serve` on the benchmark's database, asked `rate` times a second for `seconds`. */
async function overHttp(settings: Record<string, string>, key: string, user: (i: number) => string) {
  const dataDir = await mkdtemp(join(tmpdir(), 'recur-bench-entitlements-'));
  const generator = loadGenerator();
  const serve = await startRecur('serve', { ...settings, PORT: '0', RECUR_DATA_DIR: dataDir }, args.profile);
  try {
    const requests = (from: number, count: number): LoadRequest[] =>
      Array.from({ length: count }, (_, n) => ({
        id: String(from + n),
        path: `/api/users/${user(from + n)}/entitlements`,
        headers: { authorization: `Bearer ${key}` },
      }));
    const job = (bodies: LoadRequest[]) => ({ url: serve.url, bodies, concurrency: 16, ratePerSecond: RATE });
    // A second at the rate warms the connections, the pool and the JIT; it is not counted.
    await (await generator.prepare(job(requests(0, RATE))))();
    const load = loadavg()[0]!.toFixed(1);
    const result = await (await generator.prepare(job(requests(RATE, RATE * SECONDS))))();
    return { ...result, load };
  } finally {
    generator.close();
    await serve.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  // `recur serve` runs from the bundle, built here when it is missing or older than the sources.
  spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/build-server.mjs', import.meta.url))], {
    stdio: 'inherit',
  });
  const { services, settings, close } = await offlineServices(loadBenchTargets().databaseUrl, {
    logs: 'default',
  });
  try {
    const { db } = services.database;
    const now = new Date();
    const day = 86_400_000;
    await db.insert(plans).values(
      Array.from({ length: PLANS }, (_, i) => ({
        id: `plan_bench_${i}`,
        key: `bench-${i}`,
        name: `Bench ${i}`,
        stripeProductId: `prod_bench_${i}`,
        benefits: [
          { key: 'seats', value: 1 + i },
          { key: `feature_${i}`, value: true },
          { key: 'support', value: i % 2 ? 'email' : 'phone' },
        ],
      })),
    );
    const customerRows = Array.from({ length: USERS }, (_, i) => ({
      id: `cus_bench_${i}`,
      externalId: `user_${i}`,
      stripeEventAt: now,
      createdAt: now,
    }));
    const deletedRows = customerRows
      .filter((_, i) => i % 20 === 0)
      .map((c) => ({ ...c, id: `${c.id}_old`, deleted: true }));
    // Spread over the users: every user has one or more, some three.
    const subscriptionRows = Array.from({ length: SUBSCRIPTIONS }, (_, k) => {
      const i = k < USERS ? k : (k * 7919) % USERS;
      return {
        id: `sub_bench_${k}`,
        customerId: customerRows[i]!.id,
        status: STATUSES[k % STATUSES.length]!,
        planId: `plan_bench_${k % PLANS}`,
        currency: 'usd',
        collectionMethod: 'charge_automatically',
        currentPeriodStart: new Date(now.getTime() - (k % 20) * day),
        currentPeriodEnd: new Date(now.getTime() + 10 * day),
        stripeEventAt: now,
        createdAt: now,
      };
    });
    for (const rows of chunks([...customerRows, ...deletedRows], 1000))
      await db.insert(customers).values(rows);
    for (const rows of chunks(subscriptionRows, 1000)) await db.insert(subscriptions).values(rows);
    await services.database.db.execute('vacuum analyze');
    await services.database.db.execute('checkpoint');

    const { app } = await buildApp(services);
    const { key } = await services.apiKeys.create('bench', 'service');
    const user = (i: number) => `user_${(i * 7919) % USERS}`;
    const route: number[] = [];
    const query: number[] = [];
    for (let i = 0; i < REQUESTS + 200; i++) {
      let started = performance.now();
      const res = await app.inject({
        method: 'GET',
        url: `/api/users/${user(i)}/entitlements`,
        headers: { authorization: `Bearer ${key}` },
      });
      const routeMs = performance.now() - started;
      if (res.statusCode !== 200) throw new Error(`entitlements answered ${res.statusCode}: ${res.body}`);
      started = performance.now();
      await services.entitlements.forUser(user(i + 1));
      const queryMs = performance.now() - started;
      // The first 200 warm the pool, the plan cache and the JIT.
      if (i >= 200) {
        route.push(routeMs);
        query.push(queryMs);
      }
    }
    process.stdout.write(
      `entitlements on PostgreSQL: ${USERS} users (${customerRows.length + deletedRows.length} customers, ${deletedRows.length} deleted), ${subscriptionRows.length} subscriptions, ${PLANS} plans, log level ${services.config.logLevel}\n`,
    );
    process.stdout.write(
      `${table([
        summary('GET /api/users/:id/entitlements (auth + query + JSON)', route),
        summary('entitlement service alone (one SQL round trip)', query),
      ])}\n`,
    );
    await app.close();

    const http = await overHttp(settings, key, user);
    const failed = http.latenciesMs.length - (http.statuses['200'] ?? 0);
    process.stdout.write(
      `${table([
        {
          ...summary(`over HTTP at ${RATE}/s for ${SECONDS} s, 16 connections`, http.latenciesMs),
          load: http.load,
        },
      ])}\n${failed === 0 ? 'every answer 200' : `${failed} answers not 200: ${JSON.stringify(http.statuses)}`}\n`,
    );
  } finally {
    await close();
  }
}

await main();
