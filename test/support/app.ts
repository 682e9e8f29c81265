import { SignJWT } from 'jose';
import { pino } from 'pino';
import { startEmulator } from '../../emulator/index.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { createServices, type Services } from '../../src/services.js';
import { openTestDatabase, truncateAll } from './db.js';

export const JWT_SECRET = 'test-secret-of-the-host-app-0123456789abcdef';
export const ENCRYPTION_KEY = 'b3'.repeat(32);

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export interface TestApp {
  app: Awaited<ReturnType<typeof buildApp>>['app'];
  routes: Awaited<ReturnType<typeof buildApp>>['routes'];
  services: Services;
  database: Database;
  emulator: Emulator;
  adminKey: string;
  serviceKey: string;
  userToken(userId: string): Promise<string>;
  /** Fresh state for the next test: tables emptied, emulator reset, keys made again. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real app, its real services, a database of its own and a real Stripe emulator reached over
 * HTTP by the official SDK. Requests to the app go through `app.inject`.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  const emulator = await startEmulator({ port: 0 });
  const config = loadConfig({ RECUR_JWT_SECRET: JWT_SECRET, RECUR_ENCRYPTION_KEY: ENCRYPTION_KEY, LOG_LEVEL: 'silent', ...env });
  const logger = pino({ level: 'silent' });
  const services = await createServices(
    config,
    logger,
    { secretKey: 'sk_test_recur_tests', apiBase: emulator.url },
    { database },
  );
  const built = await buildApp(services);
  const state: TestApp = {
    ...built,
    services,
    database,
    emulator,
    adminKey: '',
    serviceKey: '',
    userToken: (userId) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(JWT_SECRET)),
    async reset() {
      await truncateAll(database);
      await emulator.reset();
      await services.plans.invalidateCache();
      state.adminKey = (await services.apiKeys.create('test admin', 'admin')).key;
      state.serviceKey = (await services.apiKeys.create('test service', 'service')).key;
    },
    async close() {
      await built.app.close();
      await services.close();
      await emulator.close();
      await database.close();
    },
  };
  await state.reset();
  return state;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
