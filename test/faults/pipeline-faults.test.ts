import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.js';
import { buildApp } from '../../src/app.js';
import { childEnvironment, loadConfig, loadTestTargets } from '../../src/config.js';
import { queryRows } from '../../src/db/client.js';
import { TcpProxy } from '../../src/queue/tcp-proxy.js';
import { targetOf } from '../../src/queue/test-support.js';
import { createServices, type Services } from '../../src/services.js';
import { createStripeClient, type Stripe } from '../../src/stripe/index.js';
import { registerWebhookEndpoint } from '../../src/stripe/webhook-endpoints.js';
import { removeBrokerQueue } from '../support/broker-cleanup.js';
import { openTestDatabase } from '../support/db.js';
import { expectMirrorEqualsStripe } from '../support/mirror.js';
import { eventually } from '../support/wait.js';

/**
 * Over 5,000 real events on PostgreSQL and RabbitMQ while things break: the worker process is
 * SIGKILLed at random moments, the network to RabbitMQ goes away for two seconds once (a proxy of
 * the test's own drops every connection and refuses new ones: the machine's RabbitMQ, shared with
 * other runs, is never stopped) and every database connection is cut once. Afterwards each event is stored once and applied, nothing is dead, and the mirror equals
 * the emulator's state.
 */
const { databaseUrl, amqpUrl } = loadTestTargets();
const CUSTOMERS = 220;
const ENCRYPTION_KEY = 'd5'.repeat(32);

describe.skipIf(!databaseUrl || !amqpUrl)('the pipeline under faults (PostgreSQL + RabbitMQ)', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let services: Services;
  let stripe: Stripe;
  let worker: ChildProcess | null = null;
  let stopApp: () => Promise<void>;
  let broker: TcpProxy;
  let brokerUrl = '';
  const queueName = `recur-faults-${randomBytes(4).toString('hex')}`;
  const log: string[] = [];

  function startWorker(): void {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('../../src/cli.ts', import.meta.url)), 'worker'],
      {
        env: childEnvironment({
          DATABASE_URL: database.url!,
          QUEUE_URL: brokerUrl,
          RECUR_QUEUE_NAME: queueName,
          RECUR_ENCRYPTION_KEY: ENCRYPTION_KEY,
          STRIPE_SECRET_KEY: 'sk_test_faults',
          STRIPE_API_BASE: emulator.url,
          STRIPE_AUTO_SYNC_ENABLED: 'false',
          RECUR_WORKER_CONCURRENCY: '8',
          LOG_LEVEL: 'error',
        }),
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    worker = child;
  }

  function killWorker(): void {
    worker?.kill('SIGKILL');
    worker = null;
  }

  beforeAll(async () => {
    const target = targetOf(amqpUrl!);
    broker = await TcpProxy.start(target);
    brokerUrl = target.viaPort(broker.port);
    database = await openTestDatabase();
    emulator = await startEmulator({
      port: 0,
      webhooks: { retryBaseMs: 200, maxAttempts: 40, timeoutMs: 10_000 },
    });
    const config = loadConfig({
      DATABASE_URL: database.url!,
      QUEUE_URL: brokerUrl,
      RECUR_QUEUE_NAME: queueName,
      RECUR_ENCRYPTION_KEY: ENCRYPTION_KEY,
      STRIPE_SECRET_KEY: 'sk_test_faults',
      STRIPE_API_BASE: emulator.url,
      STRIPE_WEBHOOK_RATE_LIMIT: '1000000',
      LOG_LEVEL: 'silent',
    });
    services = await createServices(config, pino({ level: 'silent' }), {
      secretKey: 'sk_test_faults',
      apiBase: emulator.url,
    });
    const { app } = await buildApp(services);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/stripe/webhook`;
    services.webhookSecrets.push(await registerWebhookEndpoint(services.stripe, url));
    stopApp = () => app.close();
    stripe = createStripeClient({ secretKey: 'sk_test_faults', apiBase: emulator.url });
    startWorker();
  }, 60_000);

  afterAll(async () => {
    killWorker();
    await stopApp?.();
    await services?.close();
    await emulator?.close();
    await database?.close();
    await broker?.close();
    if (amqpUrl) await removeBrokerQueue(amqpUrl, queueName);
  });

  async function lifecycle(n: number): Promise<void> {
    const customer = await stripe.customers.create({ email: `fault${n}@example.com`, name: `Fault ${n}` });
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: priceId }],
    });
    await stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]!.id, quantity: 2 }],
      proration_behavior: 'always_invoice',
    });
    await stripe.customers.update(customer.id, { name: `Fault ${n} (renamed)` });
  }

  let priceId = '';

  /** Runs its whole schedule, whether the events are still being made or the worker is catching up. */
  async function chaos(): Promise<void> {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    for (let kill = 0; kill < 6; kill++) {
      await sleep(800 + Math.random() * 2500);
      killWorker();
      log.push('worker SIGKILL');
      await sleep(150);
      startWorker();
      if (kill === 2) {
        await broker.refuse();
        log.push('rabbitmq unreachable');
        await sleep(2000);
        await broker.accept();
        log.push('rabbitmq reachable');
      }
      if (kill === 4) {
        const admin = new pg.Client({ connectionString: databaseUrl });
        await admin.connect();
        const name = new URL(database.url!).pathname.slice(1);
        const { rowCount } = await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
          [name],
        );
        await admin.end();
        log.push(`database connections cut: ${rowCount}`);
      }
    }
  }

  it('applies every event exactly once in effect, and the mirror equals Stripe', async () => {
    const product = await stripe.products.create({ name: 'Fault plan' });
    priceId = (
      await stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 1500,
        recurring: { interval: 'month' },
      })
    ).id;

    const chaosDone = chaos();
    let next = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < CUSTOMERS) await lifecycle(next++);
      }),
    );
    await chaosDone;
    if (!worker) startWorker();
    expect(log).toContain('rabbitmq reachable');
    expect(log.some((l) => l.startsWith('database connections cut'))).toBe(true);
    expect(log.filter((l) => l === 'worker SIGKILL').length).toBeGreaterThanOrEqual(5);

    await emulator.webhooksIdle();
    const stripeEvents: string[] = [];
    for await (const event of stripe.events.list({ limit: 100 })) stripeEvents.push(event.id);
    expect(stripeEvents.length).toBeGreaterThanOrEqual(5000);

    await eventually(
      async () => {
        const [state] = await queryRows<{
          stored: number;
          distinct_ids: number;
          waiting: number;
          dead: number;
        }>(
          services.database.db,
          sql`select count(*)::int as stored, count(distinct external_id)::int as distinct_ids,
                     count(*) filter (where status in ('received', 'processing', 'failed'))::int as waiting,
                     count(*) filter (where status = 'dead')::int as dead
              from events`,
        );
        expect(state).toEqual({
          stored: stripeEvents.length,
          distinct_ids: stripeEvents.length,
          waiting: 0,
          dead: 0,
        });
      },
      240_000,
      500,
    );
    await expectMirrorEqualsStripe(services.database.db, services.cipher, stripe);
  }, 600_000);
});
