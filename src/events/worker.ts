import type { Logger } from 'pino';
import type { Db, Tx } from '../db/client.js';
import { lockObjects } from '../mirror/locks.js';
import type { EventQueue, QueueConsumer } from '../queue/port.js';
import { deferringRollups } from '../reports/rollup-deltas.js';
import type { PiiCipher } from '../shared/crypto.js';
import { PeriodicTask } from '../shared/periodic-task.js';
import type { StripeObjects } from '../stripe/objects.js';
import { Batcher } from './batcher.js';
import type { HandledEvent, HandlerContext } from './handlers/context.js';
import type { HandlerRegistry } from './handlers/registry.js';
import type { EventMetrics } from './metrics.js';
import { objectsLockedWith } from './object-locks.js';
import { type ClaimedEvent, eventRepository as repo } from './repository.js';

export type ProcessOutcome = 'processed' | 'ignored' | 'failed' | 'dead' | 'skipped' | 'busy' | 'missing';

/** One event's end in a batch: its outcome, or the error that left it to be delivered again. */
type Settled = { outcome: ProcessOutcome } | { error: unknown };

export interface WorkerOptions {
  maxAttempts: number;
  concurrency: number;
  /** How long an event waits for others to share its transaction (see `BatcherOptions.lingerMs`). */
  batchWindowMs?: number;
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
 * Applies inbox events to the mirror. Events delivered together share a transaction (see
 * `processMany`); within it each event's row is locked, skipped when already done, the object's
 * advisory lock held so two events about one object never interleave, the handler run and the
 * outcome recorded, all committed together.
 */
export class EventWorker {
  private consumer: QueueConsumer | null = null;
  private stopping = false;
  private readonly relay: PeriodicTask<void>;
  private readonly options: Required<WorkerOptions>;
  /** Deliveries arriving while a batch is in flight are applied together in the next one. */
  private readonly batcher: Batcher<string, Settled>;

  constructor(
    private readonly deps: WorkerDeps,
    options: WorkerOptions,
  ) {
    this.options = {
      maxAttempts: options.maxAttempts,
      concurrency: options.concurrency,
      batchWindowMs: options.batchWindowMs ?? 0,
      baseRetryDelayMs: options.baseRetryDelayMs ?? 5_000,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 3_600_000,
      relayIntervalMs: options.relayIntervalMs ?? 2_000,
      republishAfterMs: options.republishAfterMs ?? 30_000,
    };
    this.relay = new PeriodicTask(
      () =>
        this.relayOnce().then(
          () => {},
          (err) => deps.logger.warn({ err }, 'relay pass failed'),
        ),
      this.options.relayIntervalMs,
    );
    // Two batches in flight: one applies its events while the other waits for its commit.
    this.batcher = new Batcher((ids) => this.processMany(ids), {
      maxBatch: Math.max(1, this.options.concurrency),
      maxConcurrent: 2,
      lingerMs: this.options.batchWindowMs,
    });
  }

