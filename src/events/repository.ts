import { and, asc, count, eq, gte, inArray, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, runStatement, type Statement } from '../db/client.js';
import { type EventStatus, eventAttempts, events } from '../db/schema/index.js';
import { type SortColumns, type SortedPage, sortedPage } from '../http/sorting.js';

export type EventRow = typeof events.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;

/** What the inbox writes for a new event; the other columns take their defaults. */
export type InboxRow = Pick<
  EventRow,
  | 'id'
  | 'source'
  | 'externalId'
  | 'type'
  | 'objectId'
  | 'objectType'
  | 'livemode'
  | 'apiVersion'
  | 'payload'
  | 'occurredAt'
  | 'publishedAt'
>;

/** What the worker reads of an event it has claimed. */
export type ClaimedEvent = Pick<
  EventRow,
  | 'id'
  | 'externalId'
  | 'type'
  | 'payload'
  | 'occurredAt'
  | 'receivedAt'
  | 'status'
  | 'attempts'
  | 'nextAttemptAt'
> & { lockId: string };

/**
 * The worker's claim: the rows are locked for this transaction (rows another worker holds are
 * skipped, never waited for), each with the object it is about (`lockId`). The objects' advisory
 * locks are taken next, by `lockObjects`, once the payloads have told which other objects the
 * batch's handlers lock too: all of them in one statement and one global order, so two workers
 * claiming overlapping objects wait for each other rather than deadlock. All locks end with the
 * transaction.
 *
 * The same statement lets the transaction commit without waiting for its WAL to reach the disk
 * (`synchronous_commit` off, for this transaction only). Everything a worker transaction writes
 * is derived from inbox rows the webhook committed durably; a crash that loses it (at most the
 * last few hundred milliseconds) leaves those events unprocessed, and they are applied again. A
 * disk that stalls a flush then delays the webhook's own commit, not every event's application too.
 */
const CLAIM: Statement = {
  name: 'recur_events_claim',
  // The columns come from the locking scan itself: a row updated since the statement began is
  // read as it is now, never as the snapshot saw it (a second scan of events could see it still
  // waiting after another worker finished it).
  text: `with durability as materialized (select set_config('synchronous_commit', 'off', true)),
         claimed as materialized (
           select id, external_id, type, payload, occurred_at, received_at, status, attempts,
                  next_attempt_at, coalesce(object_id, id) as lock_id
           from events where id = any($1::text[])
           for update skip locked
         )
         select id, external_id as "externalId", type, payload, occurred_at as "occurredAt",
                received_at as "receivedAt", status, attempts, next_attempt_at as "nextAttemptAt",
                lock_id as "lockId"
         from claimed left join durability on true`,
};

const EXISTING: Statement = {
  name: 'recur_events_existing',
  text: 'select id from events where id = any($1::text[])',
};

/** Successes of a whole batch recorded in one statement (failures go one by one: see `finish`). */
const FINISH_DONE: Statement = {
  name: 'recur_events_finish_done',
  text: `update events e
         set status = done.status, attempts = done.attempts, last_error = null,
             processed_at = clock_timestamp()
         from unnest($1::text[], $2::text[], $3::int[]) as done(id, status, attempts)
         where e.id = done.id`,
};

const DUE: Statement = {
  name: 'recur_events_due',
  text: `select id from events
         where status in ('received', 'failed') and next_attempt_at <= now() and id <> all($2::text[])
         order by next_attempt_at
         limit $1
         for update skip locked`,
};

/**
 * Any number of rows in one statement of fixed text (one array per column), so it is prepared
 * once per connection whatever the batch size. DO NOTHING also absorbs a duplicate inside a batch.
 */
const INSERT_INBOX_ROWS = `insert into events (id, source, external_id, type, object_id, object_type, livemode,
                                               api_version, payload, occurred_at, published_at)
  select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                       $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[])
  on conflict (source, external_id) do nothing
  returning id`;

const INSERT: Statement = { name: 'recur_events_insert_inbox_rows', text: INSERT_INBOX_ROWS };

/**
 * The same, raising NOTIFY on channel $12 when anything was stored: the NOTIFY is sent with the
 * commit, in the insert's own round trip, and its payload names the ids stored (comma-separated),
 * so the database queue's consumers need not look them up. Ids that would not fit NOTIFY's 8,000
 * bytes are left for a look at the table: the payload is then empty. The wake-up is evaluated
 * once (materialized), and never for a batch of duplicates only.
 */
