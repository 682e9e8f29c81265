import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { creditLedgerRepository, type PayerKey } from '../src/usage/credits-ledger.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';

// Credits granted by an admin with a reason (audited), read back as balances and a ledger by the
// admin and by the user, expired by the sweep, and a ledger that stays whole under concurrency.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());
beforeEach(() => t.reset());

type Caller = string | 'admin' | 'service';
async function call(method: 'GET' | 'POST' | 'PUT', url: string, as: Caller, payload?: object, key?: string) {
  const token = as === 'admin' ? t.adminKey : as === 'service' ? t.serviceKey : await t.userToken(as);
  return t.app.inject({
    method,
    url,
    headers: { ...bearer(token), ...(key ? { 'idempotency-key': key } : {}) },
    ...(payload ? { payload } : {}),
  });
}

const grant = (payload: object, key?: string) => call('POST', '/api/admin/credits', 'admin', payload, key);
/** The lots granted (a payer's debt lot, made by its first grant, holds no grant). */
const lots = () =>
  queryRows<{ id: string }>(t.database.db, sql`select id from credit_lots where source <> 'debt'`);
const ann: PayerKey = { payerKind: 'user', payerId: 'user_ann' };

describe('admin grants', () => {
  it('grant credits with a reason, audited, and both the admin and the user read the balance and the ledger', async () => {
    const res = await grant({
      user_id: 'user_ann',
      feature: 'ai_credits',
      amount: 250,
      reason: 'outage make-good',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ feature: 'ai_credits', amount: 250, expires_at: null, balance: 250 });
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    await grant({
      user_id: 'user_ann',
      feature: 'ai_credits',
      amount: 50,
      reason: 'beta tester',
      expires_at: expiresAt,
    });

    const admin = (await call('GET', '/api/admin/credits?user_id=user_ann', 'admin')).json();
    expect(admin.payer).toEqual({ kind: 'user', id: 'user_ann' });
    expect(admin.balances).toEqual([
      { feature: 'ai_credits', balance: 300, owed: 0, next_expiry: expiresAt },
    ]);
    expect(
      admin.ledger.data.map((e: { amount: number; movement: string; reason: string }) => [
        e.amount,
        e.movement,
        e.reason,
      ]),
    ).toEqual([
      [50, 'grant', 'beta tester'],
      [250, 'grant', 'outage make-good'],
    ]);
    const own = (await call('GET', '/api/me/credits', 'user_ann')).json();
    expect(own.balances).toEqual(admin.balances);
    expect((await call('GET', '/api/me/credits', 'user_bob')).json().balances).toEqual([]);

    const audited = await queryRows<{ action: string; actor_type: string; changes: unknown }>(
      t.database.db,
      sql`select action, actor_type, changes from audit_log where action = 'credits.grant' order by seq`,
    );
    expect(audited).toHaveLength(2);
    expect(audited[0]!.actor_type).toBe('api_key');
    expect(JSON.stringify(audited[0]!.changes)).toContain('outage make-good');
  });

  it('refuses every bad grant with a 4xx and changes nothing', async () => {
    const bad = async (payload: object) => {
      const res = await grant({
        user_id: 'user_ann',
        feature: 'ai_credits',
        amount: 10,
        reason: 'x',
        ...payload,
      });
      return [res.statusCode, res.json().error.code];
    };
    expect(await bad({ amount: 0 })).toEqual([400, 'validation_failed']);
    expect(await bad({ amount: -5 })).toEqual([400, 'validation_failed']);
    expect(await bad({ reason: '' })).toEqual([400, 'validation_failed']);
    expect(await bad({ reason: undefined })).toEqual([400, 'validation_failed']);
    expect(await bad({ organization_id: 'acme' })).toEqual([400, 'validation_failed']);
    expect(await bad({ user_id: undefined })).toEqual([400, 'validation_failed']);
    expect(await bad({ expires_at: '2020-01-01T00:00:00Z' })).toEqual([400, 'expires_at_past']);
    expect(await bad({ user_id: undefined, organization_id: 'nowhere' })).toEqual([404, 'not_found']);
    expect(await lots()).toEqual([]);
    const query = await call('GET', '/api/admin/credits', 'admin');
    expect(query.statusCode).toBe(400);
  });

  it('admits only admins to grant and read a payer’s credits, and members to an organisation’s', async () => {
    const payload = { user_id: 'user_ann', feature: 'ai_credits', amount: 10, reason: 'x' };
    expect((await call('POST', '/api/admin/credits', 'user_ann', payload)).statusCode).toBe(403);
    expect((await call('POST', '/api/admin/credits', 'service', payload)).statusCode).toBe(403);
    expect((await call('GET', '/api/admin/credits?user_id=user_ann', 'user_ann')).statusCode).toBe(403);
    expect((await call('GET', '/api/me/credits', 'admin')).statusCode).toBe(403);
    expect(await lots()).toEqual([]);

    await call('PUT', '/api/organizations/acme', 'service', {
      name: 'Acme',
      billing_email: 'ap@acme.example',
    });
    await call('PUT', '/api/organizations/acme/members/cy', 'service', { role: 'member' });
    expect(
      (await grant({ organization_id: 'acme', feature: 'ai_credits', amount: 40, reason: 'pilot' }))
        .statusCode,
    ).toBe(201);
    const member = (await call('GET', '/api/me/credits?org=acme', 'cy')).json();
    expect(member.payer).toEqual({ kind: 'organization', id: 'acme' });
    expect(member.balances[0].balance).toBe(40);
    expect((await call('GET', '/api/me/credits', 'cy')).json().balances).toEqual([]);
    const stranger = await call('GET', '/api/me/credits?org=acme', 'user_ann');
    expect([stranger.statusCode, stranger.json().error.code]).toEqual([404, 'not_found']);
  });

  it('grants once for a request retried with its Idempotency-Key', async () => {
    const payload = { user_id: 'user_ann', feature: 'ai_credits', amount: 10, reason: 'retry' };
    const first = await grant(payload, 'grant-once');
    const again = await grant(payload, 'grant-once');
    expect(again.json()).toEqual(first.json());
    expect(await lots()).toHaveLength(1);
    expect(await creditLedgerRepository.balance(t.database.db, ann, 'ai_credits')).toBe(10);
  });

  it('pages the ledger newest first', async () => {
    for (let i = 1; i <= 27; i++)
      await grant({ user_id: 'user_ann', feature: 'ai_credits', amount: i, reason: `grant ${i}` });
    const first = (await call('GET', '/api/admin/credits?user_id=user_ann', 'admin')).json();
    expect(first.ledger.data).toHaveLength(25);
    expect(first.ledger.data[0].amount).toBe(27);
    const second = (
      await call('GET', `/api/admin/credits?user_id=user_ann&cursor=${first.ledger.next_cursor}`, 'admin')
    ).json();
    expect(second.ledger.data.map((e: { amount: number }) => e.amount)).toEqual([2, 1]);
    expect(second.ledger.next_cursor).toBeNull();
    expect(first.balances[0].balance).toBe((27 * 28) / 2);
  });
});

