import type { Config } from '../config.js';
import { MemoryCache } from './memory.js';
import type { Cache } from './port.js';
import { MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from './rate-limiter.js';

/**
 * The cache and the rate limiter: Redis when configured (shared by every instance), else memory.
 * A cache passed in (a test's) is used as it is; Redis's client library loads only when needed.
 */
export async function openCache(
  config: Pick<Config, 'redisUrl' | 'redisPrefix'>,
  given?: Cache,
): Promise<{ cache: Cache; rateLimiter: RateLimiter }> {
  const redis =
    !given && config.redisUrl
      ? new (await import('./redis.js')).RedisCache(config.redisUrl, `${config.redisPrefix}:`)
      : null;
  return {
    cache: given ?? redis ?? new MemoryCache(),
    rateLimiter: redis
      ? new RedisRateLimiter(redis.redis, `${config.redisPrefix}:rl:`)
      : new MemoryRateLimiter(),
  };
}
