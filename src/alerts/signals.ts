import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { Db } from '../db/client.js';
import { conditionsRepository } from './conditions-repository.js';

/** How long counted signals wait in the process before they are added to the shared count. */
const FLUSH_EVERY_MS = 1000;

/**
 * Counts a signal (a refused webhook signature) for the alert rules, in the database so that every
 * instance's count adds up, and in the process's metric. A flood costs one statement a second per
 * process, not one per request; a count that cannot be stored is dropped (it only feeds an alert).
 */
export class SignalCounter {
  private pending = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly deps: { db: Db; signal: string; metric: Counter; logger: Logger },
    private readonly flushEveryMs = FLUSH_EVERY_MS,
  ) {}

  record(): void {
    this.deps.metric.inc();
    this.pending++;
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.flushEveryMs);
    this.timer.unref();
  }

  /** Adds what was counted so far to the shared count (also called on close). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flushing;
    const n = this.pending;
    if (n === 0) return;
    this.pending = 0;
    this.flushing = conditionsRepository
      .recordSignal(this.deps.db, this.deps.signal, new Date(), n)
      .catch((error) =>
        this.deps.logger.warn({ err: error, signal: this.deps.signal }, 'signal count not stored'),
      )
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
  }
}