describe('the credit ledger', () => {
  it('the sweep writes off expired lots, once, and the ledger sums to the balance again', async () => {
    const soon = new Date(Date.now() + 60_000);
    await grant({
      user_id: 'user_ann',
      feature: 'ai_credits',
      amount: 70,
      reason: 'a',
      expires_at: soon.toISOString(),
    });
    await grant({ user_id: 'user_ann', feature: 'ai_credits', amount: 30, reason: 'b' });
    const later = new Date(soon.getTime() + 1000);
    expect(await creditLedgerRepository.balance(t.database.db, ann, 'ai_credits', later)).toBe(30);
    expect(await creditLedgerRepository.ledgerSum(t.database.db, ann, 'ai_credits')).toBe(100);
    expect(await t.services.credits.expirySweep.runOnce(later)).toBe(1);
    expect(await t.services.credits.expirySweep.runOnce(later)).toBe(0);
    expect(await creditLedgerRepository.ledgerSum(t.database.db, ann, 'ai_credits')).toBe(30);
    const ledger = (await call('GET', '/api/admin/credits?user_id=user_ann', 'admin')).json().ledger.data;
    expect(ledger[0]).toMatchObject({ movement: 'expiry', amount: -70 });
  });

  it('concurrent grants and draws keep the ledger’s sum equal to the lots’ and never overdraw', async () => {
    const db = t.database.db;
    const drawOf = (amount: number, i: number) =>
      db.transaction((tx) =>
        creditLedgerRepository.draw(tx, {
          ...ann,
          feature: 'ai_credits',
          amount,
          movement: 'usage',
          reference: `race_${i}`,
          reason: null,
          allOrNothing: true,
        }),
      );
    // 10 credits, 50 draws of 7 at once: exactly one is served.
    await grant({ user_id: 'user_ann', feature: 'ai_credits', amount: 10, reason: 'race' });
    const raced = await Promise.all(Array.from({ length: 50 }, (_, i) => drawOf(7, i)));
    expect(raced.filter((n) => n === 7)).toHaveLength(1);
    expect(await creditLedgerRepository.balance(db, ann, 'ai_credits')).toBe(3);

    await grant({ user_id: 'user_ann', feature: 'ai_credits', amount: 97, reason: 'start' });
    const draws = Array.from({ length: 40 }, (_, i) =>
      db.transaction((tx) =>
        creditLedgerRepository.draw(tx, {
          ...ann,
          feature: 'ai_credits',
          amount: 7,
          movement: 'usage',
          reference: `use_${i}`,
          reason: null,
          allOrNothing: true,
        }),
      ),
    );
    const grants = Array.from({ length: 10 }, (_, i) =>
      db.transaction((tx) =>
        creditLedgerRepository.grant(tx, {
          ...ann,
          feature: 'ai_credits',
          amount: 5,
          source: 'admin',
          sourceRef: `concurrent_${i}`,
          expiresAt: null,
          reason: 'concurrent',
        }),
      ),
    );
    const [drawn] = await Promise.all([Promise.all(draws), Promise.all(grants)]);
    const taken = drawn.reduce((sum, n) => sum + n, 0);
    expect(drawn.every((n) => n === 0 || n === 7)).toBe(true);
    const [lotSum] = await queryRows<{ total: string }>(
      db,
      sql`select coalesce(sum(remaining), 0) as total from credit_lots where payer_id = 'user_ann'`,
    );
    const sum = await creditLedgerRepository.ledgerSum(db, ann, 'ai_credits');
    expect(sum).toBe(Number(lotSum!.total));
    expect(sum).toBe(157 - 7 - taken);
    expect(sum).toBeGreaterThanOrEqual(0);
    expect(taken).toBeGreaterThanOrEqual(98);
  });
});
