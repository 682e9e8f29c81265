import type { Logger } from 'pino';
import { announceExpiredAccess } from '../app-webhooks/access-expiry.js';
import type { ChangeAnnouncer } from '../app-webhooks/announcements.js';
import { wantedTypes } from '../app-webhooks/wanted-types.js';
import type { Db } from '../db/client.js';
import { lockObjects } from '../mirror/locks.js';
import { PeriodicTask } from '../shared/periodic-task.js';
import { externalSubscriptionRepository as repo } from './external-repository.js';

/**
 * Suspends (past_due) external subscriptions whose billing date passed with no payment reported.
 * One UPDATE per run, so runs in several workers at once change each row once.
 */
export class OverdueCheck {
  private readonly task: PeriodicTask<string[]>;

  constructor(
    private readonly deps: {
      db: Db;
      intervalSeconds: number;
      logger: Logger;
      /** Tells the host app of the suspensions and of access that ended by time. */
      announcer: ChangeAnnouncer;
      graceDays: number;
    },
  ) {
    this.task = new PeriodicTask(
      () =>
        this.runOnce().catch((err) => {
          deps.logger.error({ err }, 'overdue check failed; the next run tries again');
          return [];
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

  /** The ids suspended by this run. */
  async runOnce(now = new Date()): Promise<string[]> {
    const suspended = await this.suspend(now);
    if (suspended.length)
      this.deps.logger.info(
        { count: suspended.length, subscriptionIds: suspended },
        'overdue subscriptions suspended',
      );
    const { announcer, graceDays, db } = this.deps;
    // A week back: a check that did not run for days still tells of the access that ended meanwhile.
    await announceExpiredAccess(db, announcer, { now, graceDays, lookbackDays: 7 });
    return suspended;
  }

  /**
   * With endpoints to tell, the overdue rows are read first and their (and their owners') locks
   * taken, as an event's would be, so the announcements compare what the update changed.
   */
  private async suspend(now: Date): Promise<string[]> {
    return this.deps.db.transaction(async (tx) => {
      if ((await wantedTypes(tx)).size === 0) return repo.suspendOverdue(tx, now);
      const due = await repo.overdue(tx, now);
      if (due.length === 0) return [];
      await lockObjects(
        tx,
        due.flatMap((row) => [row.id, row.customerId]),
      );
      const ids = due.map((row) => row.id);
      return this.deps.announcer.around(
        tx,
        { subscriptions: ids },
        { key: `overdue:${now.toISOString()}`, at: now },
        () => repo.suspendOverdue(tx, now, ids),
      );
    });
  }
}
