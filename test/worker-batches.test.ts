import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { queryRows } from '../src/db/client.js';
import { eventRepository } from '../src/events/repository.js';
import { createServices, type Services } from '../src/services.js';
import { ENCRYPTION_KEY } from './support/app.js';
import { openTestDatabase } from './support/db.js';
import { HandOverQueue } from './support/hand-over-queue.js';

/**
 * Deliveries that arrive together are applied in one transaction. A queue that hands the worker
 * every id at once makes such batches, and shows that one failing event in a batch is recorded
 * against itself alone: the others are applied, and nothing runs twice in effect.
 */
let database: Awaited<ReturnType<typeof openTestDatabase>>;
let services: Services;
const queue = new HandOverQueue();

beforeAll(async () => {
  database = await openTestDatabase();
  const config = loadConfig({
    RECUR_ENCRYPTION_KEY: ENCRYPTION_KEY,
    RECUR_WORKER_CONCURRENCY: '8',
    LOG_LEVEL: 'silent',
  });
  // No event here needs Stripe: nothing listens at this address.
  services = await createServices(
    config,
    pino({ level: 'silent' }),
    { secretKey: 'sk_test_batches', apiBase: 'http://127.0.0.1:9' },
    { database, queue },
  );
  await services.worker.start();
});
afterAll(async () => {
  await services?.close();
  await database?.close();
});

function customerEvent(n: number, object: Record<string, unknown> | null) {
  return services.inbox.ingest({
    source: 'stripe',
    externalId: `evt_batch_${n}`,
    type: 'customer.updated',
    objectId: `cus_batch_${n}`,
    objectType: 'customer',
    occurredAt: new Date(1_700_000_000_000 + n * 1000),
    payload: {
      id: `evt_batch_${n}`,
      object: 'event',
      type: 'customer.updated',
      created: 1_700_000_000 + n,
      data: { object },
    },
  });
}

const customer = (n: number) => ({
  id: `cus_batch_${n}`,
  object: 'customer',
  created: 1_700_000_000,
  email: `batch${n}@example.com`,
  name: `Batch ${n}`,
  metadata: {},
  invoice_settings: { default_payment_method: null },
  currency: 'usd',
});

describe('events delivered together', () => {
  it('apply in one go, and a failing one fails alone while the others are applied once', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 12; n++) {
      // Two events carry no object: their handler throws, as a bug or a malformed payload would.
      const broken = n === 5 || n === 9;
      ids.push((await customerEvent(n, broken ? null : customer(n))).id);
    }
    const results = await Promise.allSettled(ids.map((id) => queue.handle!(id)));
    // A failure is recorded for retry, so every delivery is done with (acknowledged).
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);

    const rows = await queryRows<{ external_id: string; status: string; attempts: number; tries: number }>(
      database.db,
      sql`select e.external_id, e.status, e.attempts,
                 (select count(*)::int from event_attempts a where a.event_id = e.id) as tries
          from events e order by e.external_id`,
    );
    const byId = Object.fromEntries(rows.map((r) => [r.external_id, r]));
    for (let n = 0; n < 12; n++) {
      const broken = n === 5 || n === 9;
      expect(byId[`evt_batch_${n}`]).toEqual({
        external_id: `evt_batch_${n}`,
        status: broken ? 'failed' : 'processed',
        attempts: 1,
        tries: broken ? 1 : 0,
      });
    }
    const [mirrored] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from customers where id like 'cus_batch_%'`,
    );
    expect(mirrored!.n).toBe(10);

    // Delivered again (at least once means twice, sometimes): nothing changes.
    await Promise.all(ids.map((id) => queue.handle!(id)));
    const again = await queryRows<{ attempts: number }>(
      database.db,
      sql`select attempts from events order by external_id`,
    );
    expect(again.map((r) => r.attempts)).toEqual(rows.map((r) => r.attempts));
  });
});

describe("the worker's transactions", () => {
  it('commit without waiting for their WAL flush, and leave the setting of other transactions alone', async () => {
    // Everything they write is derived from the inbox, which the webhook stored durably: after a
    // crash that loses them, the events are simply applied again.
    const { id } = await customerEvent(100, customer(100));
    const show = (db: Parameters<typeof queryRows>[0]) =>
      queryRows<{ synchronous_commit: string }>(db, sql`show synchronous_commit`);
    const inside = await database.db.transaction(async (tx) => {
      await eventRepository.claim(tx, [id]);
      return show(tx);
    });
    expect(inside).toEqual([{ synchronous_commit: 'off' }]);
    for (let i = 0; i < 5; i++) {
      expect(await database.db.transaction((tx) => show(tx))).toEqual([{ synchronous_commit: 'on' }]);
    }
  });
});
