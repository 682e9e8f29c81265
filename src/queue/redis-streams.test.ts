import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadTestTargets } from '../config.js';
import { QueueError } from './errors.js';
import { RedisStreamsQueue, type RedisStreamsQueueOptions } from './redis-streams.js';
import { TcpProxy } from './tcp-proxy.js';
import { deferred, RecordingHandler, sleep, targetOf, until } from './test-support.js';

const { redisUrl } = loadTestTargets();

describe.skipIf(!redisUrl)('RedisStreamsQueue against Redis', () => {
  const url = redisUrl ?? '';
  const runId = randomUUID().slice(0, 8);
  const streams: string[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  const admin = new Redis(url, { lazyConnect: true });

  /** A stream of its own for each test, deleted (with its group) when the file is done. */
  function newStream(): string {
    const stream = `recur:test:${runId}:${streams.length}`;
    streams.push(stream);
    return stream;
  }

  function open(options: Partial<RedisStreamsQueueOptions> & { stream: string }): RedisStreamsQueue {
    const queue = new RedisStreamsQueue({ url, claimIdleMs: 300, ...options });
    cleanups.push(() => queue.close());
    return queue;
  }

  async function proxy(): Promise<{ proxy: TcpProxy; url: string }> {
    const target = targetOf(url);
    const started = await TcpProxy.start(target);
    cleanups.push(() => started.close());
    return { proxy: started, url: target.viaPort(started.port) };
  }

  /** Ids of the server-side connections whose name starts with `prefix`. */
  async function clientIds(prefix: string): Promise<string[]> {
    const list = (await admin.client('LIST')) as string;
    return list
      .split('\n')
      .filter((line) => line.includes(` name=${prefix}`))
      .map((line) => /^id=(\d+)/.exec(line)?.[1] ?? '');
  }

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(async () => {
    if (streams.length > 0) await admin.del(...streams);
    await admin.quit();
  });

  it('delivers every id published before and after the group existed, running at most `concurrency` handlers', async () => {
    const stream = newStream();
    const publisher = open({ stream });
    const ids = Array.from({ length: 1000 }, (_, i) => `evt_${i}`);
    await Promise.all(ids.slice(0, 500).map((id) => publisher.publish(id)));

    const handler = new RecordingHandler(() => sleep(1));
    const consumer = await open({ stream }).consume(handler.handle, { concurrency: 8 });
    await Promise.all(ids.slice(500).map((id) => publisher.publish(id)));
    await until(() => handler.handled.length >= ids.length);
    await consumer.stop();

    expect(handler.handled.toSorted()).toEqual(ids.toSorted());
    expect(handler.maxInFlight).toBe(8);
    // Handled entries are acked and deleted: nothing pending, nothing left in the stream.
    expect(await admin.xlen(stream)).toBe(0);
    expect(((await admin.xpending(stream, 'recur-workers')) as [number])[0]).toBe(0);
  });

  it('delivers an id whose handler rejected again once it has been pending for claimIdleMs', async () => {
    const stream = newStream();
    const queue = open({ stream, claimIdleMs: 200 });
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

  it('lets another consumer claim the ids a dead consumer left pending', async () => {
    const stream = newStream();
    const network = await proxy();
    const stuck = deferred();
    const doomed = new RecordingHandler(() => stuck.promise);
    await open({ url: network.url, stream }).consume(doomed.handle, { concurrency: 5 });
    const ids = ['evt_a', 'evt_b', 'evt_c', 'evt_d', 'evt_e'];
    const publisher = open({ stream });
    await Promise.all(ids.map((id) => publisher.publish(id)));
    await until(() => doomed.inFlight === 5);

    // The first consumer loses Redis for good, its five ids pending under its name.
    await network.proxy.refuse();
    const survivor = new RecordingHandler();
    await open({ stream }).consume(survivor.handle, { concurrency: 5 });
    await until(() => survivor.handled.length === 5);
    expect(survivor.handled.toSorted()).toEqual(ids);
    await until(async () => (await admin.xlen(stream)) === 0);

    // The dead consumer's handlers finish late; their acks cannot reach Redis and must not throw.
    stuck.resolve();
    await until(() => doomed.inFlight === 0);
  });

  it('stop() waits for handlers in flight and acks them; ids it never took stay for others', async () => {
    const stream = newStream();
    const ids = ['evt_1', 'evt_2', 'evt_3', 'evt_4', 'evt_5'];
    const publisher = open({ stream });
    await Promise.all(ids.map((id) => publisher.publish(id)));
    const release = deferred();
    const first = new RecordingHandler(() => release.promise);
    const consumer = await open({ stream }).consume(first.handle, { concurrency: 2 });
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
    await open({ stream }).consume(second.handle, { concurrency: 5 });
    await until(() => second.handled.length === 3);
    // Longer than claimIdleMs: had the first two not been acked, they would be claimed by now.
    await sleep(500);
    expect([...first.handled, ...second.handled].toSorted()).toEqual(ids);
  });

  it('resolves publish only once Redis holds the id: closing the publisher at once loses nothing', async () => {
    const stream = newStream();
    const publisher = new RedisStreamsQueue({ url, stream });
    const ids = Array.from({ length: 200 }, (_, i) => `evt_confirmed_${i}`);
    await Promise.all(ids.map((id) => publisher.publish(id)));
    await publisher.close();
    await expect(publisher.publish('evt_too_late')).rejects.toMatchObject({ code: 'queue_closed' });

    const handler = new RecordingHandler();
    await open({ stream }).consume(handler.handle, { concurrency: 10 });
    await until(() => handler.handled.length === ids.length);
    expect(handler.handled.toSorted()).toEqual(ids.toSorted());
  });

  it('keeps consuming and publishing after CLIENT KILL of both its connections', async () => {
    const stream = newStream();
    const queue = open({ stream });
    const handler = new RecordingHandler();
    await queue.consume(handler.handle, { concurrency: 4 });
    await queue.publish('evt_before_kill');
    await until(() => handler.handled.includes('evt_before_kill'));

    const killed = await clientIds(`${queue.consumerName}:`);
    expect(killed).toHaveLength(2);
    for (const id of killed) await admin.client('KILL', 'ID', id);

    await until(() =>
      queue.publish('evt_after_kill').then(
        () => true,
        () => false,
      ),
    );
    await until(() => handler.handled.includes('evt_after_kill'));
    const reconnected = await clientIds(`${queue.consumerName}:`);
    expect(reconnected).toHaveLength(2);
    expect(reconnected.filter((id) => killed.includes(id))).toEqual([]);
  });

  it('fails publish and ping promptly while Redis is unreachable, and resumes when it is back', async () => {
    const stream = newStream();
    const network = await proxy();
    // A command written just as the link dies waits at most commandTimeoutMs; one sent after the
    // loss is noticed fails on the first refused reconnect.
    const queue = open({ url: network.url, stream, commandTimeoutMs: 1_000 });
    const handler = new RecordingHandler();
    await queue.consume(handler.handle, { concurrency: 2 });
    await queue.ping();

    await network.proxy.refuse();
    const started = Date.now();
    const publishError = await queue.publish('evt_during_outage').catch((error: unknown) => error);
    const pingError = await queue.ping().catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(publishError).toBeInstanceOf(QueueError);
    expect(publishError).toMatchObject({ code: 'queue_unavailable' });
    expect(pingError).toMatchObject({ code: 'queue_unavailable' });

    // Another instance, still connected, publishes while this one is cut off.
    await open({ stream }).publish('evt_meanwhile');
    await network.proxy.accept();
    await until(() => handler.handled.includes('evt_meanwhile'));
    // The command connection comes back on its own backoff schedule, independent of the reader's.
    await until(() =>
      queue.publish('evt_after_outage').then(
        () => true,
        () => false,
      ),
    );
    await until(() => handler.handled.includes('evt_after_outage'));
  });

  it('creates the consumer group again when the stream is deleted under it', async () => {
    const stream = newStream();
    const queue = open({ stream });
    const handler = new RecordingHandler();
    await queue.consume(handler.handle, { concurrency: 2 });
    await queue.publish('evt_first');
    await until(() => handler.handled.includes('evt_first'));

    await admin.del(stream);
    await until(async () => {
      await queue.publish('evt_second');
      await sleep(100);
      return handler.handled.includes('evt_second');
    });
  });
});
