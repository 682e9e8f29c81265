/**
 * Real Stripe events for the benchmarks, in the mix a real account produces: `recur demo` plays a
 * year of billing (sign-ups, renewals, upgrades, failed payments, refunds, cancellations) against
 * the emulator, and every event the emulator sends is captured byte for byte by an endpoint of the
 * benchmark's own, beside Recur's. Test-mode-only events (`test_helpers.*`, the test clocks') are
 * left out: a live account never sends them.
 *
 * `copier` turns the capture into as many distinct accounts' histories as a benchmark needs: every
 * Stripe id but the catalog's (prices and products, which a real account shares between customers)
 * and the app's user id get a suffix per copy, so each copy is new customers, subscriptions and
 * invoices, with the same types, sizes and order as the original.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';
import { childEnvironment } from '../../src/config.js';
import { signStripePayload } from '../../src/stripe/signature.js';
import { createBenchDatabase } from './database.js';
import type { EmulatorProcess } from './emulator-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECRET_KEY = 'sk_test_bench_corpus';

export interface CapturedEvent {
  id: string;
  type: string;
  created: number;
  body: string;
}

export interface Corpus {
  events: CapturedEvent[];
  /** Seconds `recur demo` took. */
  seconds: number;
}

/** A local HTTP endpoint that keeps every delivery's body by event id and answers 200. */
async function captureEndpoint() {
  const bodies = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { id } = JSON.parse(body) as { id: string };
      bodies.set(id, body);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/capture`;
  return { url, bodies, close: () => new Promise((resolve) => server.close(resolve)) };
}

function runDemo(env: NodeJS.ProcessEnv, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/server/cli.js'), 'demo', ...args], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`recur demo exited with ${code}: ${stderr}`)),
    );
  });
}

/**
 * Plays `recur demo` (the prebuilt server bundle, `npm run build:server`) against `emulator` on a
 * database of its own beside `baseDatabaseUrl`, and returns what Stripe sent, oldest first.
 */
export async function captureDemoEvents(options: {
  emulator: EmulatorProcess;
  baseDatabaseUrl: string;
  encryptionKey: string;
  customers: number;
  months: number;
  seed: number;
}): Promise<Corpus> {
  const { emulator } = options;
  const endpoint = await captureEndpoint();
  const stripe = new Stripe(SECRET_KEY, {
    host: new URL(emulator.url).hostname,
    port: Number(new URL(emulator.url).port),
    protocol: 'http',
  });
  const created = await stripe.webhookEndpoints.create({ url: endpoint.url, enabled_events: ['*'] });
  const database = await createBenchDatabase(options.baseDatabaseUrl);
  const dataDir = await mkdtemp(join(tmpdir(), 'recur-bench-demo-'));
  const started = performance.now();
  try {
    await runDemo(
      childEnvironment({
        DATABASE_URL: database.url,
        STRIPE_API_BASE: emulator.url,
        STRIPE_SECRET_KEY: SECRET_KEY,
        RECUR_ENCRYPTION_KEY: options.encryptionKey,
        RECUR_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      }),
      [
        '--customers',
        String(options.customers),
        '--months',
        String(options.months),
        '--seed',
        String(options.seed),
      ],
    );
    const seconds = (performance.now() - started) / 1000;
    // The demo returns once Recur has applied every event; the same events to this endpoint are
    // sent beside those and may still be on their way: the emulator answers once none is.
    const idle = await fetch(`${emulator.url}/_emulator/webhooks/idle`, { method: 'POST' });
    if (!idle.ok) throw new Error(`the emulator did not say its deliveries are done: ${idle.status}`);
    const events = [...endpoint.bodies.values()]
      .map((body) => {
        const { id, type, created } = JSON.parse(body) as { id: string; type: string; created: number };
        return { id, type, created, body };
      })
      .filter((event) => !event.type.startsWith('test_helpers.'))
      .sort((a, b) => a.created - b.created);
    return { events, seconds };
  } finally {
    await stripe.webhookEndpoints.del(created.id).catch(() => {});
    await endpoint.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const KEPT_PREFIXES = new Set(['price', 'prod']);

/** The id prefixes (`cus`, `sub`, `in`…) the corpus's objects use, but the catalog's. */
function idPrefixes(events: CapturedEvent[]): string[] {
  const prefixes = new Set<string>();
  for (const event of events)
    for (const match of event.body.matchAll(/"id":\s*"([a-z]+)_[A-Za-z0-9]+"/g))
      if (!KEPT_PREFIXES.has(match[1]!)) prefixes.add(match[1]!);
  return [...prefixes];
}

/** Makes copy number `copy` of a corpus event, as the history of another account. */
export function copier(events: CapturedEvent[], secret: string) {
  const ids = new RegExp(`\\b(?:${idPrefixes(events).join('|')})_[A-Za-z0-9]+`, 'g');
  const users = /("recur_user_id":\s*")([^"]+)"/g;
  return (copy: number, event: CapturedEvent) => {
    const body = event.body.replace(ids, (id) => `${id}c${copy}`).replace(users, `$1$2-c${copy}"`);
    const id = `${event.id}c${copy}`;
    return { id, type: event.type, body, signature: signStripePayload(body, secret) };
  };
}
