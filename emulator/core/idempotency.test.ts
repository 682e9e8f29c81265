import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, rawRequest, startHarness, stripeError } from '../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emulator.close());

describe('idempotency keys', () => {
  it('replays the stored response for the same key and parameters', async () => {
    const first = await h.stripe.customers.create(
      { email: 'a@example.com' },
      { idempotencyKey: 'key-replay' },
    );
    const second = await h.stripe.customers.create(
      { email: 'a@example.com' },
      { idempotencyKey: 'key-replay' },
    );
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(second.lastResponse.headers['original-request']).toBe(first.lastResponse.requestId);
    const all = await h.stripe.customers.list({ email: 'a@example.com' });
    expect(all.data).toHaveLength(1);
  });

  it('treats parameter order as irrelevant', async () => {
    const a = await rawRequest(h.emulator, 'POST', '/v1/customers', {
      body: 'name=N&email=o@example.com',
      headers: { 'Idempotency-Key': 'key-order' },
    });
    const b = await rawRequest(h.emulator, 'POST', '/v1/customers', {
      body: 'email=o@example.com&name=N',
      headers: { 'Idempotency-Key': 'key-order' },
    });
    expect(b.json.id).toBe(a.json.id);
  });

  it('refuses the same key with other parameters: idempotency_error', async () => {
    await h.stripe.customers.create({ email: 'b@example.com' }, { idempotencyKey: 'key-mismatch' });
    const error = await h.stripe.customers
      .create({ email: 'c@example.com' }, { idempotencyKey: 'key-mismatch' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error).toMatchObject({ type: 'StripeIdempotencyError', statusCode: 400 });
    expect((error as Error).message).toMatch(/same parameters/);
  });

  it('refuses the same key on another endpoint', async () => {
    await h.stripe.customers.create({}, { idempotencyKey: 'key-endpoint' });
    const error = await h.stripe.products
      .create({ name: 'x' }, { idempotencyKey: 'key-endpoint' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect((error as Error).message).toMatch(/same endpoint/);
  });

  it('replays errors the request produced, but not parameter errors', async () => {
    const missing = () =>
      h.stripe.prices.create(
        { currency: 'usd', unit_amount: 1, product: 'prod_nope' },
        { idempotencyKey: 'key-missing' },
      );
    const first = await stripeError(missing());
    const second = await stripeError(missing());
    expect(first.statusCode).toBe(400);
    expect(first.code).toBe('resource_missing');
    expect(second.statusCode).toBe(400);
    expect(second.headers?.['idempotent-replayed']).toBe('true');

    const bad = await rawRequest(h.emulator, 'POST', '/v1/customers', {
      body: 'balance=abc',
      headers: { 'Idempotency-Key': 'key-invalid' },
    });
    expect(bad.status).toBe(400);
    const fixed = await rawRequest(h.emulator, 'POST', '/v1/customers', {
      body: 'balance=5',
      headers: { 'Idempotency-Key': 'key-invalid' },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.json.balance).toBe(5);
  });

  it('forgets keys after 24 hours of emulator time', async () => {
    const now = Math.floor(Date.now() / 1000);
    h.emulator.clock.set(now);
    const first = await h.stripe.customers.create({}, { idempotencyKey: 'key-expiry' });
    h.emulator.clock.set(now + 24 * 60 * 60 + 1);
    const later = await h.stripe.customers.create({}, { idempotencyKey: 'key-expiry' });
    h.emulator.clock.set(null);
    expect(later.id).not.toBe(first.id);
  });

  it('is forgotten by reset', async () => {
    const first = await h.stripe.customers.create({}, { idempotencyKey: 'key-reset' });
    await h.emulator.reset();
    const second = await h.stripe.customers.create({}, { idempotencyKey: 'key-reset' });
    expect(second.id).not.toBe(first.id);
  });
});
