import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis, type RedisOptions } from 'ioredis';
import { asQueueError, errorMessage, QueueError } from './errors.js';
import { type QueueLogger, silentLogger } from './logger.js';
import type { EventQueue, QueueConsumer } from './port.js';
import { EVENT_ID_FIELD, RedisStreamsConsumer } from './redis-streams-consumer.js';

export interface RedisStreamsQueueOptions {
  /** `redis://[user:password@]host:6379[/db]` (or `rediss://`). */
  url: string;
  stream?: string;
  group?: string;
  /**
   * This process's name in the group; unique per process. Defaults to host, pid and a random
   * suffix; a second `consume()` on the same adapter appends `-2`, `-3` …
   */
  consumerName?: string;
  /**
   * An entry pending this long (its consumer died, or its handler rejected) is claimed by another
   * consumer. Keep it above the slowest handler: a longer one may see its id run a second time
   * elsewhere, which the worker's processed check makes harmless but wasteful.
   */
  claimIdleMs?: number;
  /** Longest wait for a reply to XADD, XACK or PING. */
  commandTimeoutMs?: number;
  logger?: QueueLogger;
}

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2_000;
/**
 * Client-side limit past a blocking read's own BLOCK time. It only matters on a connection that died
 * without a reset (half-open TCP); generous, so a slow reply is never mistaken for a dead link.
 */
const BLOCKING_GRACE_MS = 5_000;

/**
 * The event queue on Redis Streams: XADD to publish, one consumer group, XREADGROUP to deliver,
 * XACK on success and XAUTOCLAIM to take over what a dead consumer or a failed handler left pending.
 *
 * A handled entry is acked and deleted (XACK + XDEL in one MULTI), so the stream only ever holds ids
 * not yet handled. Trimming by MAXLEN or MINID instead would, with a backlog, drop ids that were
 * confirmed as published but never handled. The price: only one consumer group may read the stream.
 *
 * Durability is Redis's: an XADD reply means the id is in memory and, with `appendonly yes`, in the
 * AOF at the next fsync (`appendfsync everysec` loses up to a second in a crash; the relay re-sends).
 */
export class RedisStreamsQueue implements EventQueue {
  readonly kind = 'redis';
  readonly #url: string;
  readonly #stream: string;
  readonly #group: string;
  readonly #consumerName: string;
  readonly #claimIdleMs: number;
  readonly #logger: QueueLogger;
  /** XADD, XACK, PING: fails fast while Redis is away, instead of queueing for a reconnect. */
  readonly #commands: Redis;
  #groupCreated: Promise<void> | null = null;
  readonly #consumers = new Set<RedisStreamsConsumer>();
  #consumeCalls = 0;
  #closed = false;

