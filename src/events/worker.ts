import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { Db } from '../db/client.js';
import type { EventQueue, QueueConsumer } from '../queue/port.js';
import type { PiiCipher } from '../shared/crypto.js';
import type { StripeObjects } from '../stripe/objects.js';
import type { HandlerContext } from './handlers/context.js';
import type { HandlerRegistry } from './handlers/registry.js';
import type { EventMetrics } from './metrics.js';
import { eventRepository as repo } from './repository.js';

export type ProcessOutcome = 'processed' | 'ignored' | 'failed' | 'dead' | 'skipped' | 'busy' | 'missing';

export interface WorkerOptions {
  maxAttempts: number;
  concurrency: number;
  /** First retry delay; each further attempt doubles it, with ±50% jitter, up to `maxRetryDelayMs`. */
  baseRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** How often the relay looks for ids the broker never got. */
  relayIntervalMs?: number;
  /** A published event still unprocessed this long after is published again (its message was lost). */
  republishAfterMs?: number;
}

interface WorkerDeps {
  db: Db;
  queue: EventQueue;
  handlers: HandlerRegistry;
  objects: StripeObjects;
  cipher: PiiCipher;
  metrics: EventMetrics;
  logger: Logger;
}

/** The retry delay before attempt `attempts + 1`: exponential, jittered so retries do not stampede. */
export function retryDelayMs(attempts: number, base: number, max: number, random = Math.random): number {
  const exponential = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.5 + random()));
}

/**
 * Applies inbox events to the mirror: one transaction per event, the row locked, skipped when
 * already done, the object's advisory lock held so two events about one object never interleave,
 * the handler run, the outcome recorded, all committed together.
 */
export class EventWorker {
  private consumer: QueueConsumer | null = null;
  private stopping = false;
  private relayTimer: NodeJS.Timeout | null = null;
  private relayPass: Promise<void> | null = null;
  private readonly options: Required<WorkerOptions>;

  constructor(
    private readonly deps: WorkerDeps,
    options: WorkerOptions,
  ) {
    this.options = {
      maxAttempts: options.maxAttempts,
      concurrency: options.concurrency,
      baseRetryDelayMs: options.baseRetryDelayMs ?? 5_000,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 3_600_000,
      relayIntervalMs: options.relayIntervalMs ?? 2_000,
      republishAfterMs: options.republishAfterMs ?? 30_000,
    };
  }

