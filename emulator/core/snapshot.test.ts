import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator.js';
import { sdkFor } from '../testing/harness.js';
import { startWebhookReceiver } from '../testing/webhook-receiver.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulator-snapshot-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('snapshot', () => {
  it('keeps state across a restart', async () => {
    const snapshotPath = join(dir, 'state', 'emulator.json');
    const first = await startEmulator({ snapshotPath });
    const stripe = sdkFor(first);
    const product = await stripe.products.create({
      name: 'Durable',
      default_price_data: { currency: 'usd', unit_amount: 700 },
    });
    const customer = await stripe.customers.create({ email: 'keep@example.com' });
    const endpoint = await stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/x',
      enabled_events: ['*'],
    });
    await stripe.customers.create({}, { idempotencyKey: 'snap-key' });
    await first.close();

    const saved = JSON.parse(await readFile(snapshotPath, 'utf8')) as { version: number };
    expect(saved.version).toBe(1);

    const second = await startEmulator({ snapshotPath });
    const again = sdkFor(second);
    expect((await again.products.retrieve(product.id)).default_price).toBe(product.default_price);
    expect(((await again.customers.retrieve(customer.id)) as Stripe.Customer).email).toBe('keep@example.com');
    expect((await again.webhookEndpoints.list()).data.map((e) => e.id)).toEqual([endpoint.id]);
    expect((await again.events.list({ type: 'product.created' })).data).toHaveLength(1);
    const replay = await again.customers.create({}, { idempotencyKey: 'snap-key' });
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
    await second.close();
  });

  it('delivers after a restart the webhooks it still owed when it stopped, once', async () => {
    const snapshotPath = join(dir, 'owed.json');
    const down = await startWebhookReceiver();
    down.failNext(1);
    // The receiver refuses the first attempt; the retry would come a minute later.
    const first = await startEmulator({ snapshotPath, webhooks: { retryBaseMs: 60_000 } });
    const stripe = sdkFor(first);
    const endpoint = await stripe.webhookEndpoints.create({
      url: down.url,
      enabled_events: ['customer.created'],
    });
    const customer = await stripe.customers.create({ email: 'owed@example.com' });
    expect(first.webhooksOutstanding()).toBe(1);
    await first.close();
    await down.close();

    // Restarted, with the receiver elsewhere: what was owed waits until told, then goes there.
    const up = await startWebhookReceiver();
    const second = await startEmulator({ snapshotPath, savedWebhooks: 'hold' });
    await sdkFor(second).webhookEndpoints.update(endpoint.id, { url: up.url });
    expect(second.resumeWebhooks()).toBe(1);
    await second.webhooksIdle();
    expect(up.received.map((w) => w.type)).toEqual(['customer.created']);
    expect(JSON.parse(up.received[0]!.body).data.object.id).toBe(customer.id);
    await second.close();

    const third = await startEmulator({ snapshotPath, savedWebhooks: 'hold' });
    expect(third.resumeWebhooks()).toBe(0);
    await third.close();
    await up.close();
  });

  it('writes after changes without waiting for close', async () => {
    const snapshotPath = join(dir, 'debounced.json');
    const emulator = await startEmulator({ snapshotPath });
    await sdkFor(emulator).customers.create({ name: 'soon' });
    await emulator.flushSnapshot();
    expect(await readFile(snapshotPath, 'utf8')).toContain('soon');
    await emulator.close();
  });
});

describe('snapshot file permissions', () => {
  it('is readable by its owner only, whatever the umask (it holds emails and the webhook secret)', async () => {
    const snapshotPath = join(dir, 'private.json');
    const previous = process.umask(0);
    try {
      const emulator = await startEmulator({ snapshotPath });
      await sdkFor(emulator).customers.create({ email: 'private@example.com' });
      await emulator.flushSnapshot();
      // The snapshot is the temporary file renamed: its mode is the one the temporary file had.
      expect((await stat(snapshotPath)).mode & 0o777).toBe(0o600);
      await emulator.close();
      expect((await stat(snapshotPath)).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });
});

describe('reset', () => {
  it('forgets objects, events, endpoints and faults', async () => {
    const emulator = await startEmulator();
    const stripe = sdkFor(emulator);
    await stripe.products.create({ name: 'gone' });
    await stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/x', enabled_events: ['*'] });
    emulator.faults.set({ latencyMs: 5 });
    await emulator.reset();
    expect((await stripe.products.list()).data).toEqual([]);
    expect((await stripe.events.list()).data).toEqual([]);
    expect((await stripe.webhookEndpoints.list()).data).toEqual([]);
    expect(emulator.faults.get().latencyMs).toBe(0);
    const viaHttp = await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
    expect(viaHttp.status).toBe(200);
    await emulator.close();
  });
});
