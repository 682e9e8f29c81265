import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { Metrics } from '../observability/metrics.js';
import type { SettingsService } from '../settings/service.js';
import type { PiiCipher } from '../shared/crypto.js';
import type { Stripe } from '../stripe/index.js';
import { StripeLists } from '../stripe/lists.js';
import type { CatalogSync } from './catalog.js';
import { createSyncLock } from './lock.js';
import { createSyncMetrics } from './metrics.js';
import { MirrorWriter } from './mirror-writer.js';
import { Pacer, stripeCaller } from './pacing.js';
import { Reconciler } from './reconcile.js';
import { SyncScheduler } from './scheduler.js';
import { SyncService } from './service.js';

/** The backfill, its scheduler and the reconcile check, wired to one pacer so they share one rate. */
export function createSync(deps: {
  config: Config;
  database: Database;
  stripe: Stripe;
  cipher: PiiCipher;
  catalogSync: CatalogSync;
  settings: SettingsService;
  metrics: Metrics;
  logger: Logger;
  invalidatePlanCache: () => Promise<void>;
}): { syncs: SyncService; syncScheduler: SyncScheduler } {
  const { config, database, cipher } = deps;
  const logger = deps.logger.child({ component: 'sync' });
  const call = stripeCaller(new Pacer(config.stripe.syncRequestsPerSecond), {
    maxRetries: config.stripe.syncMaxRetries,
    firstDelayMs: config.stripe.syncRetryDelaySeconds * 1000,
  });
  const lists = new StripeLists(deps.stripe);
  const syncs = new SyncService({
    db: database.db,
    lists,
    call,
    writer: new MirrorWriter({ cipher, catalogSync: deps.catalogSync }),
    metrics: createSyncMetrics(deps.metrics),
    logger,
    lock: createSyncLock(database),
    reconciler: new Reconciler({ db: database.db, lists, call, cipher }),
    invalidatePlanCache: deps.invalidatePlanCache,
  });
  const syncScheduler = new SyncScheduler({
    syncs,
    settings: deps.settings,
    intervalSeconds: config.stripe.syncIntervalSeconds,
    logger,
  });
  return { syncs, syncScheduler };
}