const INSERT_AND_NOTIFY: Statement = {
  name: 'recur_events_insert_inbox_rows_notify',
  text: `with stored as (${INSERT_INBOX_ROWS}),
         wake as materialized (
           select pg_notify($12, case when sum(octet_length(id) + 1) < 7900 then string_agg(id, ',') else '' end)
           from stored having count(*) > 0
         )
         select stored.id from stored left join wake on true`,
};

export interface EventFilter {
  type?: string | undefined;
  status?: EventStatus | undefined;
  objectId?: string | undefined;
  source?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

function where(filter: EventFilter): SQL | undefined {
  return and(
    filter.type
      ? filter.type.endsWith('*')
        ? sql`${events.type} like ${`${filter.type.slice(0, -1)}%`}`
        : eq(events.type, filter.type)
      : undefined,
    filter.status ? eq(events.status, filter.status) : undefined,
    filter.objectId ? eq(events.objectId, filter.objectId) : undefined,
    filter.source ? eq(events.source, filter.source) : undefined,
    filter.from ? gte(events.receivedAt, filter.from) : undefined,
    filter.to ? lte(events.receivedAt, filter.to) : undefined,
  );
}

const summaryColumns = {
  id: events.id,
  source: events.source,
  externalId: events.externalId,
  type: events.type,
  objectId: events.objectId,
  objectType: events.objectType,
  occurredAt: events.occurredAt,
  receivedAt: events.receivedAt,
  status: events.status,
  attempts: events.attempts,
  nextAttemptAt: events.nextAttemptAt,
  processedAt: events.processedAt,
  lastError: events.lastError,
};

export const EVENT_SORTS = ['received', 'occurred'] as const;
export type EventSort = (typeof EVENT_SORTS)[number];
/** Each key has a (key, id) index, so a page in any order is an index range. */
export const eventSortColumns: SortColumns<EventSort, { id: string; receivedAt: Date; occurredAt: Date }> = {
  received: { column: events.receivedAt, kind: 'time', of: (row) => row.receivedAt },
  occurred: { column: events.occurredAt, kind: 'time', of: (row) => row.occurredAt },
};

/** SQL of the inbox. */
export const eventRepository = {
  /** One durable insert; false when the (source, external id) pair was already stored. */
  async insert(db: DbOrTx, row: NewEventRow): Promise<boolean> {
    const inserted = await db.insert(events).values(row).onConflictDoNothing().returning({ id: events.id });
    return inserted.length > 0;
  },

  /**
   * The ids of the rows stored; a row whose (source, external id) was already stored is left out.
   * With `notifyChannel`, the same statement raises a NOTIFY on it when anything was stored.
   */
  async insertInboxRows(db: DbOrTx, rows: InboxRow[], notifyChannel?: string): Promise<Set<string>> {
    const stored = await runStatement<{ id: string }>(db, notifyChannel ? INSERT_AND_NOTIFY : INSERT, [
      rows.map((r) => r.id),
      rows.map((r) => r.source),
      rows.map((r) => r.externalId),
      rows.map((r) => r.type),
      rows.map((r) => r.objectId),
      rows.map((r) => r.objectType),
      rows.map((r) => r.livemode),
      rows.map((r) => r.apiVersion),
      rows.map((r) => r.payload),
      rows.map((r) => r.occurredAt),
      rows.map((r) => r.publishedAt),
      ...(notifyChannel ? [notifyChannel] : []),
    ]);
    return new Set(stored.map((r) => r.id));
  },

  /** See CLAIM. Ids missing from the answer are held by another worker, or do not exist. */
  async claim(db: DbOrTx, ids: string[]): Promise<ClaimedEvent[]> {
    return runStatement<ClaimedEvent>(db, CLAIM, [ids]);
  },

  async existingIds(db: DbOrTx, ids: string[]): Promise<Set<string>> {
    const rows = await runStatement<{ id: string }>(db, EXISTING, [ids]);
    return new Set(rows.map((r) => r.id));
  },

  async finishDone(
    db: DbOrTx,
    done: Array<{ id: string; status: 'processed' | 'ignored'; attempts: number }>,
  ): Promise<void> {
    if (done.length === 0) return;
    await runStatement(db, FINISH_DONE, [
      done.map((d) => d.id),
      done.map((d) => d.status),
      done.map((d) => d.attempts),
    ]);
  },

  async findById(db: DbOrTx, id: string): Promise<EventRow | null> {
    const [row] = await db.select().from(events).where(eq(events.id, id));
    return row ?? null;
  },

  async finish(
    db: DbOrTx,
    id: string,
    outcome: { status: EventStatus; attempts: number; nextAttemptAt?: Date; error?: string | null },
  ): Promise<void> {
    const done = outcome.status === 'processed' || outcome.status === 'ignored';
    await db
      .update(events)
      .set({
        status: outcome.status,
        attempts: outcome.attempts,
        lastError: outcome.error ?? null,
        processedAt: done ? new Date() : null,
        ...(outcome.nextAttemptAt ? { nextAttemptAt: outcome.nextAttemptAt } : {}),
        // A retry is handed to the broker again by the relay once it is due.
        ...(outcome.status === 'failed' ? { publishedAt: null } : {}),
      })
      .where(eq(events.id, id));
  },

  async recordAttempt(db: DbOrTx, attempt: typeof eventAttempts.$inferInsert): Promise<void> {
    await db.insert(eventAttempts).values(attempt);
  },

  async attempts(db: DbOrTx, eventId: string) {
    return db
      .select()
      .from(eventAttempts)
      .where(eq(eventAttempts.eventId, eventId))
      .orderBy(asc(eventAttempts.attempt));
  },

  /**
   * Ids due for processing, oldest first (the database queue's poll), leaving out the ids this
   * process already has in hand and rows other workers are processing right now (their
   * transactions hold them locked).
   */
  async due(db: DbOrTx, limit: number, exclude: string[] = []): Promise<string[]> {
    const rows = await runStatement<{ id: string }>(db, DUE, [limit, exclude]);
    return rows.map((r) => r.id);
  },

  /**
   * Ids the relay must hand to the broker: never published, a retry now due, or published long ago
   * and still not done (its message was lost: a broker restart, a consumer that died oddly).
   */
  async unpublished(
    db: DbOrTx,
    receivedBefore: Date,
    publishedBefore: Date,
    limit: number,
  ): Promise<string[]> {
    const rows = await db
      .select({ id: events.id })
      .from(events)
      .where(
        and(
          or(isNull(events.publishedAt), lt(events.publishedAt, publishedBefore)),
          inArray(events.status, ['received', 'failed']),
          // The database's clock, as the poll and the column's default use: the process clock's
          // milliseconds would call a row stored in this same millisecond not due yet.
          lte(events.nextAttemptAt, sql`now()`),
          lt(events.receivedAt, receivedBefore),
        ),
      )
      .orderBy(asc(events.receivedAt))
      .limit(limit);
    return rows.map((r) => r.id);
  },

  async markPublished(db: DbOrTx, ids: string[]): Promise<void> {
    if (ids.length) await db.update(events).set({ publishedAt: new Date() }).where(inArray(events.id, ids));
  },

  async markUnpublished(db: DbOrTx, ids: string[]): Promise<void> {
    if (ids.length) await db.update(events).set({ publishedAt: null }).where(inArray(events.id, ids));
  },

  /** Sorted as asked (newest received first by default); one row more than `limit`. */
  async list(db: DbOrTx, filter: EventFilter, page: SortedPage<EventSort>) {
    const { orderBy, after } = sortedPage(eventSortColumns, events.id, page.sort, page.cursor);
    return db
      .select(summaryColumns)
      .from(events)
      .where(and(where(filter), after))
      .orderBy(...orderBy)
      .limit(page.limit + 1);
  },

  /** Puts events back in line for processing now; returns how many. Processed ones run again too. */
  async requeue(db: DbOrTx, filter: EventFilter & { ids?: string[] }): Promise<string[]> {
    const rows = await db
      .update(events)
      .set({ status: 'received', nextAttemptAt: new Date(), publishedAt: null, attempts: 0, lastError: null })
      .where(and(where(filter), filter.ids ? inArray(events.id, filter.ids) : undefined))
      .returning({ id: events.id });
    return rows.map((r) => r.id);
  },

  /** Sets a dead letter aside (`discarded`); the event's row as it was, or null when there is none. */
  async discard(db: DbOrTx, id: string): Promise<{ status: EventRow['status'] } | null> {
    const [before] = await db
      .select({ status: events.status })
      .from(events)
      .where(eq(events.id, id))
      .for('update');
    if (!before) return null;
    if (before.status === 'dead')
      await db.update(events).set({ status: 'discarded' }).where(eq(events.id, id));
    return before;
  },

  async countByStatus(db: DbOrTx): Promise<Record<string, number>> {
    const rows = await db.select({ status: events.status, n: count() }).from(events).groupBy(events.status);
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  },

  /** Age of the oldest event waiting to be processed: the queue lag. */
  async oldestWaiting(db: DbOrTx): Promise<Date | null> {
    const [row] = await db
      .select({ at: sql<Date | null>`min(${events.receivedAt})` })
      .from(events)
      .where(inArray(events.status, ['received', 'failed']));
    return row?.at ? new Date(row.at) : null;
  },
};
