import Stripe from 'stripe';
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
  receiver.failNext(0);
});

const endpoint = (events: Stripe.WebhookEndpointCreateParams.EnabledEvent[] = ['*']) =>
  h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: events });

describe('webhook endpoints', () => {
  it('shows the secret only on create', async () => {
    const created = await endpoint();
    expect(created.secret).toMatch(/^whsec_/);
    const fetched = await h.stripe.webhookEndpoints.retrieve(created.id);
    expect(fetched.secret).toBeUndefined();
    expect(fetched).toMatchObject({ url: receiver.url, status: 'enabled', enabled_events: ['*'] });
  });

  it('updates, lists and deletes', async () => {
    const created = await endpoint();
    const updated = await h.stripe.webhookEndpoints.update(created.id, {
      disabled: true,
      enabled_events: ['customer.created'],
      description: 'billing',
    });
    expect(updated).toMatchObject({
      status: 'disabled',
      enabled_events: ['customer.created'],
      description: 'billing',
    });
    expect((await h.stripe.webhookEndpoints.list()).data.map((e) => e.id)).toEqual([created.id]);
    expect(await h.stripe.webhookEndpoints.del(created.id)).toMatchObject({ id: created.id, deleted: true });
    await expect(h.stripe.webhookEndpoints.retrieve(created.id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('refuses bad URLs and event names', async () => {
    await expect(
      h.stripe.webhookEndpoints.create({ url: 'not a url', enabled_events: ['*'] }),
    ).rejects.toMatchObject({
      param: 'url',
    });
    await expect(
      h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['nonsense' as '*'] }),
    ).rejects.toMatchObject({ param: 'enabled_events[0]' });
  });
});

describe('delivery', () => {
  it('signs each delivery so that stripe.webhooks.constructEvent verifies it', async () => {
    const { secret } = await endpoint();
    const customer = await h.stripe.customers.create({ email: 'signed@example.com' });
    await h.emulator.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery!.userAgent).toMatch(/^Stripe\/1\.0/);
    expect(delivery!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = h.stripe.webhooks.constructEvent(delivery!.body, delivery!.signature, secret!);
    expect(event.type).toBe('customer.created');
    expect((event.data.object as Stripe.Customer).id).toBe(customer.id);
    expect(() =>
      h.stripe.webhooks.constructEvent(delivery!.body, delivery!.signature, 'whsec_wrong'),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  it('sends only the events an endpoint enabled, in creation order', async () => {
    await endpoint(['product.created', 'product.updated']);
    const product = await h.stripe.products.create({ name: 'a' });
    await h.stripe.customers.create({});
    await h.stripe.products.update(product.id, { name: 'b' });
    await h.emulator.webhooksIdle();
    expect(receiver.received.map((d) => d.type)).toEqual(['product.created', 'product.updated']);
  });

  it('skips disabled endpoints', async () => {
    const created = await endpoint();
    await h.stripe.webhookEndpoints.update(created.id, { disabled: true });
    await h.stripe.customers.create({});
    await h.emulator.webhooksIdle();
    expect(receiver.received).toEqual([]);
  });

  it('retries a failing endpoint with backoff, and pending_webhooks follows delivery', async () => {
    await endpoint();
    receiver.failNext(2, 503);
    const customer = await h.stripe.customers.create({});
    const [created] = (await h.stripe.events.list({ type: 'customer.created' })).data;
    expect(created!.pending_webhooks).toBe(1);
    await h.emulator.webhooksIdle();
    expect(receiver.received.map((d) => d.eventId)).toEqual([created!.id]);
    expect(JSON.parse(receiver.received[0]!.body).data.object.id).toBe(customer.id);
    expect((await h.stripe.events.retrieve(created!.id)).pending_webhooks).toBe(0);
  });

  it('delivers a retried event after the newer ones that succeeded', async () => {
    await endpoint();
    receiver.failNext(1);
    await h.stripe.customers.create({ name: 'first' });
    await h.stripe.customers.create({ name: 'second' });
    await h.emulator.webhooksIdle();
    const names = receiver.received.map((d) => JSON.parse(d.body).data.object.name);
    expect(names).toEqual(['second', 'first']);
  });

  it('gives up after maxAttempts, leaving pending_webhooks set', async () => {
    await endpoint();
    receiver.failNext(10);
    await h.stripe.customers.create({});
    await h.emulator.webhooksIdle();
    expect(receiver.received).toEqual([]);
    expect((await h.stripe.events.list()).data[0]!.pending_webhooks).toBe(1);
  });

  it('duplicates deliveries under the duplicate fault', async () => {
    await endpoint();
    h.emulator.faults.set({ webhookDuplicateRate: 1 });
    await h.stripe.customers.create({});
    await h.emulator.webhooksIdle();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]!.eventId).toBe(receiver.received[1]!.eventId);
    expect((await h.stripe.events.list()).data[0]!.pending_webhooks).toBe(0);
  });

  it('shuffles deliveries inside the reorder window, deterministically per seed', async () => {
    // Events are emitted in one tick, so only the seeded hold times decide the arrival order.
    const run = async () => {
      await h.emulator.reset();
      receiver.received.length = 0;
      await endpoint();
      h.emulator.faults.set({ webhookReorderWindowMs: 300, seed: 3 });
      for (let i = 0; i < 8; i++)
        h.emulator.events.emit('customer.created', { object: 'customer', id: `cus_${i}`, name: `c${i}` });
      await h.emulator.webhooksIdle();
      return receiver.received.map((d) => JSON.parse(d.body).data.object.name as string);
    };
    const order = await run();
    expect([...order].sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
    expect(order).not.toEqual([...order].sort());
    expect(await run()).toEqual(order);
  });
});

describe('events', () => {
  it('records request id, idempotency key and previous_attributes of exactly the changed fields', async () => {
    const product = await h.stripe.products.create(
      { name: 'old', metadata: { a: '1' } },
      { idempotencyKey: 'ev-key' },
    );
    h.emulator.clock.set(product.updated + 60);
    const updated = await h.stripe.products.update(product.id, { name: 'new', metadata: { b: '2' } });
    h.emulator.clock.set(null);
    const [event] = (await h.stripe.events.list({ type: 'product.updated' })).data;
    expect(event!.request).toEqual({
      id: updated.lastResponse.requestId,
      idempotency_key: expect.stringMatching(/^stripe-node-retry-/),
    });
    expect(event!.data.previous_attributes).toEqual({
      name: 'old',
      metadata: { b: null },
      updated: product.updated,
    });
    expect(event!.api_version).toBe(Stripe.API_VERSION);
    const [createdEvent] = (await h.stripe.events.list({ type: 'product.created' })).data;
    expect(createdEvent!.request?.idempotency_key).toBe('ev-key');
    expect(createdEvent!.data.previous_attributes).toBeUndefined();
  });

  it('snapshots the object at the time of the event', async () => {
    const customer = await h.stripe.customers.create({ name: 'before' });
    await h.stripe.customers.update(customer.id, { name: 'after' });
    const [created] = (await h.stripe.events.list({ type: 'customer.created' })).data;
    expect((created!.data.object as Stripe.Customer).name).toBe('before');
  });

  it('filters by type, wildcard type, types[] and created', async () => {
    const product = await h.stripe.products.create({ name: 'x' });
    await h.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1 });
    await h.stripe.customers.create({});
    const types = (list: Stripe.ApiList<Stripe.Event>) => list.data.map((e) => e.type);
    expect(types(await h.stripe.events.list({ type: 'price.*' }))).toEqual(['price.created']);
    expect(types(await h.stripe.events.list({ types: ['customer.created', 'product.created'] }))).toEqual([
      'customer.created',
      'product.created',
    ]);
    expect(
      (await h.stripe.events.list({ created: { gt: Math.floor(Date.now() / 1000) + 3600 } })).data,
    ).toEqual([]);
  });

  it('keeps events for 30 days', async () => {
    await h.stripe.customers.create({});
    const [event] = (await h.stripe.events.list()).data;
    h.emulator.clock.set(event!.created + 31 * 24 * 3600);
    expect((await h.stripe.events.list()).data).toEqual([]);
    await expect(h.stripe.events.retrieve(event!.id)).rejects.toMatchObject({ statusCode: 404 });
    h.emulator.events.pruneExpired();
    expect(h.emulator.store.counts().event).toBeUndefined();
    h.emulator.clock.set(null);
  });
});
