/**
 * Stripe's webhooks through Recur as it is deployed on PostgreSQL, on real events, in Recur's
 * default configuration (log level and worker concurrency included), against this machine's own
 * ceiling measured in the same run.
 *
 *   events    `recur demo` plays a year of billing against the emulator; every event Stripe sends
 *             is captured (support/demo-corpus.ts) and copied as the histories of further accounts.
 *             The mix (types, shares, sizes) is printed first.
 *   ceiling   HMAC-SHA256 over a 1 KB body plus one durable single-row insert, in a tight loop from
 *             16 clients: the most any ingest could do here.
 *   ingest    `recur serve` (the bundle `npm start` runs) in a process of its own; a load generator
 *             in another posts the events over 32 keep-alive connections from 12 loopback addresses
 *             (Stripe delivers from about a dozen), after 2,000 of warm-up.
 *   worker    `recur worker` in a process of its own, started on the backlog the ingest left:
 *             events applied to the mirror per second.
 *   end-to-end  events sent at a fixed rate (500/s) for 60 s with both running, after a second at
 *             that rate that is not counted: sent → applied latency, and the backlog over time.
 *
 * Beside each throughput: CPU per event of the process doing the work and of PostgreSQL (all its
 * processes, from /proc), and SQL statements per event, counted inside each Recur process
 * (support/count-statements.mjs). Resident memory of both processes, idle and at their peak under load.
 *
 *   npx tsx bench/webhooks.ts [--customers 20] [--months 6] [--events 12000] [--e2e-seconds 60]
 *                             [--rate 500] [--worker-concurrency N] [--batch-window-ms N] [--profile DIR]
 *
 * With --profile, the API's and the worker's CPU profiles (their whole lives) are written to DIR.
 * Prints figures only; nothing here passes or fails. Loopback only, bounded in count and time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadBenchTargets } from '../src/config.js';
import { durableInsertCeiling } from './support/ceiling.js';
import { createBenchDatabase } from './support/database.js';
import { type CapturedEvent, captureDemoEvents, copier } from './support/demo-corpus.js';
import { startEmulatorProcess } from './support/emulator-process.js';
import type { LoadJob } from './support/load-generator.js';
import { processRssMb } from './support/proc.js';
import { loadGenerator, meter, type RecurChild, startRecur } from './support/recur-process.js';
import { fmt, percentile, table } from './support/stats.js';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '20' },
    months: { type: 'string', default: '6' },
    seed: { type: 'string', default: '7' },
    events: { type: 'string', default: '12000' },
    'e2e-seconds': { type: 'string', default: '60' },
    rate: { type: 'string', default: '500' },
    profile: { type: 'string' },
    /** Unset: Recur's default. */
    'worker-concurrency': { type: 'string' },
    /** Unset: Recur's default. */
    'batch-window-ms': { type: 'string' },
  },
});
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const EVENTS = Number(args.events);
const WARM_UP = 2000;
const E2E_RATE = Number(args.rate);
const E2E_EVENTS = Math.round(E2E_RATE * Number(args['e2e-seconds']));
const SECRET = 'whsec_bench_secret';
const ENCRYPTION_KEY = 'c4'.repeat(32);
const SOURCE_ADDRESSES = Array.from({ length: 12 }, (_, n) => `127.0.0.${n + 1}`);

/** The peak resident memory of each process, sampled every 250 ms until stopped. */
function rssSampler(pids: Array<number | undefined>) {
  const peaks = pids.map(() => 0);
  const timer = setInterval(() => {
    pids.forEach((pid, n) => {
      const rss = processRssMb(pid);
      if (rss > peaks[n]!) peaks[n] = rss;
    });
  }, 250);
  return () => {
    clearInterval(timer);
    return peaks;
  };
}

function printMix(events: CapturedEvent[]): void {
  const byType = new Map<string, { count: number; bytes: number }>();
  for (const event of events) {
    const entry = byType.get(event.type) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += Buffer.byteLength(event.body);
    byType.set(event.type, entry);
  }
  const rows = [...byType.entries()]
    .sort((a, b) => b[1].count - a[1].count)
    .map(([type, { count, bytes }]) => ({
      type,
      events: count,
      share: `${fmt((count / events.length) * 100, 1)}%`,
      mean_kb: fmt(bytes / count / 1024, 2),
    }));
  const total = events.reduce((sum, e) => sum + Buffer.byteLength(e.body), 0);
  process.stdout.write(
    `${table(rows)}\n${events.length} events, ${fmt(total / events.length / 1024, 2)} KB mean\n\n`,
  );
}

