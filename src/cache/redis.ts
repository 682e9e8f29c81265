import { Redis } from 'ioredis';
import type { Cache } from './port.js';

/** Shared by every Recur instance, so an invalidation on one is seen by all. */
export class RedisCache implements Cache {
  /** Also used by the Redis rate limiter, so one connection serves both. */
  readonly redis: Redis;

  constructor(
    url: string,
    /** Every key starts with it: one per deployment sharing a Redis. */
    private readonly namespace: string,
  ) {
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(this.namespace + key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0) return;
    await this.redis.set(this.namespace + key, JSON.stringify(value), 'EX', ttlSeconds);
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length) await this.redis.del(...keys.map((k) => this.namespace + k));
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
