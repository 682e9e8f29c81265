import { PeriodicTask } from '../shared/periodic-task.js';
import { type ErasureDeps, sweepErasures } from './erasure.js';

/**
 * Scrubs, every so often, the events that arrive about customers after their erasure (Stripe's
 * `customer.deleted` among them). Rewriting an event twice changes nothing, so workers in several
 * processes may sweep at once.
 */
export class ErasureSweep {
  private readonly task: PeriodicTask<number>;

  constructor(deps: ErasureDeps & { intervalSeconds: number }) {
    this.task = new PeriodicTask(
      () =>
        sweepErasures(deps).catch((err) => {
          deps.logger.error({ err }, 'erasure sweep failed; the next run tries again');
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

  /** One sweep now; the number of events rewritten, or null when a sweep is already running. */
  runOnce(): Promise<number | null> {
    return this.task.runOnce();
  }
}
