import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTestTargets } from '../src/config.js';
import { queryRows } from '../src/db/client.js';
import { eventRepository } from '../src/events/repository.js';
import type { Stripe } from '../src/stripe/index.js';
import { createStripeClient } from '../src/stripe/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { removeBrokerQueue } from './support/broker-cleanup.js';
import { settled } from './support/wait.js';

/** The same pipeline with the queue on a real broker: ids travel through it, the inbox stays the truth. */
const { amqpUrl, redisUrl } = loadTestTargets();
const brokers: Array<[string, string]> = [];
if (amqpUrl) brokers.push(['RabbitMQ', amqpUrl]);
if (redisUrl) brokers.push(['Redis Streams', redisUrl]);

// With no broker configured the suite is reported as skipped, under a name that says why.
describe
  .skipIf(brokers.length === 0)
  .each(brokers.length ? brokers : [['no broker (set TEST_AMQP_URL or TEST_REDIS_URL)', '']])(
  'the event pipeline on %s',
  (_name, url) => {
    let t: TestApp;
    const queueName = `recur-test-${randomBytes(4).toString('hex')}`;
    beforeAll(async () => {
      t = await startTestApp(
        { QUEUE_URL: url, RECUR_QUEUE_NAME: queueName },
        { webhooks: true, worker: true },
      );
    });
    afterAll(async () => {
      await t.close();
      await removeBrokerQueue(url, queueName);
    });

    it('carries every delivered event to the worker, and the mirror follows Stripe', async () => {
      expect(t.services.queue.kind).not.toBe('database');
      const stripe = createStripeClient({ secretKey: 'sk_test_broker', apiBase: t.emulator.url });
      const made: Stripe.Customer[] = [];
      for (let i = 0; i < 25; i++)
        made.push(await stripe.customers.create({ email: `broker${i}@example.com`, name: `B ${i}` }));
      await stripe.customers.update(made[0]!.id, { name: 'Renamed' });
      await settled(t, 30_000);
      const rows = await queryRows<{ id: string; name_encrypted: string }>(
        t.database.db,
        sql`select id, name_encrypted from customers`,
      );
      expect(rows).toHaveLength(25);
      expect(t.services.cipher.decrypt(rows.find((r) => r.id === made[0]!.id)!.name_encrypted)).toBe(
        'Renamed',
      );
      const [counts] = await queryRows<{ processed: number; unpublished: number }>(
        t.database.db,
        sql`select count(*) filter (where status = 'processed')::int as processed, count(*) filter (where published_at is null)::int as unpublished from events`,
      );
      expect(counts).toEqual({ processed: 26, unpublished: 0 });
    });

    it('relays events whose hand-off to the broker never happened', async () => {
      await t.services.worker.stop();
      const stripe = createStripeClient({ secretKey: 'sk_test_broker', apiBase: t.emulator.url });
      const customer = await stripe.customers.create({ email: 'relay@example.com' });
      await t.emulator.webhooksIdle();
      // As if the process died between the insert and the publish: the row is in the inbox under a
      // new id that no broker message names, so only the relay can bring it to a worker.
      const [stored] = await queryRows<{ payload: string }>(
        t.database.db,
        sql`select payload from events where object_id = ${customer.id}`,
      );
      await t.database.db.execute(sql`delete from events where object_id = ${customer.id}`);
      const event = t.services.cipher.decryptJson<Stripe.Event>(stored!.payload);
      await eventRepository.insert(t.database.db, {
        id: 'ev_relay_only',
        source: 'stripe',
        externalId: event.id,
        type: event.type,
        objectId: customer.id,
        objectType: 'customer',
        payload: stored!.payload,
        occurredAt: new Date(event.created * 1000),
        receivedAt: new Date(Date.now() - 60_000),
        publishedAt: null,
      });
      expect(await t.services.worker.relayOnce()).toBe(1);
      expect(await t.services.worker.relayOnce()).toBe(0);
      await t.services.worker.start();
      await settled(t, 30_000);
      const [row] = await queryRows<{ id: string }>(
        t.database.db,
        sql`select id from customers where id = ${customer.id}`,
      );
      expect(row?.id).toBe(customer.id);
    });
  },
);
