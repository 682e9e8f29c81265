/**
 * The webhook path on PostgreSQL, measured against this machine's own ceiling in the same run.
 *
 *   ceiling   HMAC-SHA256 over a 1 KB body plus one durable single-row insert, in a tight loop
 *             from 16 clients: the most any ingest could do here (after a second's warm-up)
 *   ingest    signed Stripe events posted by a load generator in another process (32 keep-alive
 *             connections) to the real app, after 2,000 events of warm-up: events/s, latency
 *             percentiles, and the CPU time server and generator spent per event
 *   end-to-end  events sent at a fixed 500/s with the worker running, after a second at that rate
 *             that is not counted: time from sending an event to its mirror row being written
 *
 *   npx tsx bench/webhooks.ts [--events 20000] [--e2e-seconds 10] [--rate 500]
 *                             [--phases ceiling,ingest,e2e] [--profile DIR]
 *
 * With --profile, CPU profiles of the server during ingest and end-to-end, and of the worker
 * process, are written to DIR.
 *
 * Prints figures only; nothing here passes or fails. Loopback only, bounded in count and time.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { startEmulator } from '../emulator/index.js';
import { buildApp } from '../src/app.js';
import { childEnvironment, loadBenchTargets, loadConfig } from '../src/config.js';
import { createServices } from '../src/services.js';
import { createBenchDatabase } from './support/database.js';
import type { LoadJob, LoadMessage, LoadResult } from './support/load-generator.js';
import { phaseProfiler } from './support/profile.js';
import { fmt, percentile, table } from './support/stats.js';
import { customerUpdatedEvent } from './support/stripe-events.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    'e2e-seconds': { type: 'string', default: '10' },
    rate: { type: 'string', default: '500' },
    phases: { type: 'string', default: 'ceiling,ingest,e2e' },
    profile: { type: 'string' },
  },
});
const PHASES = new Set(args.phases.split(','));
const EVENTS = Number(args.events);
const WARM_UP = 2000;
const E2E_RATE = Number(args.rate);
const E2E_EVENTS = Math.round(E2E_RATE * Number(args['e2e-seconds']));
const SECRET = 'whsec_bench_secret';
const ENCRYPTION_KEY = 'c4'.repeat(32);
const profiler = phaseProfiler(args.profile);

/** A customer event with a body of about 1 KB, like a real one. */
const customerEvent = (n: number, run: string) =>
  customerUpdatedEvent({ n, run, prefix: 'bench', secret: SECRET, padding: 600 });

async function ceiling(url: string, seconds = 5, clients = 16): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: clients });
  await pool.query('create table if not exists bench_ceiling (id text primary key, payload text not null)');
  const body = randomBytes(512).toString('hex');
  let n = 0;
  const loop = async (until: number): Promise<number> => {
    let done = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < until) {
          const signature = createHmac('sha256', SECRET).update(body).digest('hex');
          await pool.query('insert into bench_ceiling (id, payload) values ($1, $2)', [
            String(n++),
            signature + body,
          ]);
          done++;
        }
      }),
    );
    return done;
  };
  // Warmed up like the ingest below: connections open and the loop compiled before it counts.
  await loop(performance.now() + 1000);
  const started = performance.now();
  const done = await loop(started + seconds * 1000);
  const rate = done / ((performance.now() - started) / 1000);
  await pool.end();
  return rate;
}

const cpuMicros = (usage: NodeJS.CpuUsage) => usage.user + usage.system;

/** CPU time (user + system) a process has used, from /proc; NaN where there is none. */
function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in 1/100 s
  } catch {
    return Number.NaN;
  }
}

interface Generated extends LoadResult {
  /** CPU time (µs) this process, the server, spent while the requests were being sent. */
  serverCpuUs: number;
}

/**
 * The load generator's process, one for the whole run. A job's bodies are handed over and turned
 * into requests first; only the sending itself is profiled (as `phase`) and counted in the
 * server's CPU time.
 */
