import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';
import { adminCall, createEndpoint, storedEndpoints } from './support/app-webhooks.js';

/**
 * A live deployment: a live Stripe key makes HTTPS required, and private targets are refused
 * (RECUR_WEBHOOKS_ALLOW_PRIVATE=false, the default beside PostgreSQL). The services still talk to
 * the emulator; only the configuration says live.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    STRIPE_SECRET_KEY: 'sk_live_recur_targets_test',
    STRIPE_WEBHOOK_SECRET: 'whsec_recur_targets_test',
    RECUR_WEBHOOKS_ALLOW_PRIVATE: 'false',
  });
});
afterAll(() => t.close());

const ENDPOINTS = '/api/admin/webhook-endpoints';
/** A public address, written as one: judged without a DNS query. */
const PUBLIC = 'https://93.184.215.14/recur';

describe('webhook targets in live mode', () => {
  it.each([
    ['a name that resolves to 127.0.0.1', 'https://localhost/recur', /loopback/],
    ['a loopback address', 'https://127.0.0.1/recur', /loopback/],
    ['the cloud metadata address', 'https://169.254.169.254/latest', /linkLocal/],
    ['a private network', 'https://10.0.0.7/recur', /private/],
    ['an IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/recur', /loopback/],
    ['plain HTTP', 'http://93.184.215.14/recur', /https/],
  ])('refuses %s with the reason, creating nothing', async (_case, url, reason) => {
    const res = await adminCall(t, 'POST', ENDPOINTS, { url });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_webhook_url');
    expect(res.body.error.details.reason).toMatch(reason);
    expect(res.body.error.message).toContain(res.body.error.details.reason);
    expect(await storedEndpoints(t)).toEqual([]);
  });

  it('accepts a public HTTPS address, and refuses a change of it to a private one', async () => {
    const { id } = await createEndpoint(t, { url: PUBLIC });
    const moved = await adminCall(t, 'PATCH', `${ENDPOINTS}/${id}`, { url: 'https://localhost:8443/recur' });
    expect(moved.status).toBe(400);
    expect(moved.body.error.code).toBe('invalid_webhook_url');
    expect((await storedEndpoints(t))[0]!.url).toBe(PUBLIC);
    const renamed = await adminCall(t, 'PATCH', `${ENDPOINTS}/${id}`, { description: 'kept' });
    expect(renamed.body).toMatchObject({ url: PUBLIC, description: 'kept' });
  });
});
