import type { Logger } from 'pino';
import { asSystem } from '../audit/context.js';
import { AppError } from '../http/errors.js';
import type { SettingsService } from '../settings/service.js';
import { PeriodicTask } from '../shared/periodic-task.js';
import type { SyncService } from './service.js';

export type TickOutcome = 'disabled' | 'not_due' | 'busy' | 'started' | 'failed';

/** Checks at least this often, so a run is never more than a minute late. */
const MAX_CHECK_EVERY_MS = 60_000;

/** An interval after the latest run of any kind started; at once when there has been none. */
export function nextRunAt(latestStart: Date | null, intervalSeconds: number, now = new Date()): Date {
  if (!latestStart) return now;
  return new Date(latestStart.getTime() + intervalSeconds * 1000);
}

/**
 * Starts an incremental sync whenever one is due and auto sync is on. Due-ness is read from
 * `sync_runs`, not kept in memory, so every worker agrees on it (the sync lock lets one of them
 * run it) and a manual run resets the clock. The toggle is read from the database at each tick, so
 * turning it off or on takes effect without a restart.
 */
export class SyncScheduler {
  private readonly task: PeriodicTask<TickOutcome>;

  constructor(
    private readonly deps: {
      syncs: SyncService;
      settings: SettingsService;
      intervalSeconds: number;
      logger: Logger;
    },
  ) {
    this.task = new PeriodicTask(
      () => this.decide(new Date()),
      Math.min(deps.intervalSeconds * 1000, MAX_CHECK_EVERY_MS),
    );
  }

  start(): void {
    this.task.start({ runNow: true });
  }

  /** No tick starts after this resolves; a run already started is the sync service's to stop. */
  stop(): Promise<void> {
    return this.task.stop();
  }

  async tick(now = new Date()): Promise<TickOutcome> {
    return (await this.task.runOnce(() => this.decide(now))) ?? 'busy';
  }

  private async decide(now: Date): Promise<TickOutcome> {
    const { syncs, settings, logger } = this.deps;
    try {
      if (!(await settings.current({ fresh: true })).autoSyncEnabled) return 'disabled';
      const latest = await syncs.latest();
      if (nextRunAt(latest?.startedAt ?? null, this.deps.intervalSeconds, now) > now) return 'not_due';
      await asSystem('scheduled_sync', () => syncs.start({ mode: 'incremental', trigger: 'schedule' }));
      return 'started';
    } catch (error) {
      if (error instanceof AppError && error.code === 'sync_running') return 'busy';
      logger.error({ err: error }, 'scheduled sync could not start');
      return 'failed';
    }
  }
}
