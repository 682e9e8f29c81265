import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, targets, truncateAll } from '../../test/support/db.js';
import { queryRows } from '../db/client.js';
import { eventRepository, type InboxRow } from '../events/repository.js';
import { newId } from '../shared/ids.js';
import { DatabaseQueue, notifiedIds } from './db.js';
import type { QueueConsumer } from './port.js';
import { RecordingHandler, sleep, until } from './test-support.js';

/**
 * The database queue on the database the tests run on (PGlite, or PostgreSQL when
 * TEST_DATABASE_URL is set): wake-ups by NOTIFY, the ids they name, and the looks at the table.
 */
let database: Awaited<ReturnType<typeof openTestDatabase>>;
let consumer: QueueConsumer | null = null;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterEach(async () => {
  await consumer?.stop();
  consumer = null;
  await truncateAll(database);
});
afterAll(async () => {
  await database?.close();
});

const row = (overrides: Partial<InboxRow> = {}): InboxRow => ({
  id: newId('ev'),
  source: 'stripe',
  externalId: `evt_${newId('x')}`,
  type: 'customer.updated',
  objectId: 'cus_queue',
  objectType: 'customer',
  livemode: 'false',
  apiVersion: null,
  payload: 'sealed',
  occurredAt: new Date(),
  publishedAt: new Date(),
  ...overrides,
});

/** Stores rows without any wake-up, as if their NOTIFY had been missed. */
async function storeQuietly(...rows: InboxRow[]): Promise<string[]> {
  await eventRepository.insertInboxRows(database.db, rows);
  return rows.map((r) => r.id);
}

async function notify(payload: string): Promise<void> {
  await database.db.execute(sql`select pg_notify('recur_events', ${payload})`);
}

/** Records each delivery and marks its event processed, as the worker would. */
const settling = () =>
  new RecordingHandler(async (id) => {
    await database.db.execute(sql`update events set status = 'processed' where id = ${id}`);
  });

async function start(handler: RecordingHandler, options: { pollIntervalMs: number }): Promise<DatabaseQueue> {
  const queue = new DatabaseQueue(database, options);
  consumer = await queue.consume(handler.handle, { concurrency: 4 });
  return queue;
}

describe('the database queue', () => {
  it('reads a wake-up payload as the ids it names, or as "look at the table" when empty', () => {
    expect(notifiedIds('ev_1,ev_2')).toEqual(['ev_1', 'ev_2']);
    expect(notifiedIds('')).toBeNull();
  });

  it('hands on the ids a wake-up names without reading the table, and reads it when a wake-up names none', async () => {
    const handler = settling();
    await start(handler, { pollIntervalMs: 60_000 });
    // The look at start found nothing; these two are stored without a wake-up.
    const [missed, named] = await storeQuietly(row(), row());
    await notify(named!);
    await until(() => handler.handled.includes(named!));
    await sleep(100);
    expect(handler.deliveries).toEqual([named]);

    await notify('');
    await until(() => handler.handled.includes(missed!));
  });

  it('raises the wake-up in the storing statement, naming the ids it stored and never a duplicate', async () => {
    const payloads: string[] = [];
    const unlisten = await database.listen('recur_events', (payload) => payloads.push(payload));
    try {
      const first = [row(), row()];
      await eventRepository.insertInboxRows(database.db, first, 'recur_events');
      await until(() => payloads.length === 1);
      expect(notifiedIds(payloads[0]!)?.sort()).toEqual(first.map((r) => r.id).sort());

      // One new row beside a duplicate of a stored one: only the new one is named.
      const fresh = row();
      const again = { ...first[0]!, id: newId('ev') };
      await eventRepository.insertInboxRows(database.db, [again, fresh], 'recur_events');
      await until(() => payloads.length === 2);
      expect(notifiedIds(payloads[1]!)).toEqual([fresh.id]);

      // Duplicates only: no wake-up at all.
      await eventRepository.insertInboxRows(database.db, [{ ...fresh, id: newId('ev') }], 'recur_events');
      await sleep(100);
      expect(payloads).toHaveLength(2);
    } finally {
      await unlisten();
    }
  });

  it('names no ids when they would not fit in a NOTIFY, so consumers look at the table instead', async () => {
    const payloads: string[] = [];
    const unlisten = await database.listen('recur_events', (payload) => payloads.push(payload));
    const handler = settling();
    await start(handler, { pollIntervalMs: 60_000 });
    try {
      const many = Array.from({ length: 300 }, () => row());
      await eventRepository.insertInboxRows(database.db, many, 'recur_events');
      await until(() => payloads.length === 1);
      expect(payloads[0]).toBe('');
      await until(() => new Set(handler.handled).size === many.length);
    } finally {
      await unlisten();
    }
  });

  it('still looks at the table every poll interval while wake-ups keep coming, so retries come due', async () => {
    const handler = settling();
    await start(handler, { pollIntervalMs: 300 });
    const [retry] = await storeQuietly(row());
    await database.db.execute(
      sql`update events set status = 'failed', next_attempt_at = now() + interval '200 milliseconds' where id = ${retry!}`,
    );
    const deadline = Date.now() + 5_000;
    while (!handler.handled.includes(retry!) && Date.now() < deadline) {
      const [busy] = await storeQuietly(row());
      await notify(busy!);
      await sleep(20);
    }
    expect(handler.handled).toContain(retry);
  });
});

describe.runIf(targets.databaseUrl)('the database queue on PostgreSQL', () => {
  it('listens again when its connection is cut, and then reads the table for what it missed', async () => {
    const handler = settling();
    await start(handler, { pollIntervalMs: 60_000 });
    const listening = () =>
      queryRows<{ pid: number }>(
        database.db,
        sql`select pid from pg_stat_activity where datname = current_database() and query = 'listen recur_events'`,
      );
    const [before] = await listening();
    expect(before).toBeDefined();
    await database.db.execute(sql`select pg_terminate_backend(${before!.pid})`);
    const [missed] = await storeQuietly(row());
    await until(() => handler.handled.includes(missed!));

    const [after] = await listening();
    expect(after?.pid).not.toBe(before!.pid);
    const [named] = await storeQuietly(row());
    await notify(named!);
    await until(() => handler.handled.includes(named!));
  });
});
