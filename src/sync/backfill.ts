import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { Db, Tx } from '../db/client.js';
import type { SyncObjectCounts } from '../db/schema/sync.js';
import { isMissingCursor, type ListedObject, type ListPage, type StripeLists } from '../stripe/lists.js';
import { type Ask, customerPaymentMethodPages, remainingSubscriptionItems } from './listing.js';
import type { SyncMetrics } from './metrics.js';
import type { MirrorWriter } from './mirror-writer.js';
import {
  addCounts,
  type Counts,
  LISTED_SINCE_IN_INCREMENTAL,
  type SyncMode,
  type SyncObject,
  zeroCounts,
} from './objects.js';
import type { StripeCaller } from './pacing.js';
import { syncRepository as repo } from './repository.js';

/** The state a run starts from: fresh, or carried over from the run it resumes. */
export interface RunPlan {
  id: string;
  mode: SyncMode;
  objects: SyncObject[];
  /** Incremental runs list history created at or after this time; null lists everything. */
  since: Date | null;
  counts: SyncObjectCounts;
  /** Per type: the last id applied, or null once the type is done. Absent: not started. */
  cursor: Record<string, string | null>;
}

/** `fraction` is known only where the total is (payment methods: customers done of all). */
export type ProgressListener = (object: SyncObject, counts: Counts, fraction: number | null) => void;

export interface BackfillDeps {
  db: Db;
  lists: StripeLists;
  writer: MirrorWriter;
  call: StripeCaller;
  metrics: SyncMetrics;
  logger: Logger;
}

const CUSTOMER_BATCH = 100;

