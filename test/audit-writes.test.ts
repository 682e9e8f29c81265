// Every write through the API leaves one audit row naming its caller, request and changes.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

async function auditRows(afterSeq = 0): Promise<Array<AuditRowSeen & { seq: string }>> {
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
