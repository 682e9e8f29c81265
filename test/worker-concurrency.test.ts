import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { type Database, openDatabase, queryRows } from '../src/db/client.js';
import { planPrices, plans } from '../src/db/schema/index.js';
import { createServices, type Services } from '../src/services.js';
import type { Stripe } from '../src/stripe/index.js';
import { ENCRYPTION_KEY } from './support/app.js';
import { openTestDatabase } from './support/db.js';
import { HandOverQueue } from './support/hand-over-queue.js';
import { at, invoice, type PriceSpec, subscription } from './support/report-history.js';
import { random } from './support/revenue-history.js';
import { revenueRecomputed, revenueRollup } from './support/rollup-checks.js';

/**
 * Two worker processes, each applying batches at high concurrency, on an interleaved mix of the
 * events a real account sends most (customer.updated, customer.subscription.updated, invoice.paid),
 * many of them adding to the same rollup cells: no batch may end in a deadlock (nor be retried
 * one by one), and the rollups must come out exact.
 */

/** Every log line of both workers, debug included: a batch rolled back is logged at debug. */
const logLines: Array<{ msg?: string; err?: { message?: string } }> = [];
const collect = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n')) if (line) logLines.push(JSON.parse(line));
    done();
  },
});

const PRICES: PriceSpec[] = [
  { id: 'price_conc_basic', amount: 2000, interval: 'month' },
  { id: 'price_conc_pro', amount: 5000, interval: 'month' },
  { id: 'price_conc_team', amount: 9000, interval: 'month' },
];

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const workers: Array<{ services: Services; queue: HandOverQueue; database: Database }> = [];

beforeAll(async () => {
  database = await openTestDatabase();
  await database.db
    .insert(plans)
    .values(
      PRICES.map((p) => ({ id: `plan_${p.id}`, key: p.id, name: p.id, stripeProductId: `prod_${p.id}` })),
    );
  await database.db.insert(planPrices).values(
    PRICES.map((p) => ({
      id: `pp_${p.id}`,
      planId: `plan_${p.id}`,
      stripePriceId: p.id,
      currency: 'usd',
      unitAmount: p.amount,
      billingScheme: 'per_unit' as const,
      interval: p.interval,
    })),
  );
  // On PostgreSQL each worker has its own pool, as a process of its own would.
  for (const concurrency of [8, 64]) {
    const own = database.url ? await openDatabase({ url: database.url, poolSize: 6 }) : database;
    const queue = new HandOverQueue();
    const config = loadConfig({
      RECUR_ENCRYPTION_KEY: ENCRYPTION_KEY,
      RECUR_WORKER_CONCURRENCY: String(concurrency),
      LOG_LEVEL: 'debug',
    });
    // No event here needs Stripe (none ties with the row it updates): nothing listens at this address.
    const services = await createServices(
      config,
      pino({ level: 'debug' }, collect),
      { secretKey: 'sk_test_concurrency', apiBase: 'http://127.0.0.1:9' },
      { database: own, queue },
    );
    await services.worker.start();
    workers.push({ services, queue, database: own });
  }
});
afterAll(async () => {
  for (const w of workers) {
    await w.services.close();
    if (w.database !== database) await w.database.close();
  }
  await database?.close();
});

/** A month of a small account: each subscription changes plan and status, its invoices get paid. */
function history(rng: ReturnType<typeof random>) {
  const events: Array<{ type: string; object: Record<string, unknown>; created: number }> = [];
  const start = at('2025-03-01T00:00:00');
  for (let n = 0; n < 24; n++) {
    const customer = `cus_conc_${n}`;
    const id = `sub_conc_${n}`;
    // Distinct seconds per object: no event ties with the row it updates, so none reads Stripe again.
    let stamp = start + n * 7;
    const next = () => {
      stamp += 1 + rng.int(40 * 3600);
      return stamp;
    };
    for (let k = 0; k < 4; k++) {
      const created = next();
      events.push({
        type: 'customer.updated',
        created,
        object: {
          id: customer,
          object: 'customer',
          created: start,
          email: `conc${n}@example.com`,
          name: `Customer ${n} v${k}`,
          metadata: {},
          invoice_settings: { default_payment_method: null },
          currency: 'usd',
        },
      });
    }
    stamp = start + n * 7;
    for (let k = 0; k < 4; k++) {
      const created = next();
      const status = k === 3 && rng.next() < 0.4 ? 'canceled' : rng.pick(['active', 'active', 'past_due']);
      events.push({
        type: 'customer.subscription.updated',
        created,
        object: subscription({
          id,
          customer,
          status,
          price: rng.pick(PRICES),
          quantity: 1 + rng.int(3),
          created: start,
          ...(status === 'canceled' ? { canceledAt: created } : {}),
        }),
      });
    }
    for (let k = 0; k < 4; k++) {
      const created = start + rng.int(60) * 86_400;
      const attempts = 1 + rng.int(3);
      events.push({
        type: 'invoice.paid',
        created: created + 3600,
        object: invoice({
          id: `in_conc_${n}_${k}`,
          customer,
          // Some invoices belong to another customer's subscription, so locks cross between objects.
          subscription: rng.next() < 0.3 ? `sub_conc_${rng.int(24)}` : id,
          status: 'paid',
          total: 1000 + rng.int(8000),
          created,
          paidAt: created + 3600 * attempts,
          attempts,
        }),
      });
    }
  }
  return events;
}

