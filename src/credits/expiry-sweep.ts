import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { PeriodicTask } from '../shared/periodic-task.js';
import { creditLedgerRepository } from '../usage/credits-ledger.js';

/**
 * Writes off the credits of lots that expired, every so often (on the retention sweep's cadence):
 * one `expiry` ledger row per lot, so the ledger's sum comes back to the live balance. A balance
 * never counts an expired lot, swept or not; the sweep keeps the ledger telling the same. Lots are
 * taken with SKIP LOCKED, so several processes may sweep at once.
 */
export class CreditExpirySweep {
  private readonly task: PeriodicTask<number>;

  constructor(private readonly deps: { db: Db; logger: Logger; intervalSeconds: number }) {
    this.task = new PeriodicTask(
      () =>
        this.sweep().catch((err) => {
          deps.logger.error({ err }, 'credit expiry sweep failed; the next run tries again');
          return 0;
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

  /** One sweep now (errors thrown): the number of lots expired; null when a sweep is already running. */
  runOnce(now = new Date()): Promise<number | null> {
    return this.task.runOnce(() => this.sweep(now));
  }

  private async sweep(now = new Date()): Promise<number> {
    let expired = 0;
    for (;;) {
      const batch = await this.deps.db.transaction((tx) => creditLedgerRepository.expire(tx, now, 500));
      expired += batch;
      if (batch < 500) break;
    }
    if (expired) this.deps.logger.info({ expired }, 'credit lots expired');
    return expired;
  }
}
