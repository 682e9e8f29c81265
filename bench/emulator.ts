/**
 * Stripe emulator throughput: requests/s for a mix of catalog and customer calls made by 8, 16 and
 * 32 concurrent official-SDK clients over loopback. The emulator runs in its own process (as it
 * does beside Recur in `recur emulator`), so client-side SDK work does not eat its CPU.
 *
 *   npx tsx bench/emulator.ts [--seconds 5] [--max-requests 20000] [--concurrency 8,16,32]
 *
 * Prints figures only; nothing here passes or fails.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Stripe from 'stripe';
import { startEmulator } from '../emulator/index.js';

interface ServerReady {
  port: number;
}
interface ServerUsage {
  cpuMs: number;
  rssMb: number;
}

/** Child-process side: run the emulator until told to report and stop. */
async function serve(): Promise<void> {
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1' });
  const startCpu = process.cpuUsage();
  process.send?.({ port: emulator.port } satisfies ServerReady);
  process.on('message', async (message) => {
    if (message === 'usage') {
      const cpu = process.cpuUsage(startCpu);
      process.send?.({
        cpuMs: (cpu.user + cpu.system) / 1000,
        rssMb: process.memoryUsage().rss / 1024 / 1024,
      } satisfies ServerUsage);
    }
    if (message === 'stop') {
      await emulator.close();
      process.exit(0);
    }
  });
}

function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve) => child.once('message', (message) => resolve(message as T)));
}

type Operation = (stripe: Stripe, state: SharedState) => Promise<unknown>;

interface SharedState {
  productIds: string[];
  customerIds: string[];
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** The mix: one in five calls of each kind. */
const MIX: Array<[string, Operation]> = [
  [
    'product+price create',
    async (stripe, state) => {
      const product = await stripe.products.create({ name: 'Bench plan', metadata: { bench: 'yes' } });
      state.productIds.push(product.id);
      return stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 1900,
        recurring: { interval: 'month' },
      });
    },
  ],
  [
    'customer create',
    async (stripe, state) => {
      const customer = await stripe.customers.create({
        email: 'bench@example.com',
        metadata: { bench: 'yes' },
      });
      state.customerIds.push(customer.id);
    },
  ],
  ['product list', (stripe) => stripe.products.list({ limit: 10, active: true })],
  ['customer list', (stripe) => stripe.customers.list({ limit: 10 })],
  [
    'retrieve',
    (stripe, state) =>
      Math.random() < 0.5
        ? stripe.products.retrieve(pick(state.productIds), { expand: ['default_price'] })
        : stripe.customers.retrieve(pick(state.customerIds)),
  ],
];

interface RunResult {
  concurrency: number;
  requests: number;
  seconds: number;
  errors: number;
  latenciesMs: number[];
}

async function run(
  port: number,
  concurrency: number,
  seconds: number,
  maxRequests: number,
): Promise<RunResult> {
  const clients = Array.from(
    { length: concurrency },
    () => new Stripe('sk_test_bench', { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 }),
  );
  const seed = clients[0]!;
  const state: SharedState = {
    productIds: [(await seed.products.create({ name: 'seed' })).id],
    customerIds: [(await seed.customers.create({})).id],
  };
  const latenciesMs: number[] = [];
  let requests = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;

  await Promise.all(
    clients.map(async (stripe, index) => {
      let turn = index;
      while (performance.now() < deadline && requests < maxRequests) {
        const [, operation] = MIX[turn++ % MIX.length]!;
        // The first kind issues two calls (product, then its price).
        requests += turn % MIX.length === 1 ? 2 : 1;
        const t0 = performance.now();
        try {
          await operation(stripe, state);
        } catch {
          errors++;
        }
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  return { concurrency, requests, seconds: (performance.now() - started) / 1000, errors, latenciesMs };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      'max-requests': { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '8,16,32' },
    },
  });
  const seconds = Number(values.seconds);
  const maxRequests = Number(values['max-requests']);
  const levels = values.concurrency.split(',').map(Number);

  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx'] });
  const { port } = await nextMessage<ServerReady>(child);
  console.log(`Stripe emulator bench: mix of ${MIX.map(([name]) => name).join(', ')}`);
  console.log(
    `emulator pid ${child.pid} on 127.0.0.1:${port}; ${seconds}s or ${maxRequests} requests per level\n`,
  );
  // The SDK clients share this process; when they, not the emulator, use up a core, the
  // emulator's own CPU share tells how far it is from its limit.
  console.log(
    'clients  requests   req/s  p50 ms/op  p99 ms/op  errors  emulator CPU  req/s per emulator core',
  );

  try {
    for (const concurrency of levels) {
      child.send('usage');
      const before = await nextMessage<ServerUsage>(child);
      const result = await run(port, concurrency, seconds, maxRequests);
      child.send('usage');
      const after = await nextMessage<ServerUsage>(child);
      const sorted = [...result.latenciesMs].sort((a, b) => a - b);
      const cpuShare = (after.cpuMs - before.cpuMs) / (result.seconds * 1000);
      console.log(
        [
          String(concurrency).padStart(7),
          String(result.requests).padStart(9),
          (result.requests / result.seconds).toFixed(0).padStart(7),
          percentile(sorted, 50).toFixed(1).padStart(10),
          percentile(sorted, 99).toFixed(1).padStart(10),
          String(result.errors).padStart(7),
          `${(cpuShare * 100).toFixed(0).padStart(11)}%`,
          (result.requests / result.seconds / cpuShare).toFixed(0).padStart(24),
          ` (emulator rss ${after.rssMb.toFixed(0)} MB)`,
        ].join(' '),
      );
    }
  } finally {
    child.send('stop');
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
