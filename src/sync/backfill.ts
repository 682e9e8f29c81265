import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { Db, Tx } from '../db/client.js';
import type { SyncObjectCounts } from '../db/schema/sync.js';
import { lockObjects } from '../mirror/locks.js';
import {
  isMissingCursor,
  type ListedObject,
  type ListedObjects,
  type ListPage,
  type StripeLists,
} from '../stripe/lists.js';
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
import { readAhead } from './read-ahead.js';
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

/**
 * Pages read ahead of the writes: a second of requests at Stripe's test-mode pace (25/s), which
 * covers the slowest pages to write (a catalog's, about 2 ms an object), and at most 2,500 objects
 * held in memory.
 */
const PAGES_AHEAD = 25;

/** One listed page, ready to be written with the cursor to save beside it. */
interface ListedPage {
  object: ListedObject;
  page: ListPage<ListedObjects[ListedObject]>;
  /** Subscriptions: the complete items of those the listing embedded only a first page of. */
  fullItems: Map<string, Stripe.SubscriptionItem[]> | undefined;
  /** The page's last id, or null when it is its type's last page. */
  cursor: string | null;
}

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
    const { objects } = this.plan;
    for (const finished of objects.filter((object) => this.cursor[object] === null)) {
      this.options.onProgress?.(finished, this.countsOf(finished), 1);
    }
    // Payment methods are listed per customer of the mirror, so they wait for the customers to be
    // written; the listed types on either side of them are each read as one stream.
    const at = objects.indexOf('payment_methods');
    const before = (at < 0 ? objects : objects.slice(0, at)) as ListedObject[];
    const after = (at < 0 ? [] : objects.slice(at + 1)) as ListedObject[];
    await this.syncLists(before);
    if (at >= 0 && this.cursor.payment_methods !== null) {
      this.options.signal.throwIfAborted();
      await this.syncPaymentMethods().catch((error) => this.fail('payment_methods', error));
      this.options.onProgress?.('payment_methods', this.countsOf('payment_methods'), 1);
    }
    await this.syncLists(after);
  }

  /**
   * The pages of `objects`, in order, each applied in a transaction of its own. Pages are read up to
   * PAGES_AHEAD ahead of the writes, across the types too, so the rate limit alone sets the pace:
   * a slow page (a catalog's, say) is written while the next ones are being asked for.
   */
  private async syncLists(objects: ListedObject[]): Promise<void> {
    const stop = new AbortController();
    const signal = AbortSignal.any([this.options.signal, stop.signal]);
    const pending = objects.filter((object) => this.cursor[object] !== null);
    // Only a listing of every customer, from its first page, shows which ones Stripe no longer has.
    const customersListed =
      pending.includes('customers') && this.cursor.customers === undefined ? new Set<string>() : null;
    let customersListedFrom: Date | null = null;
    try {
      for await (const { object, page, fullItems, cursor } of readAhead(
        this.listPages(pending, signal),
        PAGES_AHEAD,
      )) {
        // A stop takes effect between pages, also when the next one has already been read.
        this.options.signal.throwIfAborted();
        await this.commitPage(object, cursor, (tx) =>
          this.deps.writer.applyPage(tx, object, page.data, page.asOf, fullItems),
        ).catch((error) => this.fail(object, error));
        if (object === 'customers' && customersListed) {
          customersListedFrom ??= page.asOf;
          for (const item of page.data) customersListed.add(item.id);
          if (cursor === null) {
            await this.sweepDeletedCustomers(customersListed, customersListedFrom).catch((error) =>
              this.fail(object, error),
            );
          }
        }
        this.options.onProgress?.(object, this.countsOf(object), cursor === null ? 1 : null);
      }
    } finally {
      stop.abort();
    }
  }

  /**
   * Stripe lists no deleted customers, so one deleted while its webhook went missing would stay live
   * here for good. After a listing of every customer, each live customer of the mirror that it did
   * not show, though made before it began, is read on its own: one Stripe reports deleted, or does
   * not know, is marked deleted; one it still has (listed elsewhere meanwhile) is written as it is.
   */
  private async sweepDeletedCustomers(listed: ReadonlySet<string>, listedFrom: Date): Promise<void> {
    const { db, lists, writer } = this.deps;
    for (let after: string | null = null; ; ) {
      const ids = await repo.customerIdsAfter(db, after, CUSTOMER_BATCH, listedFrom);
      if (!ids.length) return;
      after = ids.at(-1)!;
      for (const id of ids.filter((id) => !listed.has(id))) {
        const { customer, asOf } = await this.ask(() => lists.customer(id));
        await this.commitPage('customers', null, async (tx) => {
          if (customer) return writer.applyPage(tx, 'customers', [customer], asOf);
          await lockObjects(tx, [id]);
          const marked = await repo.markCustomerDeleted(tx, id, asOf);
          return { ...zeroCounts(), seen: 1, [marked ? 'updated' : 'skipped']: 1 };
        });
      }
    }
  }

  /** Every page of each type in turn, from its saved cursor. */
  private async *listPages(objects: ListedObject[], signal: AbortSignal): AsyncGenerator<ListedPage> {
    const ask = this.askWith(signal);
    for (const object of objects) {
      const since = this.plan.since;
      const createdGte =
        this.plan.mode === 'incremental' && since && LISTED_SINCE_IN_INCREMENTAL.has(object)
          ? Math.floor(since.getTime() / 1000)
          : undefined;
      const fetch = (startingAfter: string | undefined) =>
        ask(() => this.deps.lists.page(object, { startingAfter, createdGte }));
      try {
        let page = await this.firstPage(object, this.cursor[object] ?? undefined, fetch);
        for (;;) {
          const fullItems =
            object === 'subscriptions'
              ? await remainingSubscriptionItems(
                  this.deps.lists,
                  ask,
                  page.data.flatMap((item) => (item.object === 'subscription' ? [item] : [])),
                )
              : undefined;
          const last = page.data.at(-1)?.id;
          const done = !page.hasMore || !last;
          yield { object, page, fullItems, cursor: done ? null : last! };
          if (done) break;
          page = await fetch(last);
        }
      } catch (error) {
        this.fail(object, error);
      }
    }
  }

  /** Rethrows a failure on `object` naming it; an abort goes on as it is. */
  private fail(object: SyncObject, error: unknown): never {
    if (this.options.signal.aborted || error instanceof SyncObjectError) throw error;
    throw new SyncObjectError(object, error);
  }

  /** The first page, from the saved cursor; when that object was deleted, from the start. */
  private async firstPage(
    object: ListedObject,
    startingAfter: string | undefined,
    fetch: (startingAfter: string | undefined) => Promise<ListPage<ListedObjects[ListedObject]>>,
  ): Promise<ListPage<ListedObjects[ListedObject]>> {
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

  private readonly ask: Ask = (operation) => this.askWith(this.options.signal)(operation);

  private askWith(signal: AbortSignal): Ask {
    return (operation) =>
      this.deps.call(operation, {
        signal,
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
}
