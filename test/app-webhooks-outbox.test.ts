import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { announce } from '../src/app-webhooks/outbox.js';
import { wantedTypes } from '../src/app-webhooks/wanted-types.js';
import { type Database, queryRows } from '../src/db/client.js';
import { openTestDatabase, truncateAll } from './support/db.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());
beforeEach(() => truncateAll(database));

async function endpoint(id: string, types: string[] | null, enabled = true) {
  await database.db.execute(
    sql`insert into app_webhook_endpoints (id, url, event_types, enabled, secret_encrypted)
        values (${id}, 'https://app.example/hooks', ${types === null ? null : sql`${`{${types.join(',')}}`}::text[]`}, ${enabled}, 'x')`,
  );
}

const ping = (dedupeKey: string, subject = 'user:u1') => ({
  type: 'ping' as const,
  subject,
  dedupeKey,
  at: new Date('2026-12-01T10:00:00Z'),
  data: { endpoint_id: 'we_1', message: 'hello' },
});

describe('the outbox writer', () => {
  it('writes nothing and uses no sequence number when no endpoint wants the type', async () => {
    await endpoint('we_other', ['invoice.paid']);
    await endpoint('we_off', null, false);
    expect((await wantedTypes(database.db)).has('ping')).toBe(false);
    expect(await announce(database.db, ping('k1'))).toBeNull();
    const [counts] = await queryRows<{ m: number; s: number }>(
      database.db,
      sql`select (select count(*)::int from app_webhook_messages) m, (select count(*)::int from app_webhook_sequences) s`,
    );
    expect(counts).toEqual({ m: 0, s: 0 });
  });

  it('writes one message with one delivery per wanting endpoint, numbered per subject, once per cause', async () => {
    await endpoint('we_all', null);
    await endpoint('we_ping', ['ping', 'invoice.paid']);
    await endpoint('we_invoices', ['invoice.paid']);
    expect((await wantedTypes(database.db)).has('ping')).toBe(true);
    const first = await announce(database.db, ping('k1'));
    const replay = await announce(database.db, ping('k1'));
    const second = await announce(database.db, ping('k2'));
    const otherSubject = await announce(database.db, ping('k3', 'user:u2'));
    expect(first).toMatch(/^msg_/);
    expect(replay).toBeNull();
    const messages = await queryRows<{ id: string; subject: string; sequence: number; body: string }>(
      database.db,
      sql`select id, subject, sequence::int, body from app_webhook_messages order by subject, sequence`,
    );
    expect(messages.map((m) => [m.id, m.subject, m.sequence])).toEqual([
      [first, 'user:u1', 1],
      [second, 'user:u1', 2],
      [otherSubject, 'user:u2', 1],
    ]);
    expect(JSON.parse(messages[1]!.body)).toEqual({
      type: 'ping',
      version: 1,
      timestamp: '2026-12-01T10:00:00.000Z',
      subject: 'user:u1',
      sequence: 2,
      data: { endpoint_id: 'we_1', message: 'hello' },
    });
    const deliveries = await queryRows<{ endpoint_id: string }>(
      database.db,
      sql`select endpoint_id from app_webhook_deliveries where message_id = ${first} order by endpoint_id`,
    );
    expect(deliveries.map((d) => d.endpoint_id)).toEqual(['we_all', 'we_ping']);
  });

  it('sends nothing for a change that rolls back', async () => {
    await endpoint('we_all', null);
    await expect(
      database.db.transaction(async (tx) => {
        await announce(tx, ping('k1'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const [row] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int n from app_webhook_deliveries`,
    );
    expect(row!.n).toBe(0);
  });

  it('addresses one endpoint only, even a disabled one, for a test message', async () => {
    await endpoint('we_all', null);
    await endpoint('we_off', ['invoice.paid'], false);
    const id = await announce(database.db, { ...ping('k1'), endpointId: 'we_off' });
    const deliveries = await queryRows<{ endpoint_id: string }>(
      database.db,
      sql`select endpoint_id from app_webhook_deliveries where message_id = ${id}`,
    );
    expect(deliveries.map((d) => d.endpoint_id)).toEqual(['we_off']);
  });
});
