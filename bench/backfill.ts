/**
 * Backfill from an emulator rate-limited like Stripe's test mode (25 requests/s), on PostgreSQL.
 * Lists page 100 objects per request, so the limit allows at most 25 × 100 objects/s; the figure to
 * compare is objects/s against what the limit allows for the requests this backfill needs.
 *
 *   npx tsx bench/backfill.ts [--customers 10000] [--products 200] [--rate 25]
 *
 * Prints figures only; nothing here passes or fails.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadBenchTargets, loadConfig } from '../src/config.js';
import { createServices } from '../src/services.js';
import { createStripeClient } from '../src/stripe/index.js';
import { createBenchDatabase } from './support/database.js';
import { startEmulatorProcess } from './support/emulator-process.js';
import { fmt, table } from './support/stats.js';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '10000' },
    products: { type: 'string', default: '200' },
    rate: { type: 'string', default: '25' },
  },
});
const CUSTOMERS = Number(args.customers);
const PRODUCTS = Number(args.products);
const RATE = Number(args.rate);

async function inParallel(
  count: number,
  concurrency: number,
  make: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await make(next++);
    }),
  );
}

async function main() {
  const database = await createBenchDatabase(loadBenchTargets().databaseUrl);
  const emulator = await startEmulatorProcess();
  const stripe = createStripeClient({ secretKey: 'sk_test_bench', apiBase: emulator.url });
  const config = loadConfig({
    DATABASE_URL: database.url,
    RECUR_ENCRYPTION_KEY: 'e6'.repeat(32),
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_API_BASE: emulator.url,
    STRIPE_SYNC_RATE: String(RATE),
    STRIPE_SYNC_RETRY_DELAY: '0.5',
    LOG_LEVEL: 'silent',
  });
  const services = await createServices(config, pino({ level: 'silent' }), {
    secretKey: 'sk_test_bench',
    apiBase: emulator.url,
  });
  try {
    await services.database.migrate();
    await inParallel(CUSTOMERS, 16, (i) =>
      stripe.customers.create({ email: `bench${i}@example.com`, name: `Bench ${i}` }),
    );
    await inParallel(PRODUCTS, 16, async (i) => {
      const product = await stripe.products.create({ name: `Bench plan ${i}` });
      await stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 1000 + i,
        recurring: { interval: 'month' },
      });
    });
    await emulator.setFaults({ rateLimitPerSecond: RATE });

    const started = performance.now();
    const { finished } = await services.syncs.start({
      mode: 'full',
      objects: ['products', 'prices', 'customers'],
      trigger: 'cli',
    });
    const run = await finished;
    const seconds = (performance.now() - started) / 1000;
    const objects = CUSTOMERS + 2 * PRODUCTS;
    const requests = Math.ceil(CUSTOMERS / 100) + 2 * Math.ceil(PRODUCTS / 100);
    // The limit allows `RATE` requests a second: the fastest this backfill could possibly finish.
    const ceiling = objects / (requests / RATE);
    process.stdout.write('backfill on PostgreSQL from a rate-limited emulator\n');
    process.stdout.write(
      `${table([
        {
          measure: `full backfill (${objects} objects, ${requests} list requests)`,
          'objects/s': fmt(objects / seconds, 0),
          'ceiling objects/s': fmt(ceiling, 0),
          share: `${fmt((objects / seconds / ceiling) * 100, 0)}%`,
          note: `${RATE} requests/s limit; run ${run.status} in ${fmt(seconds, 2)} s`,
        },
      ])}\n`,
    );
  } finally {
    await services.close();
    emulator.close();
    await database.drop();
  }
}

await main();
