import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadTestTargets } from '../src/config.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createPlan } from './support/billing.js';

const KEY = 'b3'.repeat(32);
const prefixOf = (env: Record<string, string>) => loadConfig(env).redisPrefix;

describe('RECUR_REDIS_PREFIX', () => {
  it('defaults to a namespace of the database: the same for every instance, another for another database', () => {
    const pg = (url: string) => prefixOf({ DATABASE_URL: url, RECUR_ENCRYPTION_KEY: KEY });
    const billing = pg('postgres://app:one@db.internal:5432/billing');
    expect(billing).toMatch(/^recur:[0-9a-f]{12}$/);
    // Credentials differ between instances and rotate; the data they reach does not.
    expect(pg('postgresql://other:two@db.internal/billing')).toBe(billing);
    expect(pg('postgres://app:one@db.internal:5432/billing_staging')).not.toBe(billing);
    expect(pg('postgres://app:one@db2.internal:5432/billing')).not.toBe(billing);

    expect(prefixOf({ RECUR_DATA_DIR: '/srv/recur' })).toBe(prefixOf({ RECUR_DATA_DIR: '/srv/recur/' }));
    expect(prefixOf({ RECUR_DATA_DIR: '/srv/recur' })).not.toBe(prefixOf({ RECUR_DATA_DIR: '/srv/other' }));
    expect(prefixOf({ RECUR_DATA_DIR: '/srv/recur' })).not.toBe(billing);
  });

  it('takes a name of its own, and refuses one that is not a key part', () => {
    expect(prefixOf({ RECUR_REDIS_PREFIX: 'acme:prod' })).toBe('acme:prod');
    expect(() => loadConfig({ RECUR_REDIS_PREFIX: 'has space' })).toThrow(ConfigError);
    expect(() => loadConfig({ RECUR_REDIS_PREFIX: 'has space' })).toThrow(/RECUR_REDIS_PREFIX/);
  });
});

const { redisUrl } = loadTestTargets();

// With no Redis configured the suite is reported as skipped, under a name that says why.
describe.skipIf(!redisUrl)(
  redisUrl ? 'deployments sharing a Redis' : 'deployments sharing a Redis (set TEST_REDIS_URL)',
  () => {
    const run = randomBytes(4).toString('hex');
    const ours = `recur-test-${run}-a`;
    const theirs = `recur-test-${run}-b`;
    const limit = '2';
    let a: TestApp;
    let b: TestApp;
    /** A second instance of deployment A: its own process and database, A's namespace. */
    let a2: TestApp;
    beforeAll(async () => {
      const env = (prefix: string) => ({
        REDIS_URL: redisUrl!,
        RECUR_REDIS_PREFIX: prefix,
        RECUR_WEBHOOK_REFUSED_RATE_LIMIT: limit,
      });
      a = await startTestApp(env(ours));
      b = await startTestApp(env(theirs));
      a2 = await startTestApp(env(ours));
    }, 60_000);
    afterAll(async () => {
      await Promise.all([a, b, a2].map((t) => t?.close()));
      const redis = new Redis(redisUrl!);
      for (const prefix of [ours, theirs]) {
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length) await redis.del(...keys);
      }
      redis.disconnect();
    });

    const catalog = async (t: TestApp) =>
      (await t.app.inject({ method: 'GET', url: '/api/plans' }))
        .json<{ data: Array<{ key: string }> }>()
        .data.map((p) => p.key);

    it("keeps each deployment's plan catalog cache its own", async () => {
      await createPlan(a, { key: 'only_in_a' });
      expect(await catalog(a)).toEqual(['only_in_a']);
      // B's database is empty and so is its catalog, though A's is cached in the same Redis.
      expect(await catalog(b)).toEqual([]);
      // The cache is shared within a deployment: A's other instance is served A's cached catalog.
      expect(await catalog(a2)).toEqual(['only_in_a']);
    });

    it("keeps each deployment's rate limits its own", async () => {
      // The limits count per fixed minute: start well inside one, so all the hits below share it.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 100));
      const unsigned = (t: TestApp) =>
        t.app
          .inject({
            method: 'POST',
            url: '/stripe/webhook',
            payload: '{}',
            headers: { 'content-type': 'application/json' },
            remoteAddress: '203.0.113.77',
          })
          .then((res) => res.statusCode);
      const fromA = [await unsigned(a), await unsigned(a), await unsigned(a)];
      expect(fromA).toEqual([400, 400, 429]);
      expect(await unsigned(b)).toBe(400);
      expect(await unsigned(a2)).toBe(429);
    });
  },
);
