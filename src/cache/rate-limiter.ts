import type { Redis } from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  resetSeconds: number;
}

/** Fixed-window counters: `limit` hits per `windowSeconds` per key. */
export interface RateLimiter {
  hit(key: string, limit: number, windowSeconds: number): Promise<RateDecision>;
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetsAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateDecision> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.resetsAt <= now) {
      window = { count: 0, resetsAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
      if (this.windows.size > 10_000) this.sweep(now);
    }
    window.count++;
    return { allowed: window.count <= limit, resetSeconds: Math.ceil((window.resetsAt - now) / 1000) };
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetsAt <= now) this.windows.delete(key);
  }
}

/** Shared by all instances: one INCR and, for a new window, one EXPIRE, in a single round trip. */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    /** Every key starts with it: one per deployment sharing a Redis. */
    private readonly namespace: string,
  ) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateDecision> {
    const window = Math.floor(Date.now() / 1000 / windowSeconds);
    const redisKey = `${this.namespace}${key}:${window}`;
    const [[, count]] = (await this.redis
      .multi()
      .incr(redisKey)
      .expire(redisKey, windowSeconds + 1)
      .exec()) as [[unknown, number]];
    const resetSeconds = (window + 1) * windowSeconds - Math.floor(Date.now() / 1000);
    return { allowed: count <= limit, resetSeconds: Math.max(1, resetSeconds) };
  }
}
