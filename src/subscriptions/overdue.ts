import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { PeriodicTask } from '../shared/periodic-task.js';
import { externalSubscriptionRepository as repo } from './external-repository.js';

/**
 * Suspends (past_due) external subscriptions whose billing date passed with no payment reported.
 * One UPDATE per run, so runs in several workers at once change each row once.
 */
export class OverdueCheck {
  private readonly task: PeriodicTask<string[]>;

  constructor(private readonly deps: { db: Db; intervalSeconds: number; logger: Logger }) {
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
    const suspended = await repo.suspendOverdue(this.deps.db, now);
    if (suspended.length)
      this.deps.logger.info(
        { count: suspended.length, subscriptionIds: suspended },
        'overdue subscriptions suspended',
      );
    return suspended;
  }
}
