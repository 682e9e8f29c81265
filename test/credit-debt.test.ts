import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { creditLedgerRepository, type PayerKey } from '../src/usage/credits-ledger.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';

// Usage beyond the credits is never refused (it happened) and never free: what the balance cannot
// pay is owed, shown as a negative balance, refused by `check`, and paid first from the next grant.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());
beforeEach(() => t.reset());

const ann: PayerKey = { payerKind: 'user', payerId: 'ann' };

async function call(method: 'GET' | 'POST', url: string, key: string, payload?: object) {
  return t.app.inject({ method, url, headers: bearer(key), ...(payload ? { payload } : {}) });
}

async function grant(userId: string, amount: number) {
  const res = await call('POST', '/api/admin/credits', t.adminKey, {
    user_id: userId,
    feature: 'ai_credits',
    amount,
    reason: 'top-up',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { balance: number };
}

async function track(userId: string, value: number, key: string) {
  const res = await call('POST', '/api/usage', t.serviceKey, {
    user_id: userId,
    feature: 'ai_credits',
    value,
    idempotency_key: key,
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toMatchObject({ accepted: 1 });
}

async function check(userId: string, feature = 'ai_credits') {
  const res = await call('POST', '/api/check', t.serviceKey, { user_id: userId, feature });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const balances = async (userId: string) =>
  (await call('GET', `/api/admin/credits?user_id=${userId}`, t.adminKey)).json().balances;

/** The ledger's sum and the lots' sum, which must always be equal. */
async function sums(payer: PayerKey) {
  const [lots] = await queryRows<{ total: string }>(
    t.database.db,
    sql`select coalesce(sum(remaining), 0) as total from credit_lots
        where payer_kind = ${payer.payerKind} and payer_id = ${payer.payerId} and feature = 'ai_credits'`,
  );
  return {
    ledger: await creditLedgerRepository.ledgerSum(t.database.db, payer, 'ai_credits'),
    lots: Number(lots!.total),
  };
}

describe('credits owed', () => {
  it('owes what the balance cannot pay, refuses checks meanwhile, and pays it first from the next grant', async () => {
    await grant('ann', 10);
    await track('ann', 14, 'job-1');

    expect(await balances('ann')).toEqual([
      { feature: 'ai_credits', balance: -4, owed: 4, next_expiry: null },
    ]);
    expect(await check('ann')).toMatchObject({ allowed: false, used: 14, credits: -4, balance: 0 });
    const ledger = async () =>
      (await call('GET', '/api/me/credits', await t.userToken('ann'))).json().ledger.data as Array<{
        amount: number;
        movement: string;
      }>;
    // Rows written in one transaction share their time: compared as a set.
    const movements = async () => (await ledger()).map((e) => `${e.movement} ${e.amount}`).sort();
    expect(await movements()).toEqual(['grant 10', 'usage -10', 'usage -4']);

    // The next grant pays the 4 owed first; the rest is the balance.
    expect(await grant('ann', 10)).toMatchObject({ balance: 6 });
    expect(await balances('ann')).toEqual([
      { feature: 'ai_credits', balance: 6, owed: 0, next_expiry: null },
    ]);
    expect(await movements()).toEqual([
      'grant 10',
      'grant 10',
      'settle -4',
      'settle 4',
      'usage -10',
      'usage -4',
    ]);
    expect(await check('ann')).toMatchObject({ allowed: true, credits: 6, balance: 6 });
    expect(await sums(ann)).toEqual({ ledger: 6, lots: 6 });

    // A grant smaller than the debt pays part of it.
    await track('ann', 9, 'job-2');
    expect(await grant('ann', 2)).toMatchObject({ balance: -1 });
    expect(await balances('ann')).toEqual([
      { feature: 'ai_credits', balance: -1, owed: 1, next_expiry: null },
    ]);
  });

  it('owes for a feature the catalog sells as credits, never for one that credits do not pay', async () => {
    const plan = await call('POST', '/api/plans', t.adminKey, {
      key: 'ai_pack',
      name: 'AI pack',
      kind: 'one_time',
      benefits: [{ key: 'ai_credits', credits: 100 }],
      prices: [{ currency: 'usd', unit_amount: 900 }],
    });
    expect(plan.statusCode, plan.body).toBe(201);

    // Bob never held credits, but the catalog sells them: his usage is owed.
    await track('bob', 5, 'b-1');
    expect(await balances('bob')).toEqual([
      { feature: 'ai_credits', balance: -5, owed: 5, next_expiry: null },
    ]);

    // A feature no plan sells as credits and the payer never held: counted, nothing owed.
    const res = await call('POST', '/api/usage', t.serviceKey, {
      user_id: 'bob',
      feature: 'page_views',
      value: 50,
      idempotency_key: 'p-1',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await balances('bob')).toHaveLength(1);
    expect(await check('bob', 'page_views')).toMatchObject({ used: 50, credits: 0 });
  });

  it('keeps the ledger equal to the lots under concurrent usage and grants, with nothing lost', async () => {
    await grant('ann', 10);
    // 20 jobs of 3 credits and 5 grants of 4, all at once: 10 + 20 − 60 = −30.
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => track('ann', 3, `race-${i}`)),
      ...Array.from({ length: 5 }, () => grant('ann', 4)),
    ]);
    expect(await sums(ann)).toEqual({ ledger: -30, lots: -30 });
    const [standing] = await balances('ann');
    expect(standing.balance).toBe(-30);
    // A grant that raced a draw may leave its credits beside the debt; the next grant settles it.
    expect(standing.owed).toBeGreaterThanOrEqual(30);
    expect(await grant('ann', 40)).toMatchObject({ balance: 10 });
    expect(await balances('ann')).toEqual([
      { feature: 'ai_credits', balance: 10, owed: 0, next_expiry: null },
    ]);
  });
});
