import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { PeriodicTask } from '../shared/periodic-task.js';
import { UsageService, type UsageSettings } from './service.js';

export type { UsageService };

/** How often held reservations past their expiry are released. */
const SWEEP_EVERY_MS = 30_000;

/** Usage (track, check, reservations) and the sweep that releases expired reservations. */
export function createUsage(deps: { db: Db; settings: UsageSettings; logger: Logger }): {
  usage: UsageService;
  reservationSweep: PeriodicTask<number>;
} {
  const usage = new UsageService({ ...deps, logger: deps.logger.child({ component: 'usage' }) });
  return { usage, reservationSweep: new PeriodicTask(() => usage.sweepExpired(), SWEEP_EVERY_MS) };
}