function loadGenerator() {
  const child = fork(fileURLToPath(new URL('./support/load-generator.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
  });
  let failed: (error: Error) => void = () => {};
  child.once('exit', (code) => code !== 0 && failed(new Error(`load generator exited with ${code}`)));
  const next = () =>
    new Promise<LoadMessage>((resolve, reject) => {
      failed = reject;
      child.once('message', (message: LoadMessage) => resolve(message));
    });
  return {
    async run(job: LoadJob, phase?: string): Promise<Generated> {
      const ready = next();
      child.send(job);
      await ready;
      const sending = async () => {
        const cpu = process.cpuUsage();
        const finished = next();
        child.send('go');
        const message = await finished;
        if (!('result' in message)) throw new Error('load generator answered out of turn');
        return { ...message.result, serverCpuUs: cpuMicros(process.cpuUsage(cpu)) };
      };
      return phase ? profiler.around(phase, sending) : sending();
    },
    close: () => child.kill(),
  };
}

function startWorkerProcess(databaseUrl: string): ChildProcess {
  return spawn(
    process.execPath,
    [
      // The worker's own profiles (its main thread and tsx's loader thread) go to DIR/worker.
      ...(args.profile ? ['--cpu-prof', '--cpu-prof-dir', join(args.profile, 'worker')] : []),
      '--import',
      'tsx',
      fileURLToPath(new URL('../src/cli.ts', import.meta.url)),
      'worker',
    ],
    {
      env: childEnvironment({
        DATABASE_URL: databaseUrl,
        RECUR_ENCRYPTION_KEY: ENCRYPTION_KEY,
        STRIPE_SECRET_KEY: 'sk_test_bench',
        STRIPE_API_BASE: 'http://127.0.0.1:9',
        STRIPE_AUTO_SYNC_ENABLED: 'false',
        RECUR_WORKER_CONCURRENCY: '8',
        LOG_LEVEL: 'error',
      }),
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

async function main() {
  const targets = loadBenchTargets();
  const database = await createBenchDatabase(targets.databaseUrl);
  const emulator = await startEmulator({ port: 0 });
  const config = loadConfig({
    DATABASE_URL: database.url,
    RECUR_ENCRYPTION_KEY: ENCRYPTION_KEY,
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_WEBHOOK_SECRET: SECRET,
    STRIPE_WEBHOOK_RATE_LIMIT: '100000000',
    RECUR_DATABASE_POOL_SIZE: '32',
    RECUR_WORKER_CONCURRENCY: '8',
    LOG_LEVEL: 'silent',
  });
  const services = await createServices(config, pino({ level: 'silent' }), {
    secretKey: 'sk_test_bench',
    apiBase: emulator.url,
  });
  try {
    await services.database.migrate();
    const { app } = await buildApp(services);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/stripe/webhook`;

    process.stdout.write('webhooks on PostgreSQL\n');
    const limit = PHASES.has('ceiling') ? await ceiling(database.url) : Number.NaN;

    const generator = loadGenerator();
    const run = randomBytes(3).toString('hex');
    const bodies = Array.from({ length: WARM_UP + EVENTS }, (_, n) => customerEvent(n, run));
    // As a server in service is: compiled hot paths, its connections open, its statements prepared.
    await generator.run({ url, bodies: bodies.slice(0, WARM_UP), concurrency: 32 });
    // CPU per event is the figure that holds still when other work shares the machine.
    const ingest = PHASES.has('ingest')
      ? await generator.run({ url, bodies: bodies.slice(WARM_UP), concurrency: 32 }, 'ingest')
      : { durationMs: 1, latenciesMs: [], statuses: {}, sentAt: {}, cpuUs: 0, serverCpuUs: 0 };
    const ingestRate = ingest.latenciesMs.length / (ingest.durationMs / 1000);
    const ingestCpuUs = ingest.serverCpuUs / ingest.latenciesMs.length;

    // As deployed: the API here, the worker in a process of its own (`recur worker`).
    const worker = PHASES.has('e2e') ? startWorkerProcess(database.url) : null;
    const e2eBodies = Array.from({ length: E2E_EVENTS }, (_, n) => customerEvent(n, `${run}e`));
    // A second at the same rate first, on the same connections, not counted: its connections open
    // and the worker settled after the backlog, as a service in steady state is.
    const e2eWarmUp = Array.from({ length: E2E_RATE }, (_, n) => customerEvent(n, `${run}w`));
    // Let the worker drain the ingest backlog first, so the latency below is the pipeline's own.
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const drainStarted = performance.now();
    while (worker) {
      const { rows } = await pool.query(
        `select count(*)::int as n from events where status in ('received','failed')`,
      );
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const drainRate = ingest.latenciesMs.length / ((performance.now() - drainStarted) / 1000);
    const workerCpuBefore = processCpuMs(worker?.pid);
    const e2e = PHASES.has('e2e')
      ? await generator.run(
          { url, bodies: [...e2eWarmUp, ...e2eBodies], concurrency: 16, ratePerSecond: E2E_RATE },
          'e2e',
        )
      : { durationMs: 1, latenciesMs: [], statuses: {}, sentAt: {} as Record<string, number>, cpuUs: 0 };
    let processed: Array<{ external_id: string; received_at: Date; processed_at: Date }> = [];
    for (let waited = 0; waited < 60_000; waited += 200) {
      const { rows } = await pool.query(
        `select external_id, received_at, processed_at from events where external_id like $1 and status = 'processed'`,
        [`evt_bench_${run}e_%`],
      );
      processed = rows;
      if (processed.length >= e2eBodies.length || !PHASES.has('e2e')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await pool.end();
    const workerCpuUs =
      ((processCpuMs(worker?.pid) - workerCpuBefore) * 1000) / (e2eWarmUp.length + processed.length);
    const e2eLatency = processed.map((r) => r.processed_at.getTime() - e2e.sentAt[r.external_id]!);
    // Where the time goes: sent → stored (the webhook request) and stored → applied (the worker).
    const storedLatency = processed.map((r) => r.received_at.getTime() - e2e.sentAt[r.external_id]!);
    const appliedLatency = processed.map((r) => r.processed_at.getTime() - r.received_at.getTime());

    process.stdout.write(
      `${table([
        {
          measure: 'ceiling: HMAC + durable insert (16 clients)',
          'events/s': fmt(limit, 0),
          p50_ms: '',
          p99_ms: '',
          note: '',
        },
        {
          measure: 'ingest: POST /stripe/webhook (32 conns)',
          'events/s': fmt(ingestRate, 0),
          p50_ms: fmt(percentile(ingest.latenciesMs, 50), 2),
          p99_ms: fmt(percentile(ingest.latenciesMs, 99), 2),
          note: `${fmt((ingestRate / limit) * 100, 0)}% of ceiling; ${fmt(ingestCpuUs, 0)} µs CPU/event (generator ${fmt(ingest.cpuUs / ingest.latenciesMs.length, 0)}); statuses ${JSON.stringify(ingest.statuses)}`,
        },
        {
          measure: 'worker: backlog applied to the mirror',
          'events/s': fmt(drainRate, 0),
          p50_ms: '',
          p99_ms: '',
          note: `${ingest.latenciesMs.length} queued events, 1 worker process, concurrency 8`,
        },
        {
          measure: `end to end at ${E2E_RATE}/s: sent → mirror`,
          'events/s': fmt(E2E_RATE, 0),
          p50_ms: fmt(percentile(e2eLatency, 50), 1),
          p99_ms: fmt(percentile(e2eLatency, 99), 1),
          note: `${processed.length}/${e2eBodies.length} applied; worker ${fmt(workerCpuUs, 0)} µs CPU/event; statuses ${JSON.stringify(e2e.statuses)}`,
        },
        {
          measure: '  of which sent → stored',
          'events/s': '',
          p50_ms: fmt(percentile(storedLatency, 50), 1),
          p99_ms: fmt(percentile(storedLatency, 99), 1),
          note: '',
        },
        {
          measure: '  of which stored → applied',
          'events/s': '',
          p50_ms: fmt(percentile(appliedLatency, 50), 1),
          p99_ms: fmt(percentile(appliedLatency, 99), 1),
          note: 'queue wait and processing in the worker',
        },
      ])}\n`,
    );
    worker?.kill('SIGTERM');
    generator.close();
    await app.close();
  } finally {
    await services.close();
    await emulator.close();
    await database.drop();
  }
}

await main();