  constructor(options: RedisStreamsQueueOptions) {
    this.#url = options.url;
    this.#stream = options.stream ?? 'recur:events';
    this.#group = options.group ?? 'recur-workers';
    this.#consumerName = options.consumerName ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.#claimIdleMs = options.claimIdleMs ?? 30_000;
    this.#logger = options.logger ?? silentLogger;
    this.#commands = this.#connect(`${this.#consumerName}:commands`, {
      commandTimeout: options.commandTimeoutMs ?? 5_000,
      // A command queued while disconnected fails with the next failed connection attempt; an XACK
      // that fails so leaves its entry to be claimed again.
      maxRetriesPerRequest: 0,
    });
  }

  /** The adapter's connections are named `<consumerName>:commands` and `<consumerName>:reader…`. */
  get consumerName(): string {
    return this.#consumerName;
  }

  async publish(eventId: string): Promise<void> {
    try {
      this.#failIfDisconnected();
      await this.#commands.xadd(this.#stream, '*', EVENT_ID_FIELD, eventId);
    } catch (error) {
      throw asQueueError(error, `Redis did not take event ${eventId}`);
    }
  }

  async consume(
    handle: (eventId: string) => Promise<void>,
    options: { concurrency: number },
  ): Promise<QueueConsumer> {
    this.#failIfClosed();
    await this.#ensureGroup();
    this.#consumeCalls++;
    const consumerName =
      this.#consumeCalls === 1 ? this.#consumerName : `${this.#consumerName}-${this.#consumeCalls}`;
    const consumer = new RedisStreamsConsumer({
      reader: this.#connect(`${consumerName}:reader`, {
        // The read loop is the only user: it waits for Redis to come back rather than failing.
        maxRetriesPerRequest: null,
        blockingTimeout: BLOCKING_GRACE_MS,
        blockingTimeoutGrace: BLOCKING_GRACE_MS,
      }),
      stream: this.#stream,
      group: this.#group,
      consumerName,
      claimIdleMs: this.#claimIdleMs,
      concurrency: options.concurrency,
      handle,
      acknowledge: (entryId) => this.#acknowledge(entryId),
      recreateGroup: () => this.#ensureGroup(true),
      logger: this.#logger,
    });
    consumer.start();
    this.#consumers.add(consumer);
    return {
      stop: async () => {
        await consumer.stop();
        this.#consumers.delete(consumer);
      },
    };
  }

  async ping(): Promise<void> {
    try {
      this.#failIfDisconnected();
      await this.#commands.ping();
    } catch (error) {
      throw asQueueError(error, 'Redis did not answer PING');
    }
  }

  /** Stops every consumer (waiting for handlers in flight), then closes the command connection. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#consumers].map((consumer) => consumer.stop()));
    this.#consumers.clear();
    // Never connected: nothing to say goodbye to (QUIT would connect first).
    if (this.#commands.status === 'wait') this.#commands.disconnect();
    // QUIT waits for replies still due (XACKs of the last handlers); a dead link just disconnects.
    else await this.#commands.quit().catch(() => this.#commands.disconnect());
  }

  #failIfClosed(): void {
    if (this.#closed) throw new QueueError('queue_closed', 'The Redis Streams queue adapter is closed');
  }

  /**
   * Between reconnect attempts a command would wait for the next one, seconds away once backoff has
   * grown; the caller is better served by an answer now. Only a command written the instant the
   * link died waits longer, up to commandTimeoutMs.
   */
  #failIfDisconnected(): void {
    this.#failIfClosed();
    const { status } = this.#commands;
    if (status === 'reconnecting' || status === 'close' || status === 'end') {
      throw new Error(`connection is ${status === 'reconnecting' ? 'lost; reconnecting' : 'closed'}`);
    }
  }

  async #acknowledge(entryId: string): Promise<void> {
    const replies = await this.#commands
      .multi()
      .xack(this.#stream, this.#group, entryId)
      .xdel(this.#stream, entryId)
      .exec();
    const failure = replies?.find(([error]) => error)?.[0];
    if (failure) throw failure;
  }

  /**
   * Creates the group at the start of the stream (id 0, not `$`), so ids published before any
   * worker ever ran are delivered too.
   */
  #ensureGroup(again = false): Promise<void> {
    if (again) this.#groupCreated = null;
    this.#groupCreated ??= this.#commands.xgroup('CREATE', this.#stream, this.#group, '0', 'MKSTREAM').then(
      () => this.#logger.info({ stream: this.#stream, group: this.#group }, 'Created the consumer group'),
      (error: unknown) => {
        if (errorMessage(error).startsWith('BUSYGROUP')) return;
        this.#groupCreated = null;
        throw asQueueError(error, `Could not create consumer group ${this.#group}`);
      },
    );
    return this.#groupCreated;
  }

  #connect(name: string, options: RedisOptions): Redis {
    const redis = new Redis(this.#url, {
      connectionName: name,
      lazyConnect: true,
      retryStrategy: (attempt) => {
        const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - 1));
        return Math.round(backoff * (0.8 + Math.random() * 0.4));
      },
      ...options,
    });
    // Every failed reconnect attempt emits an error; one line per outage is enough.
    let failing = false;
    redis.on('error', (error: Error) => {
      if (failing) return;
      failing = true;
      this.#logger.warn(
        { connection: name, err: errorMessage(error) },
        'Redis connection failed; reconnecting',
      );
    });
    redis.on('ready', () => {
      if (failing) this.#logger.info({ connection: name }, 'Redis connection restored');
      failing = false;
    });
    return redis;
  }
}
