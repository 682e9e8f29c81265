// Every write through the API leaves one audit row naming its caller, request and changes.
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AuditActor, withAuditScope } from '../src/audit/context.js';
import { type AuditEntry, recordAudit } from '../src/audit/record.js';
import { verifyAuditChain } from '../src/audit/verify.js';
import { queryRows } from '../src/db/client.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());
beforeEach(() => t.reset());

interface AuditRowSeen {
  actor_type: string;
  actor_id: string | null;
  actor_role: string | null;
  cause: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  changes: { before: Record<string, unknown> | null; after: Record<string, unknown> | null };
  request_id: string | null;
  client_address: string | null;
}

async function auditRows(afterSeq = 0): Promise<Array<AuditRowSeen & { seq: string; hash: string }>> {
  return queryRows(t.database.db, sql`select * from audit_log where seq > ${afterSeq} order by seq`);
}

async function headSeq(): Promise<number> {
  const [row] = await queryRows<{ seq: string | null }>(
    t.database.db,
    sql`select max(seq) as seq from audit_log`,
  );
  return Number(row?.seq ?? 0);
}

describe('API keys', () => {
  it('a key made and revoked by an admin leaves a row each, naming the admin key and the request', async () => {
    const [adminKey] = await queryRows<{ id: string }>(
      t.database.db,
      sql`select id from api_keys where name = 'test admin'`,
    );
    const from = await headSeq();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/admin/api-keys',
      headers: bearer(t.adminKey),
      payload: { name: 'ci', role: 'service' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().api_key.id;
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/admin/api-keys/${id}`,
      headers: bearer(t.adminKey),
    });
    expect(revoked.statusCode).toBe(200);
    const rows = await auditRows(from);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      actor_type: 'api_key',
      actor_id: adminKey!.id,
      actor_role: 'admin',
      action: 'api_key.create',
      object_id: id,
      request_id: created.headers['request-id'],
      client_address: '127.0.0.1',
      changes: { before: null, after: { name: 'ci', role: 'service' } },
    });
    expect(rows[1]).toMatchObject({
      action: 'api_key.revoke',
      object_id: id,
      request_id: revoked.headers['request-id'],
      changes: { before: { revoked_at: null } },
    });
  });

  it('a refused write leaves no row', async () => {
    const from = await headSeq();
    const res = await t.app.inject({
      method: 'DELETE',
      url: '/api/admin/api-keys/key_missing',
      headers: bearer(t.adminKey),
    });
    expect(res.statusCode).toBe(404);
    expect(await auditRows(from)).toHaveLength(0);
  });
});

/** Writes rows as `actor` would, without the request that usually makes them. */
async function recordAs(actor: AuditActor, entries: AuditEntry[]): Promise<void> {
  for (const entry of entries)
    await withAuditScope({ actor: () => actor, requestId: null, clientAddress: null }, () =>
      recordAudit(t.database.db, entry),
    );
}

const list = (query: string) =>
  t.app.inject({ method: 'GET', url: `/api/admin/audit${query}`, headers: bearer(t.adminKey) });

describe('GET /api/admin/audit', () => {
  it('filters by actor, action, object and time, and pages newest first with a cursor', async () => {
    const admin: AuditActor = { type: 'api_key', id: 'key_a', role: 'admin' };
    const user: AuditActor = { type: 'user', id: 'user_1', role: 'user' };
    const started = new Date();
    await recordAs(admin, [
      { action: 'plan.create', objectType: 'plan', objectId: 'plan_1', after: { key: 'a' } },
      {
        action: 'plan.update',
        objectType: 'plan',
        objectId: 'plan_1',
        before: { key: 'a' },
        after: { key: 'b' },
      },
      {
        action: 'plan.update',
        objectType: 'plan',
        objectId: 'plan_2',
        before: { key: 'c' },
        after: { key: 'd' },
      },
    ]);
    await recordAs(user, [
      {
        action: 'subscription.cancel',
        objectType: 'subscription',
        objectId: 'sub_1',
        after: { status: 'canceled' },
      },
    ]);

    const byActor = (await list('?actor_id=user_1')).json();
    expect(byActor.data.map((r: { action: string }) => r.action)).toEqual(['subscription.cancel']);
    expect(byActor.data[0]).toMatchObject({
      actor: { type: 'user', id: 'user_1', role: 'user', cause: null },
      object_type: 'subscription',
      object_id: 'sub_1',
      after: { status: 'canceled' },
      outcome: 'succeeded',
    });
    const updates = (await list('?action=plan.update')).json().data;
    expect(updates.map((r: { object_id: string }) => r.object_id)).toEqual(['plan_2', 'plan_1']);
    expect((await list('?object_type=plan&object_id=plan_1')).json().data).toHaveLength(2);
    expect((await list(`?from=${new Date(Date.now() + 60_000).toISOString()}`)).json().data).toHaveLength(0);

    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 5; page++) {
      const body = (
        await list(`?limit=1&from=${started.toISOString()}${cursor && `&cursor=${cursor}`}`)
      ).json();
      seen.push(...body.data.map((r: { action: string }) => r.action));
      if (!body.next_cursor) break;
      cursor = body.next_cursor;
    }
    expect(seen).toEqual(['subscription.cancel', 'plan.update', 'plan.update', 'plan.create']);
  });

  it('refuses a range that ends before it starts, and a forged cursor', async () => {
    expect((await list('?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z')).statusCode).toBe(400);
    expect((await list('?cursor=bm90IGEgY3Vyc29y')).statusCode).toBe(400);
  });
});

describe('GET /api/admin/audit/export', () => {
  it('streams CSV that a CSV parser reads back into the rows, quotes, commas and line breaks included', async () => {
    const awkward = 'a "quoted", multi\r\nline note';
    await recordAs({ type: 'system', cause: 'cli: recur sync, "manual"' }, [
      { action: 'refund.create', objectType: 'charge', objectId: 'ch_1', after: { note: awkward } },
      {
        action: 'refund.create',
        objectType: 'charge',
        objectId: 'ch_2',
        outcome: 'failed',
        error: 'Stripe said, "no"',
      },
    ]);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/admin/audit/export?action=refund.create',
      headers: bearer(t.adminKey),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const records: Array<Record<string, string>> = parse(res.body, { columns: true });
    const [first, second] = records;
    expect(records).toHaveLength(2);
    expect(first).toMatchObject({
      actor_type: 'system',
      actor_id: '',
      cause: 'cli: recur sync, "manual"',
      object_id: 'ch_1',
      outcome: 'succeeded',
    });
    expect(JSON.parse(first!.after!)).toEqual({ note: awkward });
    expect(second).toMatchObject({ object_id: 'ch_2', outcome: 'failed', error: 'Stripe said, "no"' });
    // The export holds what the chain holds: each row's hash follows the one before it.
    const stored = await auditRows();
    expect(records.map((r) => r.hash)).toEqual(
      stored.filter((r) => r.action === 'refund.create').map((r) => r.hash),
    );
  });
});

describe('retention', () => {
  it('keeps every row until a retention is set; then the prune removes the old rows and verify still passes', async () => {
    await recordAs({ type: 'system', cause: 'test' }, [
      { action: 'plan.create', objectType: 'plan', objectId: 'old', after: { key: 'old' } },
    ]);
    const later = new Date(Date.now() + 3 * 86_400_000);
    expect(await t.services.auditRetention.runOnce()).toBe(0);

    const set = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/settings',
      headers: bearer(t.adminKey),
      payload: { audit_retention_days: 2 },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().audit_retention_days).toBe(2);
    const before = await auditRows();
    // Three days on, every row so far is past two days of retention.
    expect(await t.services.auditTrail.prune(2, later)).toBe(before.length);
    const after = await auditRows();
    expect(after.map((r) => r.action)).toEqual(['audit.prune']);
    expect(after[0]).toMatchObject({ actor_type: 'system', cause: 'audit_retention' });
    expect(await verifyAuditChain(t.database.db)).toMatchObject({ ok: true, rows: 1 });
  });
});

describe('a write Stripe refuses', () => {
  it('leaves one failed row naming the route, the caller and Stripe’s reason, and nothing else', async () => {
    const from = await headSeq();
    t.emulator.faults.set({
      failNext: [
        {
          method: 'POST',
          path: '/v1/products',
          count: 1,
          status: 400,
          error: { type: 'invalid_request_error', message: 'Injected refusal' },
        },
      ],
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/plans',
      headers: bearer(t.adminKey),
      payload: {
        key: 'refused',
        name: 'Refused',
        prices: [{ currency: 'usd', unit_amount: 900, interval: 'month' }],
      },
    });
    t.emulator.faults.set({ failNext: [] });
    expect(res.statusCode).toBe(502);
    const rows = await auditRows(from);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_type: 'api_key',
      actor_role: 'admin',
      action: 'POST /api/plans',
      object_type: 'request',
      request_id: res.headers['request-id'],
    });
    expect(rows[0] as unknown as { outcome: string; error: string }).toMatchObject({
      outcome: 'failed',
      error: expect.stringContaining('Injected refusal'),
    });
  });
});
