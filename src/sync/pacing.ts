import { setTimeout as sleep } from 'node:timers/promises';
import { isRetryableStripeError } from '../stripe/lists.js';

/**
 * Spaces request starts at least 1/rate apart, so a sync stays under Stripe's rate limit instead of
 * leaning on 429s. Slots are reserved synchronously, so callers sharing one pacer (a run and a
 * reconcile check) share its rate.
 */
/** The time a pacer reads and how it waits: the real clock, or a test's. */
export interface PacerClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const realClock: PacerClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : {}),
};

export class Pacer {
  private nextSlotAt = 0;
  private readonly spacingMs: number;

  constructor(
    requestsPerSecond: number,
    private readonly clock: PacerClock = realClock,
  ) {
    this.spacingMs = 1000 / requestsPerSecond;
  }

  async wait(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlotAt);
    this.nextSlotAt = slot + this.spacingMs;
    if (slot > now) await this.clock.sleep(slot - now, signal);
  }
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Delay before the first retry; each further one doubles it. */
  firstDelayMs: number;
}

export interface StripeCallOptions {
  signal?: AbortSignal | undefined;
  onRetry?: ((error: unknown, retry: number, delayMs: number) => void) | undefined;
}

/** The delay before retry `retry` (1-based): exponential from the first delay. */
export function retryDelay(policy: RetryPolicy, retry: number): number {
  return policy.firstDelayMs * 2 ** (retry - 1);
}

/**
 * Every Stripe request of a sync goes through here: paced, and retried with exponential backoff when
 * Stripe is unavailable, failing or rate limiting. Refusals (4xx) are final: asking again would get
 * the same answer.
 */
export function stripeCaller(pacer: Pacer, policy: RetryPolicy) {
  return async function call<T>(operation: () => Promise<T>, options: StripeCallOptions = {}): Promise<T> {
    const { signal } = options;
    for (let retry = 0; ; retry++) {
      signal?.throwIfAborted();
      await pacer.wait(signal);
      try {
        return await operation();
      } catch (error) {
        if (retry >= policy.maxRetries || !isRetryableStripeError(error)) throw error;
        const delayMs = retryDelay(policy, retry + 1);
        options.onRetry?.(error, retry + 1, delayMs);
        await sleep(delayMs, undefined, signal ? { signal } : {});
      }
    }
  };
}

export type StripeCaller = ReturnType<typeof stripeCaller>;
