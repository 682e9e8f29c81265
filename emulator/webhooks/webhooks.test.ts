import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';

let h: Harness;
let receiver: WebhookReceiver;

beforeAll(async () => {
  h = await startHarness({ webhooks: { retryBaseMs: 20, maxAttempts: 4 } });
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await h.emulator.close();
  await receiver.close();
});
afterEach(async () => {
  await h.emulator.reset();
  receiver.received.length = 0;
});

describe('webhook endpoints', () => {
  it('shows the secret only on create', async () => {
    const created = await h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.status).toBe('enabled');
    const fetched = await h.stripe.webhookEndpoints.retrieve(created.id);
    expect(fetched.secret).toBeUndefined();
    expect(fetched.url).toBe(receiver.url);
  });
});
