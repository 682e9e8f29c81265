import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { type Logger, pino } from 'pino';
import { startEmulator } from '../../emulator/index.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { createServices, type Services } from '../../src/services.js';
import { registerWebhookEndpoint } from '../../src/stripe/webhook-endpoints.js';
import { openTestDatabase, truncateAll } from './db.js';
import { EmittedEvents } from './wait.js';

export const JWT_SECRET = 'test-secret-of-the-host-app-0123456789abcdef';
export const ENCRYPTION_KEY = 'b3'.repeat(32);

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export interface TestApp {
  app: Awaited<ReturnType<typeof buildApp>>['app'];
  routes: Awaited<ReturnType<typeof buildApp>>['routes'];
  services: Services;
  database: Database;
  emulator: Emulator;
  /** What the emulator emitted since the last reset, for `settled` to compare with the inbox. */
  emitted: EmittedEvents;
  adminKey: string;
  serviceKey: string;
  /** A user's JWT as the host app would sign it; `claims` adds `email`, `name` or anything else. */
  userToken(userId: string, claims?: Record<string, unknown>): Promise<string>;
  /** Fresh state for the next test: tables emptied, emulator reset, keys made again. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real app, its real services, a database of its own and a real Stripe emulator reached over
 * HTTP by the official SDK. Requests to the app go through `app.inject`.
 */
export interface TestAppOptions {
  /** Listen on a port and register it with the emulator as a webhook endpoint (events arrive). */
  webhooks?: boolean;
  /** Run the event worker, as `recur serve` does in embedded mode. */
  worker?: boolean;
  /** The app's logger; by default a silent one. */
  logger?: Logger;
}

export async function startTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const database = await openTestDatabase();
  const emulator = await startEmulator({ port: 0 });
  const config = loadConfig({
    RECUR_JWT_SECRET: JWT_SECRET,
    RECUR_ENCRYPTION_KEY: ENCRYPTION_KEY,
    LOG_LEVEL: 'silent',
    // A test clock's advance sends bursts of events from one address; the production per-client
    // limit would hold them back. Tests of the limit itself set their own.
    ...(options.webhooks ? { STRIPE_WEBHOOK_RATE_LIMIT: '100000' } : {}),
    ...env,
  });
  const logger = options.logger ?? pino({ level: 'silent' });
  const services = await createServices(
    config,
    logger,
    { secretKey: 'sk_test_recur_tests', apiBase: emulator.url },
    { database },
  );
  const built = await buildApp(services);
  let webhookUrl: string | null = null;
  if (options.webhooks) {
    await built.app.listen({ port: 0, host: '127.0.0.1' });
    webhookUrl = `http://127.0.0.1:${(built.app.server.address() as AddressInfo).port}/stripe/webhook`;
  }
  const registerWebhooks = async () => {
    if (webhookUrl)
      services.webhookSecrets.splice(0, Infinity, await registerWebhookEndpoint(services.stripe, webhookUrl));
  };
  const startWorkers = async () => {
    if (!options.worker) return;
    await services.worker.start();
    services.notifications.start();
  };
  await startWorkers();
  const state: TestApp = {
    ...built,
    services,
    database,
    emulator,
    emitted: new EmittedEvents(emulator),
    adminKey: '',
    serviceKey: '',
    userToken: (userId, claims = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(JWT_SECRET)),
    async reset() {
      // Nothing of the last test may still be arriving or being applied while the tables empty:
      // a late delivery would land on the next test's rows (the emulator's ids repeat after a
      // reset), and an event being applied holds locks the truncation would deadlock with.
      // The worker's last batch may have written to Stripe before it stopped: its deliveries too.
      if (webhookUrl) await emulator.webhooksIdle();
      await services.worker.stop();
      await services.notifications.stop();
      // A renewal applied by the last test asks the meter reporter for a run a moment later.
      await services.metering.reporter.idle();
      if (webhookUrl) await emulator.webhooksIdle();
      await truncateAll(database);
      // The settings' in-process copy would outlive the rows it copied (a switch left on by the last test).
      services.settings.forget();
      services.apiKeys.forget();
      await emulator.reset();
      state.emitted.forget();
      await registerWebhooks();
      await services.plans.invalidateCache();
      state.adminKey = (await services.apiKeys.create('test admin', 'admin')).key;
      state.serviceKey = (await services.apiKeys.create('test service', 'service')).key;
      await startWorkers();
    },
    async close() {
      await services.worker.stop();
      await built.app.close();
      await services.close();
      await emulator.close();
      // A test may have closed the database on purpose (an outage); closing again is no news.
      await database.close().catch(() => {});
    },
  };
  await state.reset();
  return state;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