  /**
   * Starts consuming. A broker that is down at start is waited for (with backoff) rather than
   * taken as fatal: the relay keeps the inbox's ids for it, and consuming begins once it answers.
   */
  async start(): Promise<void> {
    const { queue, logger } = this.deps;
    this.stopping = false;
    if (queue.kind !== 'database') this.startRelay();
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        const consumer = await queue.consume(
          async (id) => {
            // A failed outcome is already scheduled for retry in the table, so the message is done.
            // A busy row may be held by a worker that just died and whose session the database has
            // not dropped yet: the message must come back, so it is refused rather than acked.
            const outcome = await this.process(id);
            if (outcome === 'busy')
              throw new Error(`event ${id} is locked by another worker; deliver it again later`);
          },
          { concurrency: this.options.concurrency },
        );
        if (this.stopping) await consumer.stop();
        else this.consumer = consumer;
        return;
      } catch (error) {
        const delay = Math.min(10_000, 250 * 2 ** attempt);
        logger.warn({ err: error, retryInMs: delay }, 'queue unavailable at start; waiting for it');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.relayTimer) clearInterval(this.relayTimer);
    this.relayTimer = null;
    // A pass already under way would still send what it finds; a stopped worker sends nothing.
    await this.relayPass;
    await this.consumer?.stop();
    this.consumer = null;
  }

  async process(id: string): Promise<ProcessOutcome> {
    const { db, logger } = this.deps;
    const startedAt = new Date();
    const afterCommit: Array<() => Promise<void>> = [];
    let family = 'unknown';
    try {
      const outcome = await db.transaction(async (tx): Promise<ProcessOutcome> => {
        const row = await repo.lockForProcessing(tx, id);
        if (!row) return (await repo.findById(tx, id)) ? 'busy' : 'missing';
        if (row.status === 'processed' || row.status === 'ignored' || row.status === 'dead') return 'skipped';
        if (row.status === 'failed' && row.nextAttemptAt > new Date()) return 'skipped';
        family = row.type.split('.')[0] ?? 'unknown';
        const attempt = row.attempts + 1;
        const handler = this.deps.handlers.get(row.type);
        // Successes are recorded on the event row itself; the attempts table keeps the failures.
        if (!handler) {
          await repo.finish(tx, id, { status: 'ignored', attempts: attempt });
          return 'ignored';
        }
        const event = this.deps.cipher.decryptJson<Stripe.Event>(row.payload);
        const ctx: HandlerContext = {
          tx,
          event,
          eventAt: row.occurredAt,
          objects: this.deps.objects,
          cipher: this.deps.cipher,
          logger: logger.child({ eventId: id, eventType: row.type, stripeEventId: row.externalId }),
          afterCommit: (task) => afterCommit.push(task),
        };
        const result = await handler(ctx);
        await repo.finish(tx, id, { status: 'processed', attempts: attempt });
        ctx.logger.debug({ result }, 'event applied');
        this.deps.metrics.latency.observe((Date.now() - row.receivedAt.getTime()) / 1000);
        return 'processed';
      });
      if (outcome === 'processed' || outcome === 'ignored')
        this.deps.metrics.outcomes.inc({ family, outcome });
      for (const task of afterCommit)
        await task().catch((err) => logger.warn({ err, eventId: id }, 'after-commit task failed'));
      return outcome;
    } catch (error) {
      return this.recordFailure(id, startedAt, error);
    }
  }

  /** The handler's transaction rolled back; the failure is recorded in a transaction of its own. */
  private async recordFailure(id: string, startedAt: Date, error: unknown): Promise<ProcessOutcome> {
    const { db, logger, metrics } = this.deps;
    const message = error instanceof Error ? error.message : String(error);
    const outcome = await db.transaction(async (tx) => {
      const row = await repo.findById(tx, id);
      if (!row) return 'failed' as const;
      const attempts = row.attempts + 1;
      const dead = attempts >= this.options.maxAttempts;
      const nextAttemptAt = new Date(
        Date.now() + retryDelayMs(attempts, this.options.baseRetryDelayMs, this.options.maxRetryDelayMs),
      );
      await repo.finish(tx, id, {
        status: dead ? 'dead' : 'failed',
        attempts,
        nextAttemptAt,
        error: message,
      });
      await repo.recordAttempt(tx, {
        eventId: id,
        attempt: attempts,
        startedAt,
        finishedAt: new Date(),
        outcome: dead ? 'dead' : 'failed',
        error: message,
      });
      return dead ? ('dead' as const) : ('failed' as const);
    });
    metrics.outcomes.inc({ family: 'any', outcome });
    logger[outcome === 'dead' ? 'error' : 'warn'](
      { err: error, eventId: id, outcome },
      'event processing failed',
    );
    return outcome;
  }

  /** Hands the broker every id it never got, and every retry that has come due. */
  async relayOnce(): Promise<number> {
    const { db, queue } = this.deps;
    const ids = await repo.unpublished(
      db,
      new Date(Date.now() - 1_000),
      new Date(Date.now() - this.options.republishAfterMs),
      500,
    );
    // Claimed before they are sent (see EventInbox): no update may follow a message to its worker.
    await repo.markPublished(db, ids);
    for (const [i, id] of ids.entries()) {
      try {
        await queue.publish(id);
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'relay could not reach the queue; will try again');
        await repo.markUnpublished(db, ids.slice(i));
        return i;
      }
    }
    return ids.length;
  }

  private startRelay(): void {
    if (this.relayTimer) clearInterval(this.relayTimer);
    this.relayTimer = setInterval(() => {
      if (this.relayPass) return;
      this.relayPass = this.relayOnce()
        .then(() => {})
        .catch((err) => this.deps.logger.warn({ err }, 'relay pass failed'))
        .finally(() => {
          this.relayPass = null;
        });
    }, this.options.relayIntervalMs);
    this.relayTimer.unref();
  }
}
