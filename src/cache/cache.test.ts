import { afterAll, describe, expect, it } from 'vitest';
import { loadTestTargets } from '../config.js';
import { MemoryCache } from './memory.js';
import type { Cache } from './port.js';
import { RedisCache } from './redis.js';

const { redisUrl } = loadTestTargets();

const adapters: Array<[string, () => Cache]> = [['memory', () => new MemoryCache()]];
if (redisUrl)
  adapters.push(['redis', () => new RedisCache(redisUrl, `recur-test-${process.pid}-${Date.now()}:`)]);

describe.each(adapters)('%s cache', (_name, make) => {
  const cache = make();
  afterAll(() => cache.close());

  it('stores, returns copies, and deletes JSON values', async () => {
    const value = { plans: [{ id: 'plan_1', amount: 1000 }] };
    await cache.set('k', value, 60);
    const got = await cache.get<typeof value>('k');
    expect(got).toEqual(value);
    got!.plans[0]!.amount = 1;
    expect((await cache.get<typeof value>('k'))!.plans[0]!.amount).toBe(1000);
    await cache.delete('k');
    expect(await cache.get('k')).toBeUndefined();
  });

  it('does not store with a zero TTL', async () => {
    await cache.set('zero', 1, 0);
    expect(await cache.get('zero')).toBeUndefined();
  });

  it('answers a ping', async () => {
    await expect(cache.ping()).resolves.toBeUndefined();
  });
});

describe('memory cache expiry', () => {
  it('forgets values after their TTL', async () => {
    let now = 1_000_000;
    const cache = new MemoryCache(() => now);
    await cache.set('k', 'v', 10);
    now += 9_999;
    expect(await cache.get('k')).toBe('v');
    now += 1;
    expect(await cache.get('k')).toBeUndefined();
  });
});