  /**
   * Starts consuming. A broker that is down at start is waited for (with backoff) rather than
   * taken as fatal: the relay keeps the inbox's ids for it, and consuming begins once it answers.
   */
  async start(): Promise<void> {
    const { queue, logger } = this.deps;
    this.stopping = false;
    if (queue.kind !== 'database') this.relay.start();
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        const consumer = await queue.consume(
          async (id) => {
            // A failed outcome is already scheduled for retry in the table, so the message is done.
            // A busy row may be held by a worker that just died and whose session the database has
            // not dropped yet: the message must come back, so it is refused rather than acked.
            const settled = await this.batcher.submit(id);
            if ('error' in settled) throw settled.error;
            if (settled.outcome === 'busy')
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
    // A pass already under way would still send what it finds; a stopped worker sends nothing.
    await this.relay.stop();
    await this.consumer?.stop();
    this.consumer = null;
  }

  /**
   * Applies one event in a transaction of its own, recording a failure for retry or dead letter.
   * Deliveries from the queue go through `processMany`; this is also its one-by-one fallback.
   */
  async process(id: string): Promise<ProcessOutcome> {
    const startedAt = new Date();
    try {
      const [outcome] = await this.applyTogether([id]);
      return outcome!;
    } catch (error) {
      return this.recordFailure(id, startedAt, error);
    }
  }

  /**
   * Events delivered at the same time, applied in one transaction: one claim, one outcome update
   * and one commit for all of them. Should any fail, that transaction rolls back as a whole and
   * each event is applied again in a transaction of its own, so the failure is recorded against
   * its own event only (retries and dead letters stay per event) and the others still commit.
   */
  private async processMany(ids: string[]): Promise<Settled[]> {
    if (ids.length > 1) {
      try {
        return (await this.applyTogether(ids)).map((outcome) => ({ outcome }));
      } catch (error) {
        this.deps.logger.debug({ err: error, events: ids.length }, 'batch rolled back; applying one by one');
      }
    }
    const settled: Settled[] = [];
    for (const id of ids) {
      settled.push(
        await this.process(id).then(
          (outcome) => ({ outcome }),
          (error: unknown) => ({ error }),
        ),
      );
    }
    return settled;
  }

  /** One transaction over `ids`; throws (having rolled back everything) when any handler fails. */
  private async applyTogether(ids: string[]): Promise<ProcessOutcome[]> {
    const { db, metrics } = this.deps;
    const afterCommit: Array<{ id: string; task: () => Promise<void> }> = [];
    const applied: Array<{ type: string; receivedAt: Date; outcome: 'processed' | 'ignored' }> = [];
    const outcomes = await db.transaction(async (tx) => {
      const unique = [...new Set(ids)];
      const claimed = new Map((await repo.claim(tx, unique)).map((row) => [row.id, row]));
      const outcomeOf = new Map<string, ProcessOutcome>();
      const unclaimed = unique.filter((id) => !claimed.has(id));
      if (unclaimed.length > 0) {
        const existing = await repo.existingIds(tx, unclaimed);
        for (const id of unclaimed) outcomeOf.set(id, existing.has(id) ? 'busy' : 'missing');
      }
      const events = new Map([...claimed.values()].map((row) => [row.id, this.eventOf(row)]));
      // Every object lock the batch will need, at once and in one order (see object-locks.ts).
      await lockObjects(
        tx,
        [...claimed.values()].flatMap((row) => {
          const event = events.get(row.id);
          return [row.lockId, ...(event ? objectsLockedWith(event) : [])];
        }),
      );
      const done: Array<{ id: string; status: 'processed' | 'ignored'; attempts: number }> = [];
      // The rollups' additions are written together at the end, after every other lock (rollup-deltas.ts).
      await deferringRollups(tx, async () => {
        // In delivery order, not lock order: events about one object apply oldest first.
        for (const id of unique) {
          const row = claimed.get(id);
          if (!row) continue;
          const outcome = await this.apply(tx, row, events.get(id) ?? null, (task) =>
            afterCommit.push({ id, task }),
          );
          outcomeOf.set(id, outcome);
          if (outcome === 'processed' || outcome === 'ignored') {
            // Successes are recorded on the event row itself; the attempts table keeps the failures.
            done.push({ id, status: outcome, attempts: row.attempts + 1 });
            applied.push({ type: row.type, receivedAt: row.receivedAt, outcome });
          }
        }
      });
      await repo.finishDone(tx, done);
      return ids.map((id) => outcomeOf.get(id)!);
    });
    for (const { type, receivedAt, outcome } of applied) {
      metrics.outcomes.inc({ family: type.split('.')[0] ?? 'unknown', outcome });
      if (outcome === 'processed') metrics.latency.observe((Date.now() - receivedAt.getTime()) / 1000);
    }
    for (const { id, task } of afterCommit)
      await task().catch((err) => this.deps.logger.warn({ err, eventId: id }, 'after-commit task failed'));
    return outcomes;
  }

  /** One claimed event inside the batch's transaction (its row and object locks held). */
  /** The payload of an event this worker has a handler for and that is still to be applied. */
  private eventOf(row: ClaimedEvent): HandledEvent | null {
    if (!this.pending(row) || !this.deps.handlers.has(row.type)) return null;
    return this.deps.cipher.decryptJson<HandledEvent>(row.payload);
  }

  private pending(row: ClaimedEvent): boolean {
    if (['processed', 'ignored', 'dead', 'discarded'].includes(row.status)) return false;
    return !(row.status === 'failed' && row.nextAttemptAt > new Date());
  }

  private async apply(
    tx: Tx,
    row: ClaimedEvent,
    event: HandledEvent | null,
    afterCommit: (task: () => Promise<void>) => void,
  ): Promise<ProcessOutcome> {
    if (!this.pending(row)) return 'skipped';
    const handler = this.deps.handlers.get(row.type);
    if (!handler || !event) return 'ignored';
    const { logger, objects, cipher } = this.deps;
    let eventLogger: Logger | null = null;
    const ctx: HandlerContext = {
      tx,
      event,
      eventAt: row.occurredAt,
      objects,
      cipher,
      // Made on first use only: most events never log, and a child logger per event is not free.
      get logger() {
        eventLogger ??= logger.child({ eventId: row.id, eventType: row.type, stripeEventId: row.externalId });
        return eventLogger;
      },
      afterCommit,
    };
    const result = await handler(ctx);
    if (logger.isLevelEnabled('debug')) ctx.logger.debug({ result }, 'event applied');
    return 'processed';
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
}
