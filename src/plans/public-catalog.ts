import type { Cache } from '../cache/port.js';
import type { Db } from '../db/client.js';
import type { Metrics } from '../observability/metrics.js';
import { planRepository as repo } from './repository.js';
import type { PlanView } from './schemas.js';
import { toPlanView } from './views.js';

const CACHE_KEY = 'plans:catalog:v1';

/**
 * The active plans as the public catalog shows them: from the cache while the operator's switch
 * has it on, else from the database. Every catalog write invalidates it.
 */
export class PublicCatalog {
  constructor(
    private readonly deps: {
      db: Db;
      cache: Cache;
      cacheTtlSeconds: number;
      /** The operator's cache switch (settings); off, the public catalog is read from the database. */
      cacheEnabled?: () => Promise<boolean>;
      metrics: Metrics;
    },
  ) {}

  async read(): Promise<PlanView[]> {
    const { cache, metrics, db } = this.deps;
    if (this.deps.cacheEnabled && !(await this.deps.cacheEnabled())) {
      return (await repo.list(db, 'active')).map(toPlanView);
    }
    const cached = await cache.get<PlanView[]>(CACHE_KEY);
    metrics.cacheLookups.inc({ cache: 'plans', result: cached ? 'hit' : 'miss' });
    if (cached) return cached;
    const plans = (await repo.list(db, 'active')).map(toPlanView);
    await cache.set(CACHE_KEY, plans, this.deps.cacheTtlSeconds);
    return plans;
  }

  async invalidate(): Promise<void> {
    await this.deps.cache.delete(CACHE_KEY);
  }
}
