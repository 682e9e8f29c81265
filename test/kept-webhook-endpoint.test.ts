import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator/index.js';
import { sdkFor } from '../emulator/testing/harness.js';
import { keptWebhookEndpoint } from '../src/stripe/webhook-endpoints.js';

// `recur serve` with the built-in emulator keeps one webhook endpoint from start to start (its id
// and signing secret in the data folder), so that the deliveries still owed to it when the process
// stopped reach the next process.
describe('the embedded webhook endpoint, kept across restarts', () => {
  let dir: string;
  let emulator: Emulator;
  let stripe: Stripe;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kept-endpoint-'));
    emulator = await startEmulator();
    stripe = sdkFor(emulator);
  });
  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  const endpoints = async () =>
    (await stripe.webhookEndpoints.list({ limit: 100 })).data.map((e) => [e.id, e.url]);

  it('reuses the endpoint and its secret, moving it to the new address, and makes one afresh when it is gone', async () => {
    const file = join(dir, 'webhook-endpoint.json');
    const first = await keptWebhookEndpoint(stripe, 'http://127.0.0.1:4001/stripe/webhook', file);
    const [[id]] = (await endpoints()) as [[string, string]];
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    // The next start, on another port: the same endpoint, the same secret.
    const second = await keptWebhookEndpoint(stripe, 'http://127.0.0.1:4002/stripe/webhook', file);
    expect(second).toBe(first);
    expect(await endpoints()).toEqual([[id, 'http://127.0.0.1:4002/stripe/webhook']]);

    // Deleted in Stripe meanwhile: a new one (a new secret) at the address, and the file follows.
    await stripe.webhookEndpoints.del(id);
    const third = await keptWebhookEndpoint(stripe, 'http://127.0.0.1:4002/stripe/webhook', file);
    expect(third).not.toBe(first);
    const [[newId, url]] = (await endpoints()) as [[string, string]];
    expect([newId === id, url]).toEqual([false, 'http://127.0.0.1:4002/stripe/webhook']);
    expect(await keptWebhookEndpoint(stripe, 'http://127.0.0.1:4002/stripe/webhook', file)).toBe(third);
  });

  it('makes a new endpoint when the file is unreadable, replacing any other at the address', async () => {
    const file = join(dir, 'garbled.json');
    await writeFile(file, '{"id": 42');
    const url = 'http://127.0.0.1:4003/stripe/webhook';
    const secret = await keptWebhookEndpoint(stripe, url, file);
    expect(secret).toMatch(/^whsec_/);
    expect((await endpoints()).filter(([, u]) => u === url)).toHaveLength(1);
    expect(await keptWebhookEndpoint(stripe, url, file)).toBe(secret);
  });
});
