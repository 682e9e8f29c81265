import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { externalSubscriptionRepository as repo } from './external-repository.js';

/**
 * Suspends (past_due) external subscriptions whose billing date passed with no payment reported.
 * One UPDATE per run, so runs in several workers at once change each row once.
 */
export class OverdueCheck {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly deps: { db: Db; intervalSeconds: number; logger: Logger }) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.deps.intervalSeconds * 1000);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
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

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.runOnce().catch((err) =>
      this.deps.logger.error({ err }, 'overdue check failed; the next run tries again'),
    );
    try {
      await this.running;
    } finally {
      this.running = null;
    }
  }
}
