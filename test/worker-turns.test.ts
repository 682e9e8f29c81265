import { inArray } from 'drizzle-orm';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { events } from '../src/db/schema/index.js';
import { createServices, type Services } from '../src/services.js';
import { ENCRYPTION_KEY } from './support/app.js';
import { openTestDatabase, targets } from './support/db.js';
import { HandOverQueue } from './support/hand-over-queue.js';
import { invoice, subscription } from './support/report-history.js';
import { eventually } from './support/wait.js';

/**
 * Two batches in flight in one worker, the second sharing an object with the first: the second's
 * other events are applied without waiting for the first to end, and the shared object's events
 * apply oldest first. The first batch is held inside the database by a session of the test's own
 * holding its object's advisory lock (as another worker process would), which needs connections
 * of its own: PostgreSQL only (the PGlite run skips it; the PostgreSQL run has it).
 */
let database: Awaited<ReturnType<typeof openTestDatabase>>;
let services: Services;
const queue = new HandOverQueue();

describe.skipIf(!targets.databaseUrl)('batches in flight in one worker', () => {
  beforeAll(async () => {
    database = await openTestDatabase();
    const config = loadConfig({
      RECUR_ENCRYPTION_KEY: ENCRYPTION_KEY,
      RECUR_WORKER_CONCURRENCY: '4',
      LOG_LEVEL: 'silent',
    });
    // No event here needs Stripe: nothing listens at this address.
    services = await createServices(
      config,
      pino({ level: 'silent' }),
      { secretKey: 'sk_test_turns', apiBase: 'http://127.0.0.1:9' },
      { database, queue },
    );
    await services.worker.start();
  });
  afterAll(async () => {
    await services?.close();
    await database?.close();
  });

  let second = 0;
  async function delivered(type: string, object: { id: string; object: string; [field: string]: unknown }) {
    second++;
    const externalId = `evt_turns_${second}`;
    const { id } = await services.inbox.ingest({
      source: 'stripe',
      externalId,
      type,
      objectId: object.id,
      objectType: object.object,
      occurredAt: new Date(1_700_000_000_000 + second * 1000),
      payload: { id: externalId, object: 'event', type, created: 1_700_000_000 + second, data: { object } },
    });
    return id;
  }

  const customerUpdated = (customer: string) =>
    delivered('customer.updated', {
      id: customer,
      object: 'customer',
      created: 1_700_000_000,
      email: `${customer}@example.com`,
      name: `${customer} ${second}`,
      metadata: {},
      invoice_settings: { default_payment_method: null },
      currency: 'usd',
    });

  /** Holds `object`'s advisory lock from a session of the test's own until `release` is called. */
  async function holding(object: string) {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    await holder.query('select pg_advisory_lock(hashtextextended($1, 0))', [object]);
    return {
      /** Resolves once a batch of the worker waits for that lock, in the database. */
      waitedFor: () =>
        eventually(async () => {
          const { rows } = await holder.query<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity
             where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory'`,
          );
          expect(rows[0]!.n).toBe(1);
        }),
      release: () => holder.end(),
    };
  }

  const statusOf = async (ids: string[]) =>
    (
      await database.db
        .select({ id: events.id, status: events.status, processedAt: events.processedAt })
        .from(events)
        .where(inArray(events.id, ids))
    ).sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));

  it("apply a later batch's other events while an earlier one holds a shared object", async () => {
    const lock = await holding('cus_turns_x');
    const firstX = await customerUpdated('cus_turns_x');
    const first = queue.handle!(firstX);
    await lock.waitedFor();

    const y = await customerUpdated('cus_turns_y');
    const laterX = await customerUpdated('cus_turns_x');
    const z = await customerUpdated('cus_turns_z');
    const later = [y, laterX, z].map((id) => queue.handle!(id));
    await eventually(async () => {
      expect((await statusOf([y, z])).map((e) => e.status)).toEqual(['processed', 'processed']);
    });
    // Both events about the held object still wait, the later one behind the earlier one.
    expect((await statusOf([firstX, laterX])).map((e) => e.status)).toEqual(['received', 'received']);

    await lock.release();
    await Promise.all([first, ...later]);
    const [earlier, after] = await statusOf([firstX, laterX]);
    expect([earlier!.status, after!.status]).toEqual(['processed', 'processed']);
    expect(earlier!.processedAt!.getTime()).toBeLessThan(after!.processedAt!.getTime());
  });

  it('keep an event behind an earlier one of its batch that waits for an object they share', async () => {
    const lock = await holding('cus_turns_owner');
    const first = queue.handle!(await customerUpdated('cus_turns_owner'));
    await lock.waitedFor();

    // The subscription waits for its customer; the invoice needs only the subscription, which
    // is free, but comes after it in delivery order, so it waits too.
    const subscriptionUpdated = await delivered(
      'customer.subscription.updated',
      subscription({
        id: 'sub_turns',
        customer: 'cus_turns_owner',
        status: 'active',
        price: { id: 'price_turns', amount: 2000, interval: 'month' },
        created: 1_700_000_000,
      }),
    );
    const invoicePaid = await delivered(
      'invoice.paid',
      invoice({
        id: 'in_turns',
        customer: 'cus_turns_owner',
        subscription: 'sub_turns',
        status: 'paid',
        total: 2000,
        created: 1_700_000_100,
        paidAt: 1_700_000_200,
        attempts: 1,
      }),
    );
    const other = await customerUpdated('cus_turns_other');
    const later = [subscriptionUpdated, invoicePaid, other].map((id) => queue.handle!(id));
    await eventually(async () => {
      expect((await statusOf([other])).map((e) => e.status)).toEqual(['processed']);
    });
    expect((await statusOf([subscriptionUpdated, invoicePaid])).map((e) => e.status)).toEqual([
      'received',
      'received',
    ]);

    await lock.release();
    await Promise.all([first, ...later]);
    // Applied together once the customer was free, in delivery order.
    expect((await statusOf([subscriptionUpdated, invoicePaid])).map((e) => e.status)).toEqual([
      'processed',
      'processed',
    ]);
  });
});
