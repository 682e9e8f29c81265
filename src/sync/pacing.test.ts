import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { UpstreamError } from '../http/errors.js';
import { Pacer, retryDelay, stripeCaller } from './pacing.js';

const unavailable = () => new UpstreamError(503, 'stripe_unavailable', 'Stripe is unavailable: rate limited');
const rejected = () =>
  new UpstreamError(502, 'stripe_rejected', 'Stripe rejected the request: bad parameter');

describe('Pacer', () => {
  it('spaces request starts 1/rate apart, shared by every caller', async () => {
    // A clock of the test's own that wakes sleepers one at a time in time order, so the spacing
    // is exact however busy the machine is.
    let time = 1_000;
    const sleepers: Array<{ at: number; wake: () => void }> = [];
    const pacer = new Pacer(50, {
      now: () => time,
      sleep: (ms) => new Promise<void>((wake) => sleepers.push({ at: time + ms, wake })),
    });
    const starts: number[] = [];
    const began = time;
    const callers = Promise.all(
      Array.from({ length: 6 }, async () => {
        await pacer.wait();
        starts.push(time - began);
      }),
    );
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    await turn();
    while (sleepers.length) {
      sleepers.sort((a, b) => a.at - b.at);
      const next = sleepers.shift()!;
      time = next.at;
      next.wake();
      await turn();
    }
    await callers;
    starts.sort((a, b) => a - b);
    // Six requests at 50/s: the first at once, the last 5 × 20 ms later.
    expect(starts[0]).toBeLessThan(15);
    expect(starts[5]).toBeGreaterThanOrEqual(95);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(15);
  });

  it('stops waiting when the run is aborted', async () => {
    const pacer = new Pacer(1);
    await pacer.wait();
    const controller = new AbortController();
    const waiting = pacer.wait(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow();
  });
});

describe('stripeCaller', () => {
  const policy = { maxRetries: 3, firstDelayMs: 10 };

  it('doubles the delay from the first one', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay({ maxRetries: 4, firstDelayMs: 300_000 }, n))).toEqual([
      300_000, 600_000, 1_200_000, 2_400_000,
    ]);
  });

  it('retries while Stripe is unavailable, backing off, then returns the answer', async () => {
    const call = stripeCaller(new Pacer(1000), policy);
    const delays: number[] = [];
    let attempts = 0;
    const result = await call(
      async () => {
        attempts++;
        if (attempts < 3) throw unavailable();
        return 'page';
      },
      { onRetry: (_error, _retry, delayMs) => delays.push(delayMs) },
    );
    expect(result).toBe('page');
    expect(attempts).toBe(3);
    expect(delays).toEqual([10, 20]);
  });

  it('gives up after the configured retries with the last error', async () => {
    const call = stripeCaller(new Pacer(1000), { maxRetries: 2, firstDelayMs: 1 });
    let attempts = 0;
    await expect(
      call(async () => {
        attempts++;
        throw unavailable();
      }),
    ).rejects.toMatchObject({ code: 'stripe_unavailable' });
    expect(attempts).toBe(3);
  });

  it('does not retry a refusal: asking again gets the same answer', async () => {
    const call = stripeCaller(new Pacer(1000), policy);
    let attempts = 0;
    await expect(
      call(async () => {
        attempts++;
        throw rejected();
      }),
    ).rejects.toMatchObject({ code: 'stripe_rejected' });
    expect(attempts).toBe(1);
  });
});

describe('the sync pace', () => {
  it('stays under Stripe’s limit for the key’s mode unless set', () => {
    const key = 'sk_live_abc123';
    expect(loadConfig({}).stripe.syncRequestsPerSecond).toBe(20);
    expect(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abc123' }).stripe.syncRequestsPerSecond).toBe(20);
    const live = { STRIPE_SECRET_KEY: key, STRIPE_WEBHOOK_SECRET: 'whsec_abc' };
    expect(loadConfig(live).stripe.syncRequestsPerSecond).toBe(80);
    expect(loadConfig({ ...live, STRIPE_SYNC_RATE: '50' }).stripe.syncRequestsPerSecond).toBe(50);
    expect(() => loadConfig({ STRIPE_SYNC_RATE: '150' })).toThrow(/STRIPE_SYNC_RATE/);
    expect(loadConfig({ STRIPE_SYNC_RETRY_DELAY: '0.25' }).stripe.syncRetryDelaySeconds).toBe(0.25);
  });
});
