import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import {
  creditLots,
  customers,
  disputes,
  organizations,
  planPrices,
  plans,
  subscriptions,
  usageCounters,
} from '../src/db/schema/index.js';
import { counterOf, readCheckSnapshot } from '../src/usage/check-snapshot.js';
import { creditLedgerRepository, type PayerKey } from '../src/usage/credits-ledger.js';
import { payerSubscriptions, usageRepository } from '../src/usage/repository.js';
import { openTestDatabase, truncateAll } from './support/db.js';
import { creditLot, customerRow, freezingDispute, subscriptionRow } from './support/mirror-rows.js';

/**
 * A check reads its payer's subscriptions, credits and counters in one prepared statement. It must
 * read exactly what the query builder's statements read: the same subscriptions in the same order
 * (a cancelled one, a deleted customer's and a dispute-frozen one left out), the same live credits,
 * and the period's counter or its absence.
 */
let database: Database;
const NOW = new Date('2026-06-15T12:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

beforeAll(async () => {
  database = await openTestDatabase();
  await truncateAll(database);
  const { db } = database;
  const plan = (id: string, kind: 'base' | 'add_on', createdAt: Date) => ({
    id,
    key: id,
    name: id,
    kind,
    stripeProductId: `prod_${id}`,
    createdAt,
    benefits: [
      {
        key: 'api_calls',
        value: kind === 'base' ? 1000 : 100,
        limit: { reset: 'month' as const, overage: 'block' as const },
      },
    ],
  });
  await db.insert(plans).values([plan('pro', 'base', at(-40)), plan('boost', 'add_on', at(-30))]);
  await db.insert(planPrices).values([
    {
      id: 'pp_pro',
      planId: 'pro',
      stripePriceId: 'price_pro',
      currency: 'usd',
      unitAmount: 2900,
      billingScheme: 'per_unit',
      interval: 'month',
      intervalCount: 1,
    },
  ]);
  await db.insert(organizations).values({ id: 'org_a', nameEncrypted: 'x' });
  await db
    .insert(customers)
    .values([
      customerRow('cus_ann', { externalId: 'ann' }, NOW),
      customerRow('cus_gone', { externalId: 'gone', deleted: true }, NOW),
      customerRow('cus_org', { organizationId: 'org_a' }, NOW),
    ]);
  const sub = (id: string, customerId: string, planId: string, status: string, createdAt: Date) =>
    subscriptionRow(
      {
        id,
        customerId,
        planId,
        priceId: planId === 'pro' ? 'price_pro' : null,
        status,
        quantity: planId === 'boost' ? 2 : 1,
        cancelAt: id === 'sub_ann_boost' ? at(25) : null,
        createdAt,
      },
      NOW,
    );
  await db
    .insert(subscriptions)
    .values([
      sub('sub_ann_boost', 'cus_ann', 'boost', 'active', at(-3)),
      sub('sub_ann_pro', 'cus_ann', 'pro', 'trialing', at(-4)),
      sub('sub_ann_old', 'cus_ann', 'pro', 'canceled', at(-90)),
      sub('sub_ann_frozen', 'cus_ann', 'boost', 'active', at(-2)),
      sub('sub_gone', 'cus_gone', 'pro', 'active', at(-4)),
      sub('sub_org', 'cus_org', 'pro', 'past_due', at(-4)),
    ]);
  await db.insert(disputes).values(freezingDispute('dp_1', 'sub_ann_frozen', NOW));
  const lot = (id: string, remaining: number, expiresAt: Date | null) =>
    creditLot(id, { payerKind: 'user', payerId: 'ann' }, 'api_calls', remaining, expiresAt);
  await db
    .insert(creditLots)
    .values([lot('l1', 30, null), lot('l2', 12, at(3)), lot('l3', 500, at(-1)), lot('l4', 0, null)]);
  // Five monthly periods of one counter, and one for another feature.
  const counter = (month: number, feature = 'api_calls') => ({
    payerKind: 'user' as const,
    payerId: 'ann',
    feature,
    periodStart: new Date(Date.UTC(2026, month, 1)),
    periodEnd: new Date(Date.UTC(2026, month + 1, 1)),
    used: 10 * (month + 1),
    limitFloor: 1000,
  });
  await db.insert(usageCounters).values([0, 1, 2, 3, 4, 5].map((m) => counter(m)));
  await db.insert(usageCounters).values(counter(5, 'exports'));
});
afterAll(() => database.close());

const ann: PayerKey = { payerKind: 'user', payerId: 'ann' };
const org: PayerKey = { payerKind: 'organization', payerId: 'org_a' };

describe('the check snapshot', () => {
  it.each([
    ['a user', ann],
    ['an organisation', org],
    ['a user with nothing', { payerKind: 'user', payerId: 'nobody' } as PayerKey],
    ['a deleted customer', { payerKind: 'user', payerId: 'gone' } as PayerKey],
  ])('reads what the query builder reads, for %s', async (_name, payer) => {
    const { db } = database;
    const snapshot = await readCheckSnapshot(db, payer, 'api_calls', NOW);
    expect(snapshot.subscriptions).toEqual(await payerSubscriptions(db, payer));
    expect(snapshot.credits).toBe(await creditLedgerRepository.balance(db, payer, 'api_calls', NOW));
    expect(snapshot.payerKnown).toBe(true);
  });

  it('reads the subscriptions in catalog order, without the cancelled, deleted or frozen', async () => {
    const snapshot = await readCheckSnapshot(database.db, ann, 'api_calls', NOW);
    expect(snapshot.subscriptions.map((s) => s.id)).toEqual(['sub_ann_pro', 'sub_ann_boost']);
    expect(snapshot.subscriptions[0]).toMatchObject({ interval: 'month', intervalCount: 1, quantity: 1 });
    expect(snapshot.credits).toBe(42);
  });

  it('knows an organisation only when Recur does', async () => {
    const unknown = { payerKind: 'organization', payerId: 'org_unknown' } as const;
    expect((await readCheckSnapshot(database.db, unknown, 'api_calls', NOW)).payerKnown).toBe(false);
  });

  it('finds the period’s counter, knows when there is none, and says when it must be read', async () => {
    const { db } = database;
    const snapshot = await readCheckSnapshot(db, ann, 'api_calls', NOW);
    const key = { ...ann, feature: 'api_calls' };
    // June's counter is the latest: found, and equal to the builder's read.
    const june = new Date(Date.UTC(2026, 5, 1));
    expect(counterOf(snapshot, june)).toEqual(await usageRepository.counter(db, key, june));
    // A period starting after every counter (the anchor moved): none.
    expect(counterOf(snapshot, new Date(Date.UTC(2026, 5, 10)))).toBeNull();
    // January's is older than the latest three: it must be read by its start.
    expect(counterOf(snapshot, new Date(Date.UTC(2026, 0, 1)))).toBeUndefined();
    // Another feature's counters are not this one's.
    const exports = await readCheckSnapshot(db, ann, 'exports', NOW);
    expect(exports.recentCounters.map((c) => c.feature)).toEqual(['exports']);
    expect(counterOf(exports, june)).toMatchObject({ used: 60 });
    // Before any counter started: none, nothing to read.
    const early = await readCheckSnapshot(db, ann, 'api_calls', new Date(Date.UTC(2025, 11, 31)));
    expect(counterOf(early, new Date(Date.UTC(2025, 11, 1)))).toBeNull();
  });
});