/** Names the object type a run failed on, so the recorded error says where it stopped. */
export class SyncObjectError extends Error {
  constructor(
    readonly object: SyncObject,
    cause: unknown,
  ) {
    super(`${object}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * One run of the backfill: each requested type listed page by page, each page applied to the mirror
 * in one transaction together with the run's counts and cursor, so a run that dies resumes after the
 * last page it applied and never skips one.
 */
export class Backfill {
  private readonly counts: SyncObjectCounts;
  private readonly cursor: Record<string, string | null>;

  constructor(
    private readonly deps: BackfillDeps,
    private readonly plan: RunPlan,
    private readonly options: { signal: AbortSignal; onProgress?: ProgressListener | undefined },
  ) {
    this.counts = structuredClone(plan.counts);
    this.cursor = { ...plan.cursor };
  }

  async execute(): Promise<void> {
    for (const object of this.plan.objects) {
      this.options.signal.throwIfAborted();
      try {
        // null: finished by the run this one resumes.
        if (this.cursor[object] !== null) {
          if (object === 'payment_methods') await this.syncPaymentMethods();
          else await this.syncList(object);
        }
      } catch (error) {
        if (this.options.signal.aborted) throw error;
        throw new SyncObjectError(object, error);
      }
      this.options.onProgress?.(object, this.countsOf(object), 1);
    }
  }

  private async syncList(object: ListedObject): Promise<void> {
    const since = this.plan.since;
    const createdGte =
      this.plan.mode === 'incremental' && since && LISTED_SINCE_IN_INCREMENTAL.has(object)
        ? Math.floor(since.getTime() / 1000)
        : undefined;
    const fetch = (startingAfter: string | undefined) =>
      this.ask(() => this.deps.lists.page(object, { startingAfter, createdGte }));
    let page = await this.firstPage(object, this.cursor[object] ?? undefined, fetch);
    for (;;) {
      const fullItems =
        object === 'subscriptions'
          ? await remainingSubscriptionItems(this.deps.lists, this.ask, page.data as Stripe.Subscription[])
          : undefined;
      const last = page.data.at(-1)?.id;
      const done = !page.hasMore || !last;
      const current = page;
      await this.commitPage(object, done ? null : last!, (tx) =>
        this.deps.writer.applyPage(tx, object, current.data, current.asOf, fullItems),
      );
      this.options.onProgress?.(object, this.countsOf(object), null);
      if (done) return;
      page = await fetch(last);
    }
  }

  /** The first page, from the saved cursor; when that object was deleted, from the start. */
  private async firstPage(
    object: ListedObject,
    startingAfter: string | undefined,
    fetch: (startingAfter: string | undefined) => Promise<ListPage<{ id: string }>>,
  ): Promise<ListPage<{ id: string }>> {
    try {
      return await fetch(startingAfter);
    } catch (error) {
      if (!startingAfter || !isMissingCursor(error)) throw error;
      // Stripe cannot page after an object that is gone, so the listing starts over.
      this.deps.logger.warn(
        { object, cursor: startingAfter },
        'sync cursor object is gone; listing from the start',
      );
      return fetch(undefined);
    }
  }

  /**
   * Stripe has no account-wide list of attached payment methods, so they are listed per customer of
   * the mirror, in id order; the cursor is the last customer done. A card detached since it was
   * mirrored is no longer listed, so it is read on its own to record that it left.
   */
  private async syncPaymentMethods(): Promise<void> {
    const { db } = this.deps;
    const total = await repo.countLiveCustomers(db);
    let after = this.cursor.payment_methods ?? null;
    let done = after ? await repo.countLiveCustomers(db, after) : 0;
    for (;;) {
      const customerIds = await repo.customerIdsAfter(db, after, CUSTOMER_BATCH);
      if (!customerIds.length) break;
      for (const customerId of customerIds) {
        const pages = await customerPaymentMethodPages(this.deps.lists, this.ask, customerId);
        const listed = new Set(pages.flatMap((p) => p.data.map((m) => m.id)));
        const mirrored = await repo.paymentMethodIdsOf(db, customerId);
        for (const id of mirrored.filter((m) => !listed.has(m))) {
          pages.push(await this.ask(() => this.deps.lists.paymentMethod(id)));
        }
        await this.commitPage('payment_methods', customerId, async (tx) => {
          let counts = zeroCounts();
          for (const page of pages) {
            counts = addCounts(
              counts,
              await this.deps.writer.applyPage(tx, 'payment_methods', page.data, page.asOf),
            );
          }
          return counts;
        });
        done++;
        this.options.onProgress?.(
          'payment_methods',
          this.countsOf('payment_methods'),
          total ? done / total : null,
        );
      }
      after = customerIds.at(-1)!;
    }
    await this.commitPage('payment_methods', null, async () => zeroCounts());
  }

  /** The page's writes, the run's counts and its cursor, in one transaction. */
  private async commitPage(
    object: SyncObject,
    cursor: string | null,
    apply: (tx: Tx) => Promise<Counts>,
  ): Promise<void> {
    let pageCounts = zeroCounts();
    const counts = { ...this.counts };
    await this.deps.db.transaction(async (tx) => {
      pageCounts = await apply(tx);
      counts[object] = addCounts(this.countsOf(object), pageCounts);
      await repo.saveProgress(tx, this.plan.id, { counts, cursor: { ...this.cursor, [object]: cursor } });
    });
    this.counts[object] = counts[object]!;
    this.cursor[object] = cursor;
    for (const outcome of ['created', 'updated', 'skipped'] as const) {
      if (pageCounts[outcome]) this.deps.metrics.objects.inc({ object, outcome }, pageCounts[outcome]);
    }
  }

  private countsOf(object: SyncObject): Counts {
    return this.counts[object] ?? zeroCounts();
  }

  private readonly ask: Ask = (operation) =>
    this.deps.call(operation, {
      signal: this.options.signal,
      onRetry: (error, retry, delayMs) =>
        this.deps.logger.warn(
          {
            runId: this.plan.id,
            retry,
            delayMs,
            error: error instanceof Error ? error.message : String(error),
          },
          'stripe call failed; retrying',
        ),
    });
}