describe('workers applying events at high concurrency', () => {
  it('never deadlock nor retry a batch, and keep the rollups exact', async () => {
    const rng = random(15);
    const [first] = workers;
    const ids: string[] = [];
    for (const [n, e] of history(rng).entries()) {
      const stored = await first!.services.inbox.ingest({
        source: 'stripe',
        externalId: `evt_conc_${n}`,
        type: e.type,
        objectId: String(e.object.id),
        objectType: String(e.object.object),
        occurredAt: new Date(e.created * 1000),
        payload: {
          id: `evt_conc_${n}`,
          object: 'event',
          type: e.type,
          created: e.created,
          data: { object: e.object },
        } as unknown as Stripe.Event,
      });
      ids.push(stored.id);
    }
    // Interleaved: shuffled, then dealt to the two workers, all delivered at once.
    for (let i = ids.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    await Promise.all(ids.map((id, i) => workers[i % 2]!.queue.handle!(id)));

    const deadlocks = logLines.filter((l) => /deadlock/i.test(JSON.stringify(l)));
    const retried = logLines.filter((l) => l.msg?.includes('batch rolled back'));
    expect({ deadlocks: deadlocks.length, retried: retried.length }).toEqual({ deadlocks: 0, retried: 0 });
    const statuses = await queryRows<{ status: string; n: number; tries: number }>(
      database.db,
      sql`select status, count(*)::int as n, sum(attempts)::int as tries from events group by status`,
    );
    expect(statuses).toEqual([{ status: 'processed', n: ids.length, tries: ids.length }]);

    expect(await revenueRollup(database.db)).toEqual(await revenueRecomputed(database.db));
    expect((await revenueRollup(database.db)).length).toBeGreaterThan(3);
    // MRR at the end of the last month is the running sum of every month's changes, per plan: it
    // must equal what the mirrored subscriptions bill now (all prices are monthly).
    const summed = await queryRows<{ plan_id: string; mrr: number; subscriptions: number }>(
      database.db,
      sql`select plan_id,
                 sum(new_mrr + expansion_mrr - contraction_mrr - churned_mrr + reactivated_mrr + transfer_mrr)::int as mrr,
                 sum(new_count - churned_count + reactivated_count + transfer_count)::int as subscriptions
          from mrr_months group by plan_id having sum(new_count + churned_count + transfer_count) <> 0
          order by plan_id`,
    );
    const mirrored = await queryRows<{ plan_id: string; mrr: number; subscriptions: number }>(
      database.db,
      sql`select s.plan_id, sum(i.unit_amount * i.quantity)::int as mrr, count(*)::int as subscriptions
          from subscriptions s join subscription_items i on i.subscription_id = s.id
          where s.status in ('active', 'past_due') group by s.plan_id order by s.plan_id`,
    );
    expect(summed.filter((r) => r.mrr !== 0 || r.subscriptions !== 0)).toEqual(mirrored);
    expect(mirrored.length).toBeGreaterThan(1);
    const [cohorts] = await queryRows<{ joined: number; started: number }>(
      database.db,
      sql`select (select coalesce(sum(joined), 0)::int from mrr_cohorts) as joined,
                 (select count(*)::int from subscription_mrr where cohort_month is not null) as started`,
    );
    expect(cohorts!.joined).toBe(cohorts!.started);
  });
});
