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

  it('concurrent single events sent three times each across payers: each counted once, each caller answered its own', async () => {
    const plan = await createPlan(h.t, {
      key: 'metered_singles',
      benefits: [{ key: 'api_calls', limit: 100_000, reset: 'month' }],
    });
    const users = ['single_a', 'single_b', 'single_c'];
    for (const user of users) await subscribedUser(h.t, h.stripe, user, plan.prices[0]!.stripe_price_id);
    const events = users.flatMap((user, u) =>
      Array.from({ length: 30 }, (_, i) => ({
        user_id: user,
        feature: 'api_calls',
        value: 1 + ((i + u) % 7),
        idempotency_key: `e${i}`,
      })),
    );
    // Every event three times (a retry racing the first attempt): half of them side by side (likely
    // written in one group), half far apart (likely in different groups); with a bad event among
    // them: refused alone, it changes nothing for the others.
    const sends = events
      .flatMap((event, i) => (i % 2 ? [event, event, event] : []))
      .concat(
        events.filter((_, i) => i % 2 === 0),
        events.filter((_, i) => i % 2 === 0).toReversed(),
        events.filter((_, i) => i % 2 === 0),
      );
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const bad = {
      user_id: 'single_a',
      feature: 'api_calls',
      value: 1000,
      idempotency_key: 'bad',
      timestamp: future,
    };
    const [badAnswer, ...answers] = await Promise.all([
      callAs(h.t, 'service', 'POST', '/api/usage', bad),
      ...sends.map(async (event, j) => {
        // Every other one straight to the service: on PGlite, where requests reach it one at a
        // time, these still arrive together and share a write.
        const body: { events: Array<{ idempotency_key: string; status: string }> } =
          j % 2
            ? await serviceOk(h.t, '/api/usage', event)
            : await h.t.services.usage.trackOne({
                payer: { payerKind: 'user', payerId: event.user_id },
                feature: event.feature,
                value: event.value,
                idempotencyKey: event.idempotency_key,
              });
        expect(body.events.map((e) => e.idempotency_key)).toEqual([event.idempotency_key]);
        return { id: `${event.user_id}:${event.idempotency_key}`, status: body.events[0]!.status };
      }),
    ]);
    expect(badAnswer!.statusCode).toBe(400);
    // Each event: exactly one of its three senders was told `accepted`, the others `duplicate`.
    const accepted = new Map<string, number>();
    for (const { id, status } of answers)
      accepted.set(id, (accepted.get(id) ?? 0) + (status === 'accepted' ? 1 : 0));
    expect(accepted.size).toBe(90);
    expect([...accepted.values()].every((n) => n === 1)).toBe(true);
    const rows = await queryRows<{ payer_id: string; used: string; events: string; total: string }>(
      h.t.database.db,
      sql`select c.payer_id, c.used,
            (select count(*) from usage_events e where e.payer_id = c.payer_id) as events,
            (select sum(value) from usage_events e where e.payer_id = c.payer_id) as total
          from usage_counters c where c.payer_id like 'single_%' order by c.payer_id`,
    );
    const expected = users.map((user) => {
      const used = events.filter((e) => e.user_id === user).reduce((sum, e) => sum + e.value, 0);
      return [user, used, 30, used];
    });
    expect(rows.map((r) => [r.payer_id, Number(r.used), Number(r.events), Number(r.total)])).toEqual(
      expected,
    );
  });
});
