import { recordAudit } from '../audit/record.js';
import { ConflictError, NotFoundError } from '../http/errors.js';
import { movementRepository } from '../reports/movement-repository.js';
import { newId } from '../shared/ids.js';
import { Backfill, type BackfillDeps, type ProgressListener, type RunPlan } from './backfill.js';
import type { SyncLock } from './lock.js';
import {
  INCREMENTAL_MARGIN_MS,
  inRunOrder,
  LISTED_SINCE_IN_INCREMENTAL,
  type SyncMode,
  type SyncObject,
  type SyncTrigger,
} from './objects.js';
import type { ReconcileReport, Reconciler } from './reconcile.js';
import { syncRepository as repo, type SyncRunRow } from './repository.js';

/** A run is presumed dead when it has not written a heartbeat for this long. */
export const STALE_AFTER_MS = 60_000;
const HEARTBEAT_MS = 15_000;
/** A failed or interrupted run is picked up where it stopped only this soon; later, start afresh. */
const RESUME_WITHIN_MS = 24 * 60 * 60 * 1000;

export interface StartOptions {
  mode?: SyncMode | undefined;
  objects?: SyncObject[] | undefined;
  trigger: SyncTrigger;
  onProgress?: ProgressListener | undefined;
}

export interface StartedRun {
  run: SyncRunRow;
  /** Settles when the run ends, with its final row; never rejects. */
  finished: Promise<SyncRunRow>;
}

/**
 * Starts backfill runs (one at a time cluster-wide, under the sync lock), resumes those that
 * stopped half-way, records each in `sync_runs`, and answers the reconcile check.
 */
export class SyncService {
  private active: { id: string; controller: AbortController; finished: Promise<SyncRunRow> } | null = null;

  constructor(
    private readonly deps: BackfillDeps & {
      lock: SyncLock;
      reconciler: Reconciler;
      invalidatePlanCache: () => Promise<void>;
    },
  ) {}

  /** Opens a run and carries it out in the background; a second start while one runs is a 409. */
  async start(options: StartOptions): Promise<StartedRun> {
    const lock = await this.deps.lock.tryAcquire();
    if (!lock) throw await this.busyError();
    let plan: RunPlan;
    let run: SyncRunRow;
    try {
      ({ plan, run } = await this.open(options));
    } catch (error) {
      await lock.release();
      throw error;
    }
    const controller = new AbortController();
    const signal = AbortSignal.any([controller.signal, lock.lost]);
    const finished = this.carryOut(run, plan, signal, options.onProgress).finally(() => lock.release());
    this.active = { id: run.id, controller, finished };
    return { run, finished };
  }

  async get(id: string): Promise<SyncRunRow> {
    const run = await repo.findRun(this.deps.db, id);
    if (!run) throw new NotFoundError('Sync run', id);
    return run;
  }

  recent(limit = 20): Promise<SyncRunRow[]> {
    return repo.recentRuns(this.deps.db, limit);
  }

  latest(): Promise<SyncRunRow | undefined> {
    return repo.latestRun(this.deps.db);
  }

  /** Compares the mirror with Stripe; writes nothing. */
  check(objects?: SyncObject[]): Promise<ReconcileReport> {
    return this.deps.reconciler.run(inRunOrder(objects));
  }

  /** Stops this process's run (it is recorded `interrupted` and the next run resumes it). */
  async stop(): Promise<void> {
    const active = this.active;
    if (!active) return;
    active.controller.abort(new Error('shutting down'));
    await active.finished;
  }

  private async open(options: StartOptions): Promise<{ plan: RunPlan; run: SyncRunRow }> {
    const { db, logger } = this.deps;
    const mode = options.mode ?? 'full';
    const objects = inRunOrder(options.objects);
    // Holding the lock proves no other process runs a sync, unless one just lost its connection
    // and has not noticed yet: only a run silent for a minute is taken to be dead.
    for (const dead of await repo.interruptStale(db, new Date(Date.now() - STALE_AFTER_MS))) {
      logger.warn(
        { runId: dead.id, heartbeatAt: dead.heartbeatAt },
        'sync run stopped without finishing; marked interrupted',
      );
    }
    const [alive] = await repo.runningRuns(db);
    if (alive) throw busy(alive);

    const previous = await repo.latestRun(db);
    const resumed =
      previous &&
      (previous.status === 'failed' || previous.status === 'interrupted') &&
      previous.mode === mode &&
      sameObjects(previous.objects, objects) &&
      Date.now() - previous.startedAt.getTime() < RESUME_WITHIN_MS
        ? previous
        : null;
    const since =
      mode === 'incremental' ? (resumed ? resumed.since : await this.incrementalSince(objects)) : null;
    const run = await db.transaction(async (tx) => {
      const inserted = await repo.insertRun(tx, {
        id: newId('sync'),
        mode,
        trigger: options.trigger,
        objects,
        status: 'running',
        counts: resumed?.counts ?? {},
        cursor: resumed?.cursor ?? {},
        since,
      });
      await recordAudit(tx, {
        action: 'sync_run.start',
        objectType: 'sync_run',
        objectId: inserted.id,
        after: { mode, trigger: options.trigger, objects, since, resumes: resumed?.id ?? null },
      });
      return inserted;
    });
    logger.info(
      { runId: run.id, mode, trigger: options.trigger, objects, since, resumedFrom: resumed?.id },
      resumed ? 'sync run resumes a stopped one' : 'sync run started',
    );
    return { run, plan: { id: run.id, mode, objects, since, counts: run.counts, cursor: run.cursor } };
  }

