import { type ChannelModel, connect } from 'amqplib';
import { errorMessage, QueueError } from './errors.js';
import type { QueueLogger } from './logger.js';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;
const CONNECT_TIMEOUT_MS = 5_000;
/** Heartbeat interval: a link silent for about two of these is declared dead (half-open TCP, a paused VM). */
const HEARTBEAT_SECONDS = 10;

/**
 * One AMQP connection that opens on first use and reopens itself after any loss, with exponential
 * backoff and jitter, until closed. Between attempts it fails fast rather than queueing work: a
 * caller gets a `queue_unavailable` QueueError at once (during an attempt, once that attempt fails,
 * within CONNECT_TIMEOUT_MS), so the API can answer and the relay re-sends later, while consumers
 * re-subscribe through `onOpen` when the broker is back.
 */
export class ReconnectingAmqpConnection {
  #current: ChannelModel | null = null;
  #opening: Promise<ChannelModel> | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #failures = 0;
  #lastError: unknown = null;
  #blockedReason: string | null = null;
  #closed = false;
  readonly #openListeners = new Set<(connection: ChannelModel) => void>();
  readonly #url: string;

  constructor(
    url: string,
    private readonly name: string,
    private readonly logger: QueueLogger,
  ) {
    // amqplib takes the heartbeat from the URL; one given there wins.
    const parsed = new URL(url);
    if (!parsed.searchParams.has('heartbeat'))
      parsed.searchParams.set('heartbeat', String(HEARTBEAT_SECONDS));
    this.#url = parsed.toString();
  }

  /** The open connection, opening it if needed; rejects at once while the broker is known down. */
  async get(): Promise<ChannelModel> {
    if (this.#closed) throw new QueueError('queue_closed', 'The RabbitMQ queue adapter is closed');
    if (this.#current) return this.#current;
    if (this.#opening) return this.#opening;
    if (this.#retryTimer) throw this.#unavailable();
    return this.#open();
  }

  /** The open connection, if there is one right now. */
  get current(): ChannelModel | null {
    return this.#current;
  }

  /** Set while the broker blocks publishers (memory or disk alarm); publishes would only hang. */
  get blockedReason(): string | null {
    return this.#blockedReason;
  }

  /** Calls `listener` with each connection opened from now on; returns the unsubscribe function. */
  onOpen(listener: (connection: ChannelModel) => void): () => void {
    this.#openListeners.add(listener);
    return () => this.#openListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const connection = this.#current ?? (await this.#opening?.catch(() => null));
    this.#current = null;
    // Closing an already closed connection throws; either way it is closed now.
    await connection?.close().catch(() => {});
  }

  #open(): Promise<ChannelModel> {
    this.#opening = this.#connect().finally(() => {
      this.#opening = null;
    });
    return this.#opening;
  }

  async #connect(): Promise<ChannelModel> {
    let connection: ChannelModel;
    try {
      connection = await connect(this.#url, {
        timeout: CONNECT_TIMEOUT_MS,
        // Shown by `rabbitmqctl list_connections client_properties` and the management UI.
        clientProperties: { connection_name: this.name },
      });
    } catch (error) {
      this.#failed(error);
      throw this.#unavailable();
    }
    connection.on('error', (error: Error) => {
      this.logger.warn({ err: errorMessage(error) }, 'RabbitMQ connection error');
    });
    connection.on('close', (error?: Error) => this.#lost(connection, error));
    connection.on('blocked', (reason: string) => {
      this.#blockedReason = reason;
      this.logger.warn({ reason }, 'RabbitMQ is blocking publishers');
    });
    connection.on('unblocked', () => {
      this.#blockedReason = null;
      this.logger.info({}, 'RabbitMQ accepts publishers again');
    });
    if (this.#closed) {
      await connection.close().catch(() => {});
      throw new QueueError('queue_closed', 'The RabbitMQ queue adapter is closed');
    }
    this.#current = connection;
    this.#blockedReason = null;
    this.logger.info({ failedAttempts: this.#failures }, 'RabbitMQ connected');
    this.#failures = 0;
    for (const listener of this.#openListeners) listener(connection);
    return connection;
  }

  #lost(connection: ChannelModel, error: Error | undefined): void {
    if (this.#current !== connection) return;
    this.#current = null;
    if (this.#closed) return;
    this.#failed(error ?? new Error('connection closed'));
  }

  #failed(error: unknown): void {
    this.#lastError = error;
    this.#failures++;
    if (this.#closed || this.#retryTimer) return;
    const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.#failures - 1));
    const delay = Math.round(backoff * (0.8 + Math.random() * 0.4));
    // One warning per outage; the attempts that follow are routine.
    const fields = { err: errorMessage(error), attempt: this.#failures, retryInMs: delay };
    if (this.#failures === 1) this.logger.warn(fields, 'RabbitMQ unreachable; reconnecting');
    else this.logger.info(fields, 'RabbitMQ still unreachable; reconnecting');
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      // A failed attempt schedules the next one itself.
      this.#open().catch(() => {});
    }, delay);
  }

  #unavailable(): QueueError {
    return new QueueError('queue_unavailable', `RabbitMQ is unreachable: ${errorMessage(this.#lastError)}`, {
      cause: this.#lastError,
    });
  }
}
