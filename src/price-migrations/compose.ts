import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import type { PiiCipher } from '../shared/crypto.js';
import type { StripeSubscriptions } from '../stripe/subscriptions.js';
import { PriceMigrationRunner } from './runner.js';
import { PriceMigrationService } from './service.js';

export interface PriceMigrations {
  service: PriceMigrationService;
  runner: PriceMigrationRunner;
}

/** A pass every 30 s picks up a migration whose runner died (its lease ran out); new ones start at once. */
const PASS_INTERVAL_SECONDS = 30;

export function createPriceMigrations(deps: {
  db: Db;
  cipher: PiiCipher;
  stripe: StripeSubscriptions;
  logger: Logger;
}): PriceMigrations {
  const runner = new PriceMigrationRunner({ ...deps, intervalSeconds: PASS_INTERVAL_SECONDS });
  const service = new PriceMigrationService({ ...deps, nudge: () => runner.nudge() });
  return { service, runner };
}