  /** From the start of the last successful run that listed the same history, less a margin; null: all. */
  private async incrementalSince(objects: SyncObject[]): Promise<Date | null> {
    const history = objects.filter((o) => LISTED_SINCE_IN_INCREMENTAL.has(o));
    if (!history.length) return null;
    const last = await repo.lastSucceededCovering(this.deps.db, history);
    return last ? new Date(last.startedAt.getTime() - INCREMENTAL_MARGIN_MS) : null;
  }

  private async carryOut(
    run: SyncRunRow,
    plan: RunPlan,
    signal: AbortSignal,
    onProgress: ProgressListener | undefined,
  ): Promise<SyncRunRow> {
    const { db, logger, metrics } = this.deps;
    const heartbeat = setInterval(() => {
      repo.heartbeat(db, run.id).catch((err) => logger.warn({ err, runId: run.id }, 'sync heartbeat failed'));
    }, HEARTBEAT_MS);
    heartbeat.unref();
    let status: 'succeeded' | 'failed' | 'interrupted' = 'succeeded';
    let error: string | null = null;
    try {
      await new Backfill(this.deps, plan, { signal, onProgress }).execute();
    } catch (cause) {
      status = signal.aborted ? 'interrupted' : 'failed';
      error = signal.aborted
        ? `interrupted: ${reasonOf(signal)}`
        : cause instanceof Error
          ? cause.message
          : String(cause);
    } finally {
      clearInterval(heartbeat);
    }
    if (plan.objects.includes('products') || plan.objects.includes('prices')) {
      await this.deps
        .invalidatePlanCache()
        .catch((err) => logger.warn({ err }, 'plan cache invalidation failed'));
    }
    if (plan.objects.includes('subscriptions')) {
      // Imported subscriptions came without events: the reports derive their MRR history instead.
      await db
        .transaction((tx) => movementRepository.rebuild(tx, 'missing'))
        .catch((err) => logger.warn({ err }, 'MRR movements of imported subscriptions not derived'));
    }
    let finished: SyncRunRow | undefined;
    try {
      finished = await repo.finishRun(db, run.id, { status, error });
      if (!finished) logger.warn({ runId: run.id }, 'sync run row vanished before the run ended');
    } catch (err) {
      // The row stays `running`; its silent heartbeat lets the next run take it over.
      logger.error({ err, runId: run.id }, 'could not record the end of a sync run');
    }
    finished ??= { ...run, status, error, finishedAt: new Date() };
    if (this.active?.id === run.id) this.active = null;
    const seconds = (Date.now() - run.startedAt.getTime()) / 1000;
    metrics.runs.inc({ trigger: run.trigger, result: status });
    metrics.duration.observe({ mode: run.mode }, seconds);
    const log = status === 'succeeded' ? logger.info.bind(logger) : logger.warn.bind(logger);
    log({ runId: run.id, status, error, seconds, counts: finished.counts }, 'sync run finished');
    return finished;
  }

  private async busyError(): Promise<ConflictError> {
    const [running] = await repo.runningRuns(this.deps.db);
    return busy(running);
  }
}

function busy(running: SyncRunRow | undefined): ConflictError {
  return new ConflictError(
    'sync_running',
    running
      ? `A sync is already running (${running.id}, started ${running.startedAt.toISOString()}); try again when it ends`
      : 'A sync is already running; try again when it ends',
    running ? { run_id: running.id } : undefined,
  );
}

function sameObjects(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((o) => b.includes(o));
}

function reasonOf(signal: AbortSignal): string {
  const reason = signal.reason as unknown;
  return reason instanceof Error ? reason.message : String(reason ?? 'aborted');
}
