import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadTestTargets } from '../config.js';
import { QueueError } from './errors.js';
import { RabbitMqQueue, type RabbitMqQueueOptions } from './rabbitmq.js';
import { TcpProxy } from './tcp-proxy.js';
import { deferred, RecordingHandler, sleep, targetOf, until } from './test-support.js';

const { amqpUrl } = loadTestTargets();

describe.skipIf(!amqpUrl)('RabbitMqQueue against RabbitMQ', () => {
  const url = amqpUrl ?? '';
  const runId = randomUUID().slice(0, 8);
  const queueNames: string[] = [];
  const cleanups: Array<() => Promise<void>> = [];

  /** A queue name of its own for each test, deleted when the file is done. */
  function newQueueName(): string {
    const name = `recur.test.${runId}.${queueNames.length}`;
    queueNames.push(name);
    return name;
  }

  function open(options: Partial<RabbitMqQueueOptions> & { queueName: string }): RabbitMqQueue {
    const queue = new RabbitMqQueue({ url, requeueDelayMs: 20, ...options });
    cleanups.push(() => queue.close());
    return queue;
  }

  async function proxy(): Promise<{ proxy: TcpProxy; url: string }> {
    const target = targetOf(url);
    const started = await TcpProxy.start(target);
    cleanups.push(() => started.close());
    return { proxy: started, url: target.viaPort(started.port) };
  }

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(async () => {
    const connection = await connect(url);
    const channel = await connection.createChannel();
    for (const name of queueNames) await channel.deleteQueue(name);
    await connection.close();
  });

  it('delivers every published id, running no more handlers than `concurrency` even with a larger prefetch', async () => {
    const queueName = newQueueName();
    const publisher = open({ queueName });
    const ids = Array.from({ length: 1000 }, (_, i) => `evt_${i}`);
    await Promise.all(ids.map((id) => publisher.publish(id)));

    const handler = new RecordingHandler(() => sleep(1));
    const consumer = await open({ queueName, prefetch: 32 }).consume(handler.handle, { concurrency: 8 });
    await until(() => handler.handled.length >= ids.length);
    await consumer.stop();

    expect(handler.handled.toSorted()).toEqual(ids.toSorted());
    expect(handler.maxInFlight).toBe(8);
  });

  it('puts an id whose handler rejected back in the queue after the requeue delay', async () => {
    const queueName = newQueueName();
    const queue = open({ queueName, requeueDelayMs: 200 });
    const attemptTimes: number[] = [];
    const handler = new RecordingHandler(async () => {
      attemptTimes.push(Date.now());
      if (attemptTimes.length === 1) throw new Error('database unavailable');
    });
    await queue.consume(handler.handle, { concurrency: 1 });
    await queue.publish('evt_retried');

    await until(() => handler.handled.length === 1);
    expect(handler.deliveries).toEqual(['evt_retried', 'evt_retried']);
    expect((attemptTimes[1] ?? 0) - (attemptTimes[0] ?? 0)).toBeGreaterThanOrEqual(190);
  });

  it('redelivers to another consumer the ids a consumer held unacked when its connection died', async () => {
    const queueName = newQueueName();
    const network = await proxy();
    const stuck = deferred();
    const doomed = new RecordingHandler(() => stuck.promise);
    await open({ url: network.url, queueName }).consume(doomed.handle, { concurrency: 5 });
    const ids = ['evt_a', 'evt_b', 'evt_c', 'evt_d', 'evt_e'];
    const publisher = open({ queueName });
    await Promise.all(ids.map((id) => publisher.publish(id)));
    await until(() => doomed.inFlight === 5);

    // The first consumer's connection dies and cannot come back.
    await network.proxy.refuse();
    const survivor = new RecordingHandler();
    await open({ queueName }).consume(survivor.handle, { concurrency: 5 });
    await until(() => survivor.handled.length === 5);
    expect(survivor.handled.toSorted()).toEqual(ids);

    // The dead consumer's handlers finish late; their acks have no channel and must not throw.
    stuck.resolve();
    await until(() => doomed.inFlight === 0);
  });

  it('stop() waits for handlers in flight, acks them, and hands back the ids it had not started', async () => {
    const queueName = newQueueName();
    const ids = ['evt_1', 'evt_2', 'evt_3', 'evt_4', 'evt_5'];
    const publisher = open({ queueName });
    await Promise.all(ids.map((id) => publisher.publish(id)));
    const release = deferred();
    const first = new RecordingHandler(() => release.promise);
    // prefetch 5 with concurrency 2: three ids wait locally, unstarted, when stop() is called.
    const consumer = await open({ queueName, prefetch: 5 }).consume(first.handle, { concurrency: 2 });
    await until(() => first.inFlight === 2);

    let stopped = false;
    const stopping = consumer.stop().then(() => {
      stopped = true;
    });
    await sleep(200);
    expect(stopped).toBe(false);
    release.resolve();
    await stopping;
    expect(first.handled).toHaveLength(2);
    expect(first.deliveries).toHaveLength(2);

    const second = new RecordingHandler();
    await open({ queueName }).consume(second.handle, { concurrency: 5 });
    await until(() => second.handled.length === 3);
    await sleep(200);
    expect([...first.handled, ...second.handled].toSorted()).toEqual(ids);
  });

  it('resolves publish only once the broker holds the id: closing the publisher at once loses nothing', async () => {
    const queueName = newQueueName();
    const publisher = new RabbitMqQueue({ url, queueName });
    const ids = Array.from({ length: 200 }, (_, i) => `evt_confirmed_${i}`);
    await Promise.all(ids.map((id) => publisher.publish(id)));
    await publisher.close();
    await expect(publisher.publish('evt_too_late')).rejects.toMatchObject({ code: 'queue_closed' });

    const handler = new RecordingHandler();
    await open({ queueName }).consume(handler.handle, { concurrency: 10 });
    await until(() => handler.handled.length === ids.length);
    expect(handler.handled.toSorted()).toEqual(ids.toSorted());
  });

  it('rejects a publish the broker could not route, then declares the queue again', async () => {
    const queueName = newQueueName();
    const queue = open({ queueName });
    await queue.publish('evt_before');
    const admin = await connect(url);
    await (await admin.createChannel()).deleteQueue(queueName);
    await admin.close();

    await expect(queue.publish('evt_lost')).rejects.toMatchObject({ code: 'queue_unroutable' });
    await queue.publish('evt_after');
    const handler = new RecordingHandler();
    await queue.consume(handler.handle, { concurrency: 1 });
    await until(() => handler.handled.length === 1);
    await sleep(100);
    expect(handler.handled).toEqual(['evt_after']);
  });

  it('reports a queue of the same name declared otherwise as an error, without losing the connection', async () => {
    const queueName = newQueueName();
    const admin = await connect(url);
    await (await admin.createChannel()).assertQueue(queueName, { durable: true });
    await admin.close();

    const warnings: string[] = [];
    const logger = {
      info: () => {},
      error: () => {},
      warn: (_: object, message: string) => warnings.push(message),
    };
    const queue = open({ queueName, logger });
    await expect(queue.ping()).rejects.toMatchObject({ code: 'queue_unavailable' });
    await expect(queue.publish('evt_refused')).rejects.toThrow(/PRECONDITION_FAILED/);
    await expect(queue.consume(async () => {}, { concurrency: 1 })).rejects.toBeInstanceOf(QueueError);
    // Each refusal closed one channel; the connection, shared by everything else, stayed up.
    expect(warnings.filter((message) => /connection|unreachable/i.test(message))).toEqual([]);
  });

  it('reconnects after its connection is cut and keeps consuming and publishing', async () => {
    const queueName = newQueueName();
    const network = await proxy();
    const queue = open({ url: network.url, queueName });
    const handler = new RecordingHandler();
    await queue.consume(handler.handle, { concurrency: 4 });
    await queue.publish('evt_before_cut');
    await until(() => handler.handled.includes('evt_before_cut'));

    network.proxy.cut();
    await until(() =>
      queue.publish('evt_after_cut').then(
        () => true,
        () => false,
      ),
    );
    await until(() => handler.handled.includes('evt_after_cut'));
    await queue.ping();
  });

  it('fails publish and ping at once while the broker is unreachable, and resumes when it is back', async () => {
    const queueName = newQueueName();
    const network = await proxy();
    const queue = open({ url: network.url, queueName });
    const handler = new RecordingHandler();
    await queue.consume(handler.handle, { concurrency: 2 });
    await queue.ping();

    await network.proxy.refuse();
    const started = Date.now();
    const publishError = await queue.publish('evt_during_outage').catch((error: unknown) => error);
    const pingError = await queue.ping().catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(publishError).toBeInstanceOf(QueueError);
    expect(publishError).toMatchObject({ code: 'queue_unavailable' });
    expect(pingError).toMatchObject({ code: 'queue_unavailable' });

    // Another instance, still connected, publishes while this one is cut off.
    await open({ queueName }).publish('evt_meanwhile');
    await network.proxy.accept();
    await until(() => handler.handled.includes('evt_meanwhile'));
    await until(() =>
      queue.publish('evt_after_outage').then(
        () => true,
        () => false,
      ),
    );
    await until(() => handler.handled.includes('evt_after_outage'));
    expect(handler.handled).not.toContain('evt_during_outage');
  });
});
