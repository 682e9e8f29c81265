/**
 * Can one client's large request hold up everyone else? `/health/live` is asked one call after
 * another while a stream of large requests arrives, with every request logged at info as
 * `recur serve` does; the liveness answer times are the figure (p99 under 50 ms is the target).
 *
 *   npx tsx bench/stall.ts [--seconds 3]
 *
 * Prints figures only; nothing here passes or fails.
 */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { buildApp } from '../src/app.js';
import { loadBenchTargets } from '../src/config.js';
import { createLogger } from '../src/observability/logger.js';
import { offlineServices } from './support/offline-services.js';
import { fmt, percentile, table } from './support/stats.js';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '3' } } });
const SECONDS = Number(args.seconds);

interface Load {
  name: string;
  /** What the issue measured before redaction was bounded. */
  before: string;
  send(base: string, adminKey: string): Promise<Response>;
}

const loads: Load[] = [
  {
    name: '15 kB query string',
    before: '2–6 s stall per request',
    send: (base) => fetch(`${base}/api/plans?search=${'A'.repeat(15_000)}`),
  },
  {
    name: '100 kB field, signed in',
    before: '12–28 s stall per request',
    send: (base, adminKey) =>
      fetch(`${base}/api/plans`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ key: 'big', name: 'Big', description: 'A'.repeat(100_000) }),
      }),
  },
  {
    name: '100 kB unsigned webhook',
    before: '1.2–1.6 s stall per 1 MB body',
    send: (base) =>
      fetch(`${base}/stripe/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
        body: JSON.stringify({ id: 'evt_1', pad: 'A'.repeat(100_000) }),
      }),
  },
];

async function probeDuring(base: string, load: () => Promise<void>): Promise<number[]> {
  const samples: number[] = [];
  let done = false;
  const probing = (async () => {
    while (!done) {
      const started = performance.now();
      await (await fetch(`${base}/health/live`)).arrayBuffer();
      samples.push(performance.now() - started);
    }
  })();
  await load();
  done = true;
  await probing;
  return samples;
}

async function main() {
  const { services, close } = await offlineServices(loadBenchTargets().databaseUrl);
  let logged = 0;
  const sink = new Writable({
    write(chunk, _encoding, next) {
      logged += chunk.length;
      next();
    },
  });
  const { app } = await buildApp({ ...services, logger: createLogger({ level: 'info', destination: sink }) });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const adminKey = (await services.apiKeys.create('bench admin', 'admin')).key;
    const rows: Array<Record<string, string | number>> = [];
    for (const load of loads) {
      await (await load.send(base, adminKey)).arrayBuffer();
      let sent = 0;
      const until = performance.now() + SECONDS * 1000;
      const samples = await probeDuring(base, async () => {
        // Two senders back to back: a steady stream, as fast as the server takes them.
        await Promise.all(
          [0, 1].map(async () => {
            while (performance.now() < until) {
              await (await load.send(base, adminKey)).arrayBuffer();
              sent++;
            }
          }),
        );
      });
      rows.push({
        load: load.name,
        'large requests': sent,
        probes: samples.length,
        'live p50 ms': fmt(percentile(samples, 50), 2),
        'live p99 ms': fmt(percentile(samples, 99), 2),
        'live max ms': fmt(Math.max(...samples), 2),
        before: load.before,
      });
    }
    process.stdout.write(`${table(rows)}\n(log written: ${(logged / 1024).toFixed(0)} kB)\n`);
  } finally {
    await app.close();
    await close();
  }
}

await main();
