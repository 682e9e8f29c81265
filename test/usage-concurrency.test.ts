import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { createPlan } from './support/billing.js';
import { billingTestApp } from './support/billing-app.js';
import { callAs, serviceOk, subscribedUser } from './support/usage.js';

// No overdraw under concurrency, on the database the suite runs on (PGlite, and PostgreSQL when
// TEST_DATABASE_URL is set): the decision is taken on the counter row, locked by its writer.
const h = billingTestApp();

describe('check and reserve under concurrency', () => {
  it('200 concurrent reservations of 1 unit against a limit of 100: exactly 100 allowed', async () => {
    const plan = await createPlan(h.t, {
      key: 'metered',
      benefits: [{ key: 'api_calls', limit: 100, reset: 'month' }],
    });
    await subscribedUser(h.t, h.stripe, 'race', plan.prices[0]!.stripe_price_id);
    const answers = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const res = await callAs(h.t, 'service', 'POST', '/api/check', {
          user_id: 'race',
          feature: 'api_calls',
          reserve: true,
        });
        expect(res.statusCode, res.body).toBe(200);
        return res.json() as { allowed: boolean; reservation_id?: string };
      }),
    );
    expect(answers.filter((a) => a.allowed)).toHaveLength(100);
    expect(new Set(answers.map((a) => a.reservation_id).filter(Boolean)).size).toBe(100);
    const [counter] = await queryRows<{ reserved: string; used: string }>(
      h.t.database.db,
      sql`select reserved, used from usage_counters where payer_id = 'race'`,
    );
    expect([Number(counter!.reserved), Number(counter!.used)]).toEqual([100, 0]);
    expect(await serviceOk(h.t, '/api/check', { user_id: 'race', feature: 'api_calls' })).toMatchObject({
      allowed: false,
      balance: 0,
      reserved: 100,
    });
  });

  it('100 concurrent reservations of 1 credit against 60 credits: exactly 60 allowed, the ledger balanced', async () => {
    const { creditLedgerRepository } = await import('../src/usage/credits-ledger.js');
    const payer = { payerKind: 'user' as const, payerId: 'credit_race' };
    await creditLedgerRepository.grant(h.t.database.db, {
      ...payer,
      feature: 'ai',
      amount: 60,
      source: 'admin',
      sourceRef: 'race',
      expiresAt: null,
      reason: 'test',
    });
    const answers = await Promise.all(
      Array.from({ length: 100 }, async () =>
        (
          await callAs(h.t, 'service', 'POST', '/api/check', {
            user_id: 'credit_race',
            feature: 'ai',
            reserve: true,
          })
        ).json(),
      ),
    );
    expect(answers.filter((a) => a.allowed)).toHaveLength(60);
    expect(await creditLedgerRepository.balance(h.t.database.db, payer, 'ai')).toBe(0);
    expect(await creditLedgerRepository.ledgerSum(h.t.database.db, payer, 'ai')).toBe(0);
  });
});
