import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Channel, ConfirmChannel } from 'amqplib';
import { asQueueError, errorMessage, QueueError } from './errors.js';
import { type QueueLogger, silentLogger } from './logger.js';
import type { EventQueue, QueueConsumer } from './port.js';
import { ReconnectingAmqpConnection } from './rabbitmq-connection.js';
import { RabbitMqConsumer } from './rabbitmq-consumer.js';

export interface RabbitMqQueueOptions {
  /** `amqp://user:password@host:5672/vhost` (or `amqps://`). */
  url: string;
  /** The durable quorum queue that carries the ids. */
  queueName?: string;
  /**
   * Unacked ids the broker may hand one consumer: the consumer's `concurrency` by default, never less.
   * A higher value keeps a few ids waiting locally so handlers never wait on a round trip to the broker.
   */
  prefetch?: number;
  /** Longest wait for the broker's confirm of a publish (or for `ping`). */
  publishTimeoutMs?: number;
  /** Pause before an id whose handler rejected goes back to the queue, so a failing id cannot spin. */
  requeueDelayMs?: number;
  logger?: QueueLogger;
}

/**
 * Declared on every channel that publishes or consumes. No `x-delivery-limit`: retries and dead
 * letters are the worker's, counted in the events table, so the queue only redelivers and never
 * drops an id. (RabbitMQ 4 gives quorum queues a default limit of 20 deliveries; give the queue a
 * `delivery-limit` policy there, since a policy, unlike an argument, can change without redeclaring.)
 */
const QUEUE_ARGUMENTS = { 'x-queue-type': 'quorum' };

/**
 * The event queue on RabbitMQ: a durable quorum queue, persistent messages published on a confirm
 * channel, manual acks. One connection per adapter, reopened after any loss; see
 * ReconnectingAmqpConnection for what callers see during an outage.
 */
export class RabbitMqQueue implements EventQueue {
  readonly kind = 'rabbitmq';
  readonly #queueName: string;
  readonly #prefetch: number | undefined;
  readonly #publishTimeoutMs: number;
  readonly #requeueDelayMs: number;
  readonly #logger: QueueLogger;
  readonly #connection: ReconnectingAmqpConnection;
  #publisher: ConfirmPublisher | null = null;
  #openingPublisher: Promise<ConfirmPublisher> | null = null;
  readonly #consumers = new Set<RabbitMqConsumer>();

  constructor(options: RabbitMqQueueOptions) {
    this.#queueName = options.queueName ?? 'recur.events';
    this.#prefetch = options.prefetch;
    this.#publishTimeoutMs = options.publishTimeoutMs ?? 5_000;
    this.#requeueDelayMs = options.requeueDelayMs ?? 1_000;
    this.#logger = options.logger ?? silentLogger;
    const connectionName = `recur ${this.#queueName} ${hostname()}:${process.pid}`;
    this.#connection = new ReconnectingAmqpConnection(options.url, connectionName, this.#logger);
  }

