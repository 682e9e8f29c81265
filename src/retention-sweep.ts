import { type ErasureDeps, sweepErasures } from './customers/erasure.js';
import { eventRetentionRepository } from './events/retention-repository.js';
import { PeriodicTask } from './shared/periodic-task.js';

export interface RetentionSweepResult {
  /** Events about erased customers rewritten without personal data. */
  scrubbed: number;
  /** Finished events deleted for being older than the retention. */
  pruned: number;
}

const DAY_MS = 24 * 3600_000;

/**
 * Keeps nothing longer than it should be kept, every so often: scrubs the events that arrive about
 * customers after their erasure (Stripe's own `customer.deleted` among them), and deletes finished
 * events older than the retention, when one is set. Both are safe to run in several processes at once.
 */
export class RetentionSweep {
  private readonly task: PeriodicTask<RetentionSweepResult>;

  constructor(
    private readonly deps: ErasureDeps & { intervalSeconds: number; eventRetentionDays: number | undefined },
  ) {
    this.task = new PeriodicTask(
      () =>
        this.sweep().catch((err) => {
          deps.logger.error({ err }, 'retention sweep failed; the next run tries again');
          return { scrubbed: 0, pruned: 0 };
        }),
      deps.intervalSeconds * 1000,
    );
  }

  start(): void {
    this.task.start({ runNow: true });
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One sweep now (errors thrown); null when a sweep is already running. */
  runOnce(now = new Date()): Promise<RetentionSweepResult | null> {
    return this.task.runOnce(() => this.sweep(now));
  }

  private async sweep(now = new Date()): Promise<RetentionSweepResult> {
    const scrubbed = await sweepErasures(this.deps, now);
    const pruned = await this.prune(now);
    if (scrubbed || pruned) this.deps.logger.info({ scrubbed, pruned }, 'retention sweep');
    return { scrubbed, pruned };
  }

  private async prune(now: Date): Promise<number> {
    const { eventRetentionDays: days, db } = this.deps;
    if (days === undefined) return 0;
    const before = new Date(now.getTime() - days * DAY_MS);
    let pruned = 0;
    for (;;) {
      const batch = await eventRetentionRepository.pruneBatch(db, before);
      pruned += batch;
      if (batch < eventRetentionRepository.batchSize) return pruned;
    }
  }
}
