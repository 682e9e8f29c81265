import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { createServices, type Services } from '../../src/services.js';
import { createBenchDatabase } from './database.js';

/** Where Stripe would be: nothing listens, for benchmarks that must never ask it. */
const NO_STRIPE = 'http://127.0.0.1:9';

/**
 * Recur's services on a migrated PostgreSQL database of their own, with Stripe out of reach: for
 * what is answered from the mirror alone (entitlements, reports). `close` drops the database. With
 * `logs: 'default'` they log at Recur's default level, as a user runs them.
 */
export async function offlineServices(
  databaseUrl: string,
  options: { logs?: 'silent' | 'default' } = {},
): Promise<{
  services: Services;
  databaseUrl: string;
  settings: Record<string, string>;
  close(): Promise<void>;
}> {
  const database = await createBenchDatabase(databaseUrl);
  // What a Recur process of its own needs to serve the same database as these services.
  const settings = {
    DATABASE_URL: database.url,
    RECUR_ENCRYPTION_KEY: 'e7'.repeat(32),
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_API_BASE: NO_STRIPE,
  };
  const config = loadConfig({
    ...settings,
    // `default`: the level Recur runs at when none is set, every line written (to /dev/null).
    ...(options.logs === 'default' ? {} : { LOG_LEVEL: 'silent' }),
  });
  const logger =
    options.logs === 'default'
      ? createLogger({
          level: config.logLevel,
          destination: pino.destination({ dest: '/dev/null', sync: false }),
        })
      : pino({ level: 'silent' });
  const services = await createServices(config, logger, {
    secretKey: 'sk_test_bench',
    apiBase: NO_STRIPE,
  });
  await services.database.migrate();
  return {
    services,
    databaseUrl: database.url,
    settings,
    async close() {
      await services.close();
      await database.drop();
    },
  };
}
