import type { RateLimiter } from '../cache/rate-limiter.js';
import { RateLimitedError } from './errors.js';

export interface WebhookLimits {
  /** Correctly signed deliveries a minute from one address: generous, a provider sends bursts. */
  signedPerMinute: number;
  /** Refused signatures a minute from one address: few, nobody honest sends many. */
  refusedPerMinute: number;
}

/**
 * Rate limits of a signed webhook, counted after the signature check and in two buckets: what
 * anyone can send (refused signatures) never spends the budget of the real sender, so unsigned
 * junk from an address cannot turn the provider's next delivery from it into a 429.
 */
export class WebhookLimiter {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly name: string,
    private readonly limits: WebhookLimits,
  ) {}

  /** Counts a correctly signed delivery; throws RateLimitedError past the limit. */
  async signed(address: string): Promise<void> {
    await this.count(`${this.name}:signed:${address}`, this.limits.signedPerMinute, 'webhook deliveries');
  }

  /** Counts a refused one; throws RateLimitedError past the limit, else `refusal` itself. */
  async refused(address: string, refusal: Error): Promise<never> {
    await this.count(
      `${this.name}:refused:${address}`,
      this.limits.refusedPerMinute,
      'webhook requests with a bad signature',
    );
    throw refusal;
  }

  private async count(key: string, limit: number, what: string): Promise<void> {
    // A limiter that cannot answer (Redis away) lets the request through: losing events is worse.
    const decision = await this.limiter.hit(key, limit, 60).catch(() => ({ allowed: true, resetSeconds: 0 }));
    if (!decision.allowed)
      throw new RateLimitedError(
        `More than ${limit} ${what} a minute from this client`,
        Math.max(1, decision.resetSeconds),
      );
  }
}
