/**
 * Stripe event in → host-app webhook delivered, on PostgreSQL: signed `customer.updated` events
 * posted to the real app's `POST /stripe/webhook` at a fixed rate, applied by `recur worker` in a
 * process of its own, announced to 3 endpoints and delivered by that worker's dispatcher. Two
 * endpoints answer 204 at once; the third answers 500 to every other request (its failures are
 * retried 5 s later). The receivers run in a process of their own and note when each delivery
 * arrives; latency is from sending the Stripe event to the delivery that succeeded.
 *
 *   npx tsx bench/app-webhooks-e2e.ts [--rate 100] [--seconds 10]
 *
 * Prints figures only; nothing here passes or fails. Loopback only, bounded in count and time.
 */
import { fork, spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { startEmulator } from '../emulator/index.js';
import { buildApp } from '../src/app.js';
import { childEnvironment, loadBenchTargets, loadConfig } from '../src/config.js';
import { createServices } from '../src/services.js';
import { createBenchDatabase } from './support/database.js';
import { fmt, percentile, table } from './support/stats.js';
import { customerUpdatedEvent } from './support/stripe-events.js';

const SECRET = 'whsec_bench_secret';
const ENCRYPTION_KEY = 'c4'.repeat(32);
const ENDPOINTS = ['fast-a', 'fast-b', 'flaky'] as const;

/** What the receivers' process reports: a delivery that succeeded, by endpoint and customer. */
interface Arrival {
  endpoint: string;
  customerId: string;
  at: number;
}

if (process.argv.includes('--receivers')) {
  const ports: Record<string, number> = {};
  for (const name of ENDPOINTS) {
    let requests = 0;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const failing = name === 'flaky' && requests++ % 2 === 0;
        res.writeHead(failing ? 500 : 204).end();
        if (failing) return;
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        process.send!({
          endpoint: name,
          customerId: body.data.customer.id,
          at: Date.now(),
        } satisfies Arrival);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ports[name] = (server.address() as AddressInfo).port;
  }
  process.send!({ ports });
} else {
  await main();
}

const customerEvent = (n: number, run: string) =>
  customerUpdatedEvent({ n, run, prefix: 'e2e', secret: SECRET });

function post(url: string, body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      rate: { type: 'string', default: '100' },
      seconds: { type: 'string', default: '10' },
      receivers: { type: 'boolean' },
    },
  });
  const RATE = Number(args.rate);
  const EVENTS = RATE * Number(args.seconds);
  const run = Math.random().toString(36).slice(2, 8);

  const receivers = fork(fileURLToPath(import.meta.url), ['--receivers'], { execArgv: ['--import', 'tsx'] });
  const arrivals: Arrival[] = [];
  const ports = await new Promise<Record<string, number>>((resolve) =>
    receivers.on('message', (m: Arrival | { ports: Record<string, number> }) => {
      if ('ports' in m) resolve(m.ports);
      else arrivals.push(m);
    }),
  );

  const database = await createBenchDatabase(loadBenchTargets().databaseUrl);
  const emulator = await startEmulator({ port: 0 });
  const env = {
    DATABASE_URL: database.url,
    RECUR_ENCRYPTION_KEY: ENCRYPTION_KEY,
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_WEBHOOK_SECRET: SECRET,
    STRIPE_WEBHOOK_RATE_LIMIT: '100000000',
    STRIPE_AUTO_SYNC_ENABLED: 'false',
    RECUR_WEBHOOKS_ALLOW_PRIVATE: 'true',
    RECUR_WEBHOOKS_POLL_INTERVAL_MS: '100',
    LOG_LEVEL: 'silent',
  };
  const services = await createServices(loadConfig(env), pino({ level: 'silent' }), {
    secretKey: 'sk_test_bench',
    apiBase: emulator.url,
  });
  const worker = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('../src/cli.ts', import.meta.url)), 'worker'],
    {
      env: childEnvironment({ ...env, STRIPE_API_BASE: emulator.url, LOG_LEVEL: 'error' }),
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  try {
    await services.database.migrate();
    for (const name of ENDPOINTS)
      await services.database.db.execute(sql`insert into app_webhook_endpoints (id, url, secret_encrypted)
        values (${`we_${name}`}, ${`http://127.0.0.1:${ports[name]}/hooks`},
          ${services.cipher.encrypt(`whsec_${Buffer.alloc(24, 7).toString('base64')}`)})`);
    const { app } = await buildApp(services);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/stripe/webhook`;

    // The worker is up once a first event has gone all the way through.
    const first = customerEvent(0, `${run}s`);
    await post(url, first.body, first.signature);
    while (!arrivals.some((a) => a.customerId === first.customerId))
      await new Promise((r) => setTimeout(r, 100));
    // Then a second at the rate, not counted: connections open and hot paths compiled.
    const warmUp = Array.from({ length: RATE }, (_, n) => customerEvent(n, `${run}w`));
    const events = Array.from({ length: EVENTS }, (_, n) => customerEvent(n, run));
    const sentAt = new Map<string, number>();
    const statuses: Record<number, number> = {};
    const started = Date.now();
    const sending: Promise<void>[] = [];
    for (const [i, event] of [...warmUp, ...events].entries()) {
      const due = started + (i * 1000) / RATE;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      sentAt.set(event.customerId, Date.now());
      sending.push(
        post(url, event.body, event.signature).then((status) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
        }),
      );
    }
    await Promise.all(sending);
    // The fast endpoints all delivered, and the flaky one's first retries (5 s later) done.
    const measured = new Set(events.map((e) => e.customerId));
    const delivered = (endpoint: string) =>
      arrivals.filter((a) => a.endpoint === endpoint && measured.has(a.customerId));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && delivered('fast-a').length + delivered('fast-b').length < 2 * EVENTS)
      await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 7000));

    // When each message was written (in the worker's transaction), to tell applying from delivering.
    const { rows } = (await services.database.db.execute(
      sql`select m.body::jsonb -> 'data' -> 'customer' ->> 'id' as customer_id,
            extract(epoch from min(d.created_at)) * 1000 as written_at
          from app_webhook_messages m join app_webhook_deliveries d on d.message_id = m.id
          group by m.id`,
    )) as unknown as { rows: { customer_id: string; written_at: string }[] };
    const announced = rows
      .filter((r) => measured.has(r.customer_id))
      .map((r) => Number(r.written_at) - sentAt.get(r.customer_id)!);

    process.stdout.write(`Stripe event → host-app webhook at ${RATE} events/s, 3 endpoints\n`);
    process.stdout.write(
      `${table(
        ENDPOINTS.map((endpoint) => {
          const latencies = delivered(endpoint).map((a) => a.at - sentAt.get(a.customerId)!);
          return {
            endpoint:
              endpoint === 'flaky' ? 'flaky (500 to every other request)' : `${endpoint} (204 at once)`,
            delivered: `${latencies.length}/${EVENTS}`,
            p50_ms: fmt(percentile(latencies, 50), 1),
            p99_ms: fmt(percentile(latencies, 99), 1),
          };
        }),
      )}\nannounced (message written by the worker): ${announced.length}/${EVENTS}, p50 ${fmt(percentile(announced, 50), 1)} ms, p99 ${fmt(percentile(announced, 99), 1)} ms\n(ingest statuses ${JSON.stringify(statuses)}; the flaky endpoint's failures wait 5 s, then 5 min if failing again: only those delivered within 7 s of the last event are counted)\n`,
    );
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    await services.close();
    await emulator.close();
    await database.drop();
    receivers.kill();
  }
}
