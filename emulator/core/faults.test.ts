import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, sdkFor, startHarness } from '../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => h.emulator.reset());
afterAll(() => h.emulator.close());

describe('fault switches', () => {
  it('adds latency to every API response', async () => {
    h.emulator.faults.set({ latencyMs: 120 });
    const started = performance.now();
    await h.stripe.products.list();
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('answers 429 rate_limit beyond the request rate, raised as StripeRateLimitError', async () => {
    // A bucket of 2 refilled at 2 a second: however slowly a loaded machine sends the 12 requests,
    // at most 2 pass plus 2 for each second they took.
    h.emulator.faults.set({ rateLimitPerSecond: 2 });
    const started = performance.now();
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => h.stripe.customers.list()));
    const seconds = (performance.now() - started) / 1000;
    const limited = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason);
    expect(results.length - limited.length).toBeLessThanOrEqual(2 + Math.floor(2 * seconds));
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(limited[0]).toMatchObject({ statusCode: 429, code: 'rate_limit', type: 'StripeRateLimitError' });
    h.emulator.faults.set({ rateLimitPerSecond: null });
    await expect(h.stripe.customers.list()).resolves.toMatchObject({ object: 'list' });
  });

  it('answers a share of requests with 500 api_error', async () => {
    h.emulator.faults.set({ errorRate: 1 });
    const error = await h.stripe.products.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error).toMatchObject({ statusCode: 500 });
    h.emulator.faults.set({ errorRate: 0.5, seed: 42 });
    const outcomes = await Promise.allSettled(Array.from({ length: 40 }, () => h.stripe.products.list()));
    const failures = outcomes.filter((o) => o.status === 'rejected').length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
  });

  it('draws the same failures from the same seed', async () => {
    const run = async () => {
      h.emulator.faults.set({ errorRate: 0.5, seed: 7 });
      const pattern: boolean[] = [];
      for (let i = 0; i < 16; i++)
        pattern.push(
          await h.stripe.products.list().then(
            () => true,
            () => false,
          ),
        );
      return pattern;
    };
    expect(await run()).toEqual(await run());
  });

  it('fails the next N matching requests once, with the given status and error, then recovers', async () => {
    h.emulator.faults.failNext({
      method: 'POST',
      path: '/v1/customers',
      count: 2,
      status: 402,
      error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
      },
    });
    await expect(h.stripe.products.create({ name: 'unaffected' })).resolves.toMatchObject({
      object: 'product',
    });
    for (let i = 0; i < 2; i++) {
      const error = await h.stripe.customers.create({ name: 'x' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(error).toMatchObject({ code: 'card_declined', decline_code: 'insufficient_funds' });
    }
    await expect(h.stripe.customers.create({ name: 'x' })).resolves.toMatchObject({ object: 'customer' });
    expect((await h.stripe.customers.list()).data).toHaveLength(1);
  });

  it('lets `after` matching requests through before failing the next', async () => {
    h.emulator.faults.failNext({
      method: 'GET',
      path: '/v1/customers',
      after: 2,
      status: 400,
      error: { type: 'invalid_request_error', message: 'Third listing refused' },
    });
    await h.stripe.customers.list();
    await h.stripe.products.list(); // not a match: does not count
    await h.stripe.customers.list();
    await expect(h.stripe.customers.list()).rejects.toMatchObject({ message: 'Third listing refused' });
    await expect(h.stripe.customers.list()).resolves.toMatchObject({ object: 'list' });
  });

  it('lets a retry with the same idempotency key through after an injected failure', async () => {
    const retrying = sdkFor(h.emulator, { maxNetworkRetries: 1 });
    h.emulator.faults.failNext({
      method: 'POST',
      path: '/v1/products',
      status: 500,
      error: { type: 'api_error' },
    });
    const product = await retrying.products.create({ name: 'after-retry' });
    expect(product.name).toBe('after-retry');
    expect((await h.stripe.products.list()).data).toHaveLength(1);
  });

  it('is switchable over HTTP', async () => {
    const set = await fetch(`${h.emulator.url}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({
        failNext: [
          {
            method: 'GET',
            path: '/v1/prices',
            status: 429,
            error: { type: 'invalid_request_error', code: 'rate_limit' },
          },
        ],
      }),
    });
    expect(set.status).toBe(200);
    await expect(h.stripe.prices.list()).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    await expect(h.stripe.prices.list()).resolves.toMatchObject({ object: 'list' });
    const current = (await (await fetch(`${h.emulator.url}/_emulator/faults`)).json()) as {
      failNext: unknown[];
    };
    expect(current.failNext).toEqual([]);
    const invalid = await fetch(`${h.emulator.url}/_emulator/faults`, {
      method: 'POST',
      body: '{"errorRate": 3}',
    });
    expect(invalid.status).toBe(400);
  });
});