  async publish(eventId: string): Promise<void> {
    const blocked = this.#connection.blockedReason;
    if (blocked) throw new QueueError('queue_unavailable', `RabbitMQ is blocking publishers: ${blocked}`);
    const publishing = this.#openPublisher().then((publisher) => publisher.send(eventId));
    const timeoutMessage = `RabbitMQ did not confirm event ${eventId} within ${this.#publishTimeoutMs} ms`;
    await withTimeout(publishing, this.#publishTimeoutMs, timeoutMessage).catch((error: unknown) => {
      throw asQueueError(error, `RabbitMQ could not take event ${eventId}`);
    });
  }

  async consume(
    handle: (eventId: string) => Promise<void>,
    options: { concurrency: number },
  ): Promise<QueueConsumer> {
    const consumer = new RabbitMqConsumer({
      connection: this.#connection,
      declareQueue: (channel) => this.#declareQueue(channel),
      handle,
      concurrency: options.concurrency,
      prefetch: Math.max(this.#prefetch ?? options.concurrency, options.concurrency),
      requeueDelayMs: this.#requeueDelayMs,
      logger: this.#logger,
    });
    await consumer.start().catch((error: unknown) => {
      throw asQueueError(error, 'RabbitMQ consumer could not subscribe');
    });
    this.#consumers.add(consumer);
    return {
      stop: async () => {
        await consumer.stop();
        this.#consumers.delete(consumer);
      },
    };
  }

  /** Declares the queue on a fresh channel: proves the connection, the vhost and the permissions. */
  async ping(): Promise<void> {
    const check = async () => {
      const channel = await (await this.#connection.get()).createChannel();
      // Before any call: amqplib turns a channel error nobody listens to into the loss of the whole
      // connection. The refused declaration itself is reported by its rejected promise.
      channel.on('error', () => {});
      try {
        await this.#declareQueue(channel);
      } finally {
        await channel.close().catch(() => {});
      }
    };
    const timeoutMessage = `RabbitMQ did not answer within ${this.#publishTimeoutMs} ms`;
    await withTimeout(check(), this.#publishTimeoutMs, timeoutMessage).catch((error: unknown) => {
      throw asQueueError(error, 'RabbitMQ queue check failed');
    });
  }

  /** Stops every consumer (waiting for handlers in flight), then closes the connection. */
  async close(): Promise<void> {
    await Promise.all([...this.#consumers].map((consumer) => consumer.stop()));
    this.#consumers.clear();
    await this.#connection.close();
    // Later publishes then ask the closed connection for a channel and get `queue_closed`.
    this.#publisher = null;
  }

  async #declareQueue(channel: Channel): Promise<string> {
    await channel.assertQueue(this.#queueName, { durable: true, arguments: QUEUE_ARGUMENTS });
    return this.#queueName;
  }

  async #openPublisher(): Promise<ConfirmPublisher> {
    if (this.#publisher?.open) return this.#publisher;
    this.#openingPublisher ??= (async () => {
      const connection = await this.#connection.get();
      const channel = await connection.createConfirmChannel();
      // Constructed first, for its error listener (see ping).
      const publisher = new ConfirmPublisher(channel, this.#queueName, this.#logger);
      await this.#declareQueue(channel);
      this.#publisher = publisher;
      return publisher;
    })().finally(() => {
      this.#openingPublisher = null;
    });
    return this.#openingPublisher;
  }
}

/**
 * Publishes on a confirm channel. Messages are `mandatory`, so an id the broker could not route (the
 * queue was deleted) comes back as a `basic.return` before its confirm and the publish rejects,
 * instead of being confirmed and silently dropped.
 */
class ConfirmPublisher {
  open = true;
  readonly #returned = new Set<string>();

  constructor(
    private readonly channel: ConfirmChannel,
    private readonly queueName: string,
    logger: QueueLogger,
  ) {
    channel.on('return', (message) => this.#returned.add(String(message.properties.messageId)));
    channel.on('error', (error: Error) =>
      logger.warn({ err: errorMessage(error) }, 'RabbitMQ publish channel error'),
    );
    channel.on('close', () => {
      this.open = false;
    });
  }

  send(eventId: string): Promise<void> {
    const publishId = randomUUID();
    return new Promise((resolve, reject) => {
      const confirmed = (error: unknown) => {
        const returned = this.#returned.delete(publishId);
        if (error) {
          const message = `RabbitMQ did not confirm event ${eventId}: ${errorMessage(error)}`;
          reject(new QueueError('queue_unavailable', message, { cause: error }));
        } else if (returned) {
          // Retire the channel: the next publish opens another, which declares the queue again.
          this.open = false;
          this.channel.close().catch(() => {});
          const message = `RabbitMQ has no queue '${this.queueName}' for event ${eventId}`;
          reject(new QueueError('queue_unroutable', message));
        } else {
          resolve();
        }
      };
      try {
        this.channel.sendToQueue(
          this.queueName,
          Buffer.from(eventId, 'utf8'),
          { persistent: true, mandatory: true, messageId: publishId, contentType: 'text/plain' },
          confirmed,
        );
      } catch (error) {
        // The channel closed under us: amqplib throws instead of calling back.
        this.open = false;
        confirmed(error);
      }
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueError('queue_timeout', message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
