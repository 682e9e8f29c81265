import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPaymentNotice } from '../src/payment-webhook/signature.js';
import { signStripePayload } from '../src/stripe/signature.js';
import { startTestApp, type TestApp } from './support/app.js';

const SECRET = 'whsec_test_limits_secret';
const PAYMENT_SECRET = 'payment-webhook-secret-0123456789';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    STRIPE_WEBHOOK_RATE_LIMIT: '3',
    RECUR_WEBHOOK_REFUSED_RATE_LIMIT: '5',
    RECUR_PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET,
  });
  t.services.webhookSecrets.push(SECRET);
});
afterAll(() => t.close());

let sequence = 0;
function stripeEvent() {
  sequence++;
  return JSON.stringify({
    id: `evt_limits_${sequence}_${Date.now()}`,
    object: 'event',
    type: 'customer.created',
    created: Math.floor(Date.now() / 1000),
    data: { object: { id: `cus_limits_${sequence}`, object: 'customer' } },
  });
}

const post = (url: string, body: string, headers: Record<string, string>, remoteAddress: string) =>
  t.app.inject({
    method: 'POST',
    url,
    payload: body,
    headers: { 'content-type': 'application/json', ...headers },
    remoteAddress,
  });

function expectRateLimited(res: Awaited<ReturnType<typeof post>>) {
  expect(res.statusCode).toBe(429);
  expect(res.json().error).toMatchObject({ code: 'rate_limited', request_id: expect.any(String) });
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.json().error.details.retry_after_seconds).toBe(retryAfter);
}

describe('webhook rate limits count refused signatures and signed deliveries apart', () => {
  it("unsigned junk from an address is held back, and Stripe's next signed event from it still passes", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await post(
        '/stripe/webhook',
        stripeEvent(),
        { 'stripe-signature': 't=1,v1=00' },
        '10.1.0.1',
      );
      statuses.push(res.statusCode);
      if (i === 29) expectRateLimited(res);
    }
    expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));

    const body = stripeEvent();
    const signed = await post(
      '/stripe/webhook',
      body,
      { 'stripe-signature': signStripePayload(body, SECRET) },
      '10.1.0.1',
    );
    expect(signed.statusCode).toBe(200);
  });

  it('signed deliveries have a limit of their own, answered with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const body = stripeEvent();
      const res = await post(
        '/stripe/webhook',
        body,
        { 'stripe-signature': signStripePayload(body, SECRET) },
        '10.1.0.2',
      );
      statuses.push(res.statusCode);
      if (i === 3) expectRateLimited(res);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('the payment webhook is limited the same way', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await post(
        '/api/webhooks/payment',
        '{}',
        { 'x-recur-signature': `sha256=${'0'.repeat(64)}` },
        '10.1.0.3',
      );
      statuses.push(res.statusCode);
      if (i === 7) expectRateLimited(res);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);

    const notice = (n: number) =>
      JSON.stringify({
        subscription_id: `sub_missing_${n}`,
        event: 'payment_success',
        amount: 900,
        date: '2026-01-01',
      });
    const signedStatuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const body = notice(i);
      const res = await post(
        '/api/webhooks/payment',
        body,
        { 'x-recur-signature': signPaymentNotice(body, PAYMENT_SECRET) },
        '10.1.0.3',
      );
      signedStatuses.push(res.statusCode);
      if (i === 3) expectRateLimited(res);
    }
    // Signed, so past the junk's limit; about a subscription that does not exist, so 404.
    expect(signedStatuses).toEqual([404, 404, 404, 429]);
  });
});
