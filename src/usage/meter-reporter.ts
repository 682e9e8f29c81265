import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { PeriodicTask } from '../shared/periodic-task.js';
import type { MeterEventSpec } from '../stripe/index.js';
import {
  type DueOverage,
  type MeterReportRow,
  meterReportsRepository as repo,
} from './meter-reports-repository.js';

/** Sends one meter event (the Stripe half: `StripeMeters.sendEvent`). */
export interface MeterEventSender {
  sendEvent(event: MeterEventSpec): Promise<unknown>;
}

export interface MeterReporterOptions {
  /** How often the reporter runs (`RECUR_USAGE_REPORT_INTERVAL_MS`). */
  everyMs: number;
  /** Counters collected per transaction, and rows leased per send batch. */
  batchSize?: number;
  /** Meter events in flight at once. */
  concurrency?: number;
  /** How long a run asked for by `requestRun` waits for more asks to join it (default 1 s). */
  requestDelayMs?: number;
}

export interface ReportRun {
  /** `busy`: another process was collecting; its rows are sent by whoever leases them. */
  collected: number | 'busy';
  sent: number;
  failed: number;
}

/** A send in flight holds its row this long; after a crash the row is sent again (deduplicated). */
const LEASE_MS = 120_000;
const MAX_BACKOFF_MS = 3_600_000;

/** The retry delay after `attempts` failed sends: 10 s doubling, at most an hour. */
export const backoffMs = (attempts: number) =>
  Math.min(10_000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);

/**
 * A meter event's timestamp: now, kept inside the counter's period (its last second for a period
 * already over), so Stripe bills the units on that period's invoice.
 */
export function reportTimestamp(due: Pick<DueOverage, 'periodStart' | 'periodEnd'>, now: Date): Date {
  const last = due.periodEnd ? due.periodEnd.getTime() - 1000 : now.getTime();
  return new Date(Math.max(due.periodStart.getTime(), Math.min(now.getTime(), last)));
}

/**
 * Writes overage (`overage: bill`) to Stripe's meters. A run first collects, in one transaction under
 * a cluster-wide advisory lock: for each counter whose billable overage exceeds `overage_reported`, a
 * `meter_reports` row for the difference, with the counter raised to match. However many usage events
 * made it, a payer's feature gives at most one row per run. Then the pending rows are sent as meter
 * events whose `identifier` is the row id: Stripe keeps one event per identifier, so a row sent again
 * after a crash between the send and its mark counts once. A failed send is retried with backoff.
 */
export class MeterReporter {
  private readonly task: PeriodicTask<ReportRun>;
  /** The run asked for by `requestRun` that has not started yet. */
  private requested: Promise<ReportRun> | undefined;
  /** Every run asked for by `requestRun` that has not ended, waiting or running. */
  private readonly asked = new Set<Promise<void>>();
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly requestDelayMs: number;

  constructor(
    private readonly deps: { db: Db; sender: MeterEventSender; logger: Logger },
    options: MeterReporterOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.concurrency = options.concurrency ?? 4;
    this.requestDelayMs = options.requestDelayMs ?? 1000;
    this.task = new PeriodicTask(() => this.pass(new Date()), options.everyMs);
  }

  start(): void {
    this.task.start({ runNow: true });
  }

  /** Ends the schedule, then waits for the scheduled run in flight and every asked-for run. */
  async stop(): Promise<void> {
    await this.task.stop();
    await this.idle();
  }

  /**
   * Resolves once no run asked for by `requestRun` is waiting or running: nothing this reporter
   * was asked to do can still write a row (a shutdown; a test's reset between two stories).
   */
  async idle(): Promise<void> {
    while (this.asked.size > 0) await Promise.all(this.asked);
  }

  /** One run now (the admin flush); waits for a run in flight to end, then runs its own. */
  runNow(now?: Date): Promise<ReportRun> {
    return this.runWhenFree(() => now ?? new Date());
  }

  /**
   * A run soon, shared by every ask made before it starts: a renewal asks for one, and a worker
   * applying a batch of renewals asks once per invoice, so the asks of the next
   * `requestDelayMs` join one run instead of queueing a run each. Each ask is still followed by a
   * run that starts after it, the only promise a renewal needs: Stripe finalizes a renewal's draft
   * invoice about an hour after making it, and the meter events must reach it before then.
   */
  requestRun(): Promise<ReportRun> {
    if (this.requested) return this.requested;
    const run = (async () => {
      await new Promise((resolve) => setTimeout(resolve, this.requestDelayMs));
      return this.runWhenFree(() => {
        this.requested = undefined;
        return new Date();
      });
    })();
    const ended = run.then(
      () => undefined,
      () => undefined,
    );
    this.asked.add(ended);
    void ended.then(() => this.asked.delete(ended));
    this.requested = run;
    return run;
  }

  /** Waits for a run in flight to end, then runs one at the time `starting` gives as it starts. */
  private async runWhenFree(starting: () => Date): Promise<ReportRun> {
    for (;;) {
      const run = await this.task.runOnce(() => this.pass(starting()));
      if (run) return run;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async pass(now: Date): Promise<ReportRun> {
    const collected = await this.collect(now);
    const { sent, failed } = await this.send(now);
    if (collected !== 0 || sent !== 0 || failed !== 0) {
      this.deps.logger.info({ collected, sent, failed }, 'usage reported to meters');
    }
    return { collected, sent, failed };
  }

  /** Rows for every counter with unreported overage, in batches; `busy` when another process collects. */
  async collect(now: Date): Promise<number | 'busy'> {
    let total = 0;
    for (;;) {
      const made = await this.deps.db.transaction(async (tx) => {
        if (!(await repo.tryCollectLock(tx))) return null;
        const due = await repo.lockDue(tx, this.batchSize);
        for (const counter of due) await repo.record(tx, counter, reportTimestamp(counter, now), now);
        return due.length;
      });
      if (made === null) return total > 0 ? total : 'busy';
      total += made;
      if (made < this.batchSize) return total;
    }
  }

  /** Sends the pending rows that are due, `concurrency` at a time. */
  async send(now: Date): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    for (;;) {
      const rows = await this.deps.db.transaction((tx) => repo.lease(tx, now, LEASE_MS, this.batchSize));
      for (let i = 0; i < rows.length; i += this.concurrency) {
        const results = await Promise.all(
          rows.slice(i, i + this.concurrency).map((row) => this.sendOne(row)),
        );
        for (const ok of results) ok ? sent++ : failed++;
      }
      if (rows.length < this.batchSize) return { sent, failed };
    }
  }

  private async sendOne(row: MeterReportRow): Promise<boolean> {
    const { db, sender, logger } = this.deps;
    try {
      await sender.sendEvent({
        eventName: row.eventName,
        identifier: row.id,
        customerId: row.stripeCustomerId,
        value: row.value,
        timestamp: row.occurredAt,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retryAt = new Date(Date.now() + backoffMs(row.attempts));
      await db.transaction((tx) => repo.markFailed(tx, row.id, message, retryAt));
      logger.warn(
        { reportId: row.id, attempts: row.attempts, err: message },
        'meter event not sent; retried later',
      );
      return false;
    }
    await repo.markSent(db, row.id, new Date());
    return true;
  }
}