async function pending(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query(
    `select count(*)::int as n from events where status in ('received', 'failed')`,
  );
  return rows[0].n;
}

async function main() {
  const targets = loadBenchTargets();
  const load = () => loadavg()[0]!.toFixed(1);
  process.stdout.write(`webhooks on PostgreSQL, real events, default configuration (load ${load()})\n`);
  spawnSync(process.execPath, [join(ROOT, 'scripts/build-server.mjs')], { stdio: 'inherit' });

  const emulator = await startEmulatorProcess();
  const dataDir = await mkdtemp(join(tmpdir(), 'recur-bench-webhooks-'));
  const database = await createBenchDatabase(targets.databaseUrl);
  const running: RecurChild[] = [];
  const generator = loadGenerator();
  try {
    const corpus = await captureDemoEvents({
      emulator,
      baseDatabaseUrl: targets.databaseUrl,
      encryptionKey: ENCRYPTION_KEY,
      customers: Number(args.customers),
      months: Number(args.months),
      seed: Number(args.seed),
    });
    process.stdout.write(
      `the mix: recur demo --customers ${args.customers} --months ${args.months} (${fmt(corpus.seconds, 0)} s)\n`,
    );
    printMix(corpus.events);
    const copy = copier(corpus.events, SECRET);
    // Copies 1, 2, 3… in turn, each a whole account's history in the order Stripe made it.
    let taken = 0;
    const take = (n: number) =>
      Array.from({ length: n }, () => {
        const k = taken++;
        return copy(1 + Math.floor(k / corpus.events.length), corpus.events[k % corpus.events.length]!);
      });

    const limit = await durableInsertCeiling(database.url, SECRET);

    const env = {
      DATABASE_URL: database.url,
      PORT: '0',
      STRIPE_SECRET_KEY: 'sk_test_bench_corpus',
      STRIPE_API_BASE: emulator.url,
      STRIPE_WEBHOOK_SECRET: SECRET,
      RECUR_ENCRYPTION_KEY: ENCRYPTION_KEY,
      RECUR_DATA_DIR: dataDir,
    };
    const api = await startRecur('serve', env, args.profile);
    running.push(api);
    const webhookUrl = `${api.url}/stripe/webhook`;
    const apiIdleRss = processRssMb(api.child.pid);
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });

    // Ingest. The warm-up compiles the hot paths and opens the connections, as in service.
    const job = (bodies: ReturnType<typeof take>, extra: Partial<LoadJob> = {}): LoadJob => ({
      url: webhookUrl,
      bodies,
      concurrency: 32,
      sourceAddresses: SOURCE_ADDRESSES,
      ...extra,
    });
    await (await generator.prepare(job(take(WARM_UP))))();
    const sendIngest = await generator.prepare(job(take(EVENTS)));
    const ingestLoad = load();
    const apiLogged0 = api.loggedBytes();
    const ingestMeter = await meter(api);
    const ingestRss = rssSampler([api.child.pid]);
    const ingest = await sendIngest();
    const ingestCost = await ingestMeter(ingest.latenciesMs.length);
    const [apiPeakIngest] = ingestRss();
    const ingestRate = ingest.latenciesMs.length / (ingest.durationMs / 1000);
    const logBytes = (api.loggedBytes() - apiLogged0) / ingest.latenciesMs.length;

    // The worker, on the backlog the ingest left (warm-up included).
    const backlog = await pending(pool);
    const worker = await startRecur(
      'worker',
      {
        ...env,
        ...(args['worker-concurrency'] ? { RECUR_WORKER_CONCURRENCY: args['worker-concurrency'] } : {}),
        ...(args['batch-window-ms'] ? { RECUR_WORKER_BATCH_WINDOW_MS: args['batch-window-ms'] } : {}),
      },
      args.profile,
    );
    running.push(worker);
    const workerIdleRss = processRssMb(worker.child.pid);
    const drainLoad = load();
    const drainMeter = await meter(worker);
    const drainRss = rssSampler([worker.child.pid]);
    const drainStarted = performance.now();
    while ((await pending(pool)) > 0) await new Promise((r) => setTimeout(r, 100));
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const drainCost = await drainMeter(backlog);
    const [workerPeakDrain] = drainRss();
    const drainRate = backlog / drainSeconds;

    // End to end at a fixed rate; the first second is not counted.
    const warmUpE2e = take(E2E_RATE);
    const measured = take(E2E_EVENTS);
    const sendE2e = await generator.prepare(
      job([...warmUpE2e, ...measured], { concurrency: 16, ratePerSecond: E2E_RATE }),
    );
    const e2eLoad = load();
    const e2eApiMeter = await meter(api);
    const e2eWorkerMeter = await meter(worker);
    const e2eRss = rssSampler([api.child.pid, worker.child.pid]);
    const backlogs: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        backlogs.push(await pending(pool));
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    const e2e = await sendE2e();
    const ids = measured.map((event) => event.id);
    let applied: Array<{ external_id: string; processed_at: Date }> = [];
    for (let waited = 0; waited < 120_000; waited += 200) {
      const { rows } = await pool.query(
        `select external_id, processed_at from events where external_id = any($1) and status in ('processed', 'ignored')`,
        [ids],
      );
      applied = rows;
      if (applied.length >= ids.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    sampling = false;
    await sampler;
    const e2eEvents = warmUpE2e.length + measured.length;
    const e2eApiCost = await e2eApiMeter(e2eEvents);
    const e2eWorkerCost = await e2eWorkerMeter(e2eEvents);
    const [apiPeakE2e, workerPeakE2e] = e2eRss();
    const latency = applied.map((r) => r.processed_at.getTime() - e2e.sentAt[r.external_id]!);
    const { rows: dead } = await pool.query(`select count(*)::int as n from events where status = 'dead'`);
    await pool.end();

    const us = (n: number) => `${fmt(n / 1000, 2)} ms`;
    process.stdout.write(
      `${table([
        {
          measure: 'ceiling: HMAC + durable insert (16 clients)',
          'events/s': fmt(limit, 0),
          p50_ms: '',
          p99_ms: '',
          'CPU/event: Recur': '',
          PostgreSQL: '',
          statements: '',
          load: '',
        },
        {
          measure: 'ingest: recur serve, POST /stripe/webhook',
          'events/s': `${fmt(ingestRate, 0)} (${fmt((ingestRate / limit) * 100, 0)}%)`,
          p50_ms: fmt(percentile(ingest.latenciesMs, 50), 2),
          p99_ms: fmt(percentile(ingest.latenciesMs, 99), 2),
          'CPU/event: Recur': us(ingestCost.cpuUs),
          PostgreSQL: us(ingestCost.pgUs),
          statements: fmt(ingestCost.statements, 2),
          load: ingestLoad,
        },
        {
          measure: 'worker: recur worker, the backlog applied',
          'events/s': `${fmt(drainRate, 0)} (${fmt((drainRate / limit) * 100, 0)}%)`,
          p50_ms: '',
          p99_ms: '',
          'CPU/event: Recur': us(drainCost.cpuUs),
          PostgreSQL: us(drainCost.pgUs),
          statements: fmt(drainCost.statements, 2),
          load: drainLoad,
        },
        {
          measure: `end to end at ${E2E_RATE}/s for ${args['e2e-seconds']} s: sent → applied`,
          'events/s': fmt(E2E_RATE, 0),
          p50_ms: fmt(percentile(latency, 50), 1),
          p99_ms: fmt(percentile(latency, 99), 1),
          'CPU/event: Recur': `${us(e2eApiCost.cpuUs)} + ${us(e2eWorkerCost.cpuUs)}`,
          PostgreSQL: us(e2eApiCost.pgUs),
          statements: fmt(e2eApiCost.statements + e2eWorkerCost.statements, 2),
          load: e2eLoad,
        },
      ])}\n`,
    );
    process.stdout.write(
      [
        `ingest: ${ingest.latenciesMs.length} events, statuses ${JSON.stringify(ingest.statuses)}, ${fmt(logBytes, 0)} bytes of log per event`,
        `worker: ${backlog} events in ${fmt(drainSeconds, 1)} s, 1 process at concurrency ${args['worker-concurrency'] ?? 'default'}`,
        `end to end: ${applied.length}/${measured.length} applied, statuses ${JSON.stringify(e2e.statuses)}; backlog each second: max ${Math.max(0, ...backlogs)}, last ${backlogs.at(-1) ?? 0}; dead letters in the run: ${dead[0].n}`,
        `memory (MB RSS): API idle ${fmt(apiIdleRss, 0)}, peak ${fmt(Math.max(apiPeakIngest!, apiPeakE2e!), 0)}; worker idle ${fmt(workerIdleRss, 0)}, peak ${fmt(Math.max(workerPeakDrain!, workerPeakE2e!), 0)}`,
        '',
      ].join('\n'),
    );
  } finally {
    generator.close();
    for (const child of running.reverse()) await child.stop();
    emulator.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
