import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { ConcurrencyGate } from './concurrency-gate.js';
import { errorMessage } from './errors.js';
import type { QueueLogger } from './logger.js';
import type { QueueConsumer } from './port.js';
import type { ReconnectingAmqpConnection } from './rabbitmq-connection.js';

/** Pause before re-subscribing after the broker closed the channel of a live connection. */
const RESUBSCRIBE_DELAY_MS = 1_000;

export interface RabbitMqConsumerOptions {
  connection: ReconnectingAmqpConnection;
  /** Declares the queue on a channel; run before every subscription so a deleted queue comes back. */
  declareQueue: (channel: Channel) => Promise<string>;
  handle: (eventId: string) => Promise<void>;
  concurrency: number;
  prefetch: number;
  requeueDelayMs: number;
  logger: QueueLogger;
}

/**
 * One subscription to the queue, on its own channel, re-made on every new connection. Ids are acked
 * when the handler resolves and nacked with requeue, after a pause, when it rejects; ids a channel
 * held unacked when it died go back to the queue on the broker's side.
 */
export class RabbitMqConsumer implements QueueConsumer {
  readonly #gate: ConcurrencyGate;
  /** The connection subscribed to (or being subscribed to) and that subscription's outcome. */
  #subscription: { connection: ChannelModel; ready: Promise<void> } | null = null;
  #channel: Channel | null = null;
  #consumerTag: string | null = null;
  #unsubscribeFromOpens: () => void = () => {};
  #resubscribeTimer: NodeJS.Timeout | null = null;
  readonly #pauses = new Set<() => void>();
  #stopping = false;
  #stopped: Promise<void> | null = null;

  constructor(private readonly options: RabbitMqConsumerOptions) {
    this.#gate = new ConcurrencyGate(options.concurrency);
  }

  /** Subscribes now (rejecting if the broker is unreachable) and again after every reconnect. */
  async start(): Promise<void> {
    this.#unsubscribeFromOpens = this.options.connection.onOpen((connection) => {
      this.#subscribe(connection).catch((error) => this.#subscribeFailed(error));
    });
    try {
      await this.#subscribe(await this.options.connection.get());
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    this.#stopping = true;
    this.#unsubscribeFromOpens();
    if (this.#resubscribeTimer) clearTimeout(this.#resubscribeTimer);
    await this.#subscription?.ready.catch(() => {});
    const channel = this.#channel;
    if (channel && this.#consumerTag) {
      await channel.cancel(this.#consumerTag).catch((error) => {
        this.options.logger.info({ err: errorMessage(error) }, 'RabbitMQ consumer was already cancelled');
      });
    }
    for (const wake of this.#pauses) wake();
    await this.#gate.whenIdle();
    this.#channel = null;
    // Closing the channel hands back whatever it still holds unacked (prefetched, never started).
    await channel?.close().catch(() => {});
  }

  /** Subscribes on `connection` once, however many times it is asked to. */
  #subscribe(connection: ChannelModel): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    if (this.#subscription?.connection !== connection) {
      const ready = this.#openChannel(connection).catch((error: unknown) => {
        this.#resubscribeLater(connection);
        throw error;
      });
      this.#subscription = { connection, ready };
    }
    return this.#subscription.ready;
  }

  async #openChannel(connection: ChannelModel): Promise<void> {
    const channel = await connection.createChannel();
    // Before any call: amqplib turns a channel error nobody listens to into a connection failure.
    channel.on('error', (error: Error) => {
      this.options.logger.warn({ err: errorMessage(error) }, 'RabbitMQ consumer channel error');
    });
    channel.on('close', () => this.#channelClosed(connection, channel));
    const queue = await this.options.declareQueue(channel);
    // Per-consumer prefetch: quorum queues do not support the channel-wide (global) kind.
    await channel.prefetch(this.options.prefetch);
    const { consumerTag } = await channel.consume(
      queue,
      (message) => (message ? this.#deliver(channel, message) : this.#cancelledByBroker(channel)),
      { noAck: false },
    );
    this.#channel = channel;
    this.#consumerTag = consumerTag;
    this.options.logger.info({ queue, prefetch: this.options.prefetch }, 'RabbitMQ consumer subscribed');
  }

  #deliver(channel: Channel, message: ConsumeMessage): void {
    this.#gate.run(async () => {
      // A delivery that waited for a slot while its channel died or the consumer stopped is left
      // alone: the broker requeues it when the channel closes, and acking it would fail or race that.
      if (this.#stopping || this.#channel !== channel) return;
      const eventId = message.content.toString('utf8');
      try {
        await this.options.handle(eventId);
        this.#settle(eventId, () => channel.ack(message));
      } catch (error) {
        this.options.logger.warn(
          { eventId, err: errorMessage(error), requeueInMs: this.options.requeueDelayMs },
          'Event handler failed; the id goes back to the queue',
        );
        await this.#pause(this.options.requeueDelayMs);
        this.#settle(eventId, () => channel.nack(message, false, true));
      }
    });
  }

  /** Acks or nacks on the delivering channel; if it has closed, the broker redelivers the id anyway. */
  #settle(eventId: string, settle: () => void): void {
    try {
      settle();
    } catch (error) {
      this.options.logger.info(
        { eventId, err: errorMessage(error) },
        'Channel closed before the outcome was sent; the broker will redeliver the id',
      );
    }
  }

  /** The broker cancels consumers of a deleted queue; re-subscribing declares it again. */
  #cancelledByBroker(channel: Channel): void {
    this.options.logger.warn({}, 'RabbitMQ cancelled the consumer (queue deleted?); re-subscribing');
    channel.close().catch(() => {});
  }

  #channelClosed(connection: ChannelModel, channel: Channel): void {
    if (this.#channel === channel) this.#channel = null;
    this.#resubscribeLater(connection);
  }

  /**
   * A lost connection re-subscribes through onOpen when it comes back; a channel closed or refused on
   * a live connection (queue deleted, channel error) is re-made here, after a pause so it cannot spin.
   */
  #resubscribeLater(connection: ChannelModel): void {
    if (this.#stopping || this.#subscription?.connection !== connection) return;
    this.#subscription = null;
    this.#resubscribeTimer ??= setTimeout(() => {
      this.#resubscribeTimer = null;
      const current = this.options.connection.current;
      // Nothing to do if onOpen has subscribed meanwhile, or if there is no connection to use yet.
      if (this.#stopping || this.#subscription || !current) return;
      this.#subscribe(current).catch((error) => this.#subscribeFailed(error));
    }, RESUBSCRIBE_DELAY_MS);
  }

  #subscribeFailed(error: unknown): void {
    this.options.logger.error({ err: errorMessage(error) }, 'RabbitMQ consumer could not subscribe');
  }

  /** Waits `ms`, or less if the consumer stops meanwhile. */
  #pause(ms: number): Promise<void> {
    if (this.#stopping || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#pauses.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#pauses.add(wake);
    });
  }
}
