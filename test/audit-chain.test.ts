// The audit trail's chain: appends from many writers keep one chain, the database refuses to
// change a row, and `recur audit verify` names the first row altered or following a removed one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asSystem, withAuditScope } from '../src/audit/context.js';
import { recordAudit } from '../src/audit/record.js';
import { auditRepository } from '../src/audit/repository.js';
import { verifyAuditChain } from '../src/audit/verify.js';
import { type Database, openDatabase, queryRows } from '../src/db/client.js';
import { runRecur } from './support/cli.js';
import { openTestDatabase, targets, truncateAll } from './support/db.js';

let database: Database & { url?: string };
let dataDir: string;

/** PGlite on disk (so the CLI can open it after us), or a PostgreSQL database of its own. */
async function open(): Promise<Database & { url?: string }> {
  if (targets.databaseUrl) return database ?? openTestDatabase();
  const opened = await openDatabase({ dataDir: join(dataDir, 'db') });
  await opened.migrate();
  return opened;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'recur-audit-'));
  database = await open();
});
afterAll(async () => {
  await database.close();
  await rm(dataDir, { recursive: true, force: true });
});
beforeEach(() => truncateAll(database));

const write = (n: number) =>
  withAuditScope(
    {
      actor: () => ({ type: 'api_key', id: 'key_test', role: 'admin' }),
      requestId: `req_${n}`,
      clientAddress: '203.0.113.7',
    },
    () =>
      recordAudit(database.db, {
        action: 'plan.update',
        objectType: 'plan',
        objectId: `plan_${n}`,
        before: { name: 'Basic', trial_days: n },
        after: { name: 'Basic', trial_days: n + 1 },
      }),
  );

const rowsInOrder = () =>
  queryRows<{ seq: string; id: string; prev_hash: string; hash: string }>(
    database.db,
    sql`select seq, id, prev_hash, hash from audit_log order by seq`,
  );

/** Runs `statement` past the append-only trigger, as someone with the database's keys would. */
async function byHand(statement: ReturnType<typeof sql>): Promise<void> {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
  });
}

describe('the audit chain', () => {
  it('records who, what, when, the request and only the changed fields', async () => {
    await write(1);
    const [row] = await queryRows<Record<string, unknown>>(database.db, sql`select * from audit_log`);
    expect(row).toMatchObject({
      actor_type: 'api_key',
      actor_id: 'key_test',
      actor_role: 'admin',
      cause: null,
      action: 'plan.update',
      object_type: 'plan',
      object_id: 'plan_1',
      changes: { before: { trial_days: 1 }, after: { trial_days: 2 } },
      outcome: 'succeeded',
      request_id: 'req_1',
      client_address: '203.0.113.7',
      prev_hash: '0'.repeat(64),
    });
  });

  it('says system and why for what Recur writes on its own, and never keeps personal data in clear', async () => {
    await asSystem('scheduled_sync', () =>
      recordAudit(database.db, {
        action: 'customer.link',
        objectType: 'customer',
        objectId: 'cus_1',
        before: null,
        after: {
          name: 'Ada Lovelace',
          email: 'ada@example.com',
          address: { line1: '1 Main St' },
          user_id: 'u1',
        },
      }),
    );
    const [row] = await queryRows<Record<string, unknown>>(database.db, sql`select * from audit_log`);
    expect(row).toMatchObject({ actor_type: 'system', actor_id: null, cause: 'scheduled_sync' });
    expect(row!.changes).toEqual({
      before: null,
      after: { name: '[redacted]', email: '[redacted]', address: '[redacted]', user_id: 'u1' },
    });
    expect(JSON.stringify(row)).not.toMatch(/Ada|ada@|Main St/);
  });

  it('keeps one chain when many writers append at once', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => write(i)));
    const rows = await rowsInOrder();
    expect(rows).toHaveLength(40);
    expect(rows[0]!.prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(40);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, rows: 40 });
  });

  it('is refused an UPDATE or a DELETE by the database', async () => {
    await write(1);
    await expect(database.db.execute(sql`update audit_log set action = 'x'`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from audit_log`)).rejects.toThrow();
    expect(await rowsInOrder()).toHaveLength(1);
  });

  it('rolls back with the write it records', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await recordAudit(tx, { action: 'plan.create', objectType: 'plan', objectId: 'p', after: {} });
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect(await rowsInOrder()).toHaveLength(0);
  });

  it('names an altered row, one whose hash was recomputed (by the next row), and the row after a removed one', async () => {
    for (let i = 0; i < 5; i++) await write(i);
    const rows = await rowsInOrder();
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, rows: 5 });

    await byHand(sql`update audit_log set action = 'plan.delete' where id = ${rows[2]!.id}`);
    expect(await verifyAuditChain(database.db)).toMatchObject({
      ok: false,
      rows: 2,
      bad: { id: rows[2]!.id },
    });
    await byHand(sql`update audit_log set hash = ${'f'.repeat(64)} where id = ${rows[2]!.id}`);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, bad: { id: rows[2]!.id } });
    await byHand(
      sql`update audit_log set action = 'plan.update', hash = ${rows[2]!.hash} where id = ${rows[2]!.id}`,
    );
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });

    await byHand(sql`delete from audit_log where id = ${rows[1]!.id}`);
    const broken = await verifyAuditChain(database.db);
    expect(broken).toMatchObject({ ok: false, rows: 1, bad: { id: rows[2]!.id } });
    if (!broken.ok) expect(broken.bad.reason).toMatch(/removed or altered/);
  });

  it('verifies from the anchor a retention prune leaves, and the prune itself goes through the trigger', async () => {
    for (let i = 0; i < 4; i++) await write(i);
    const rows = await rowsInOrder();
    const pruned = await database.db.transaction((tx) =>
      auditRepository.pruneBefore(tx, new Date(Date.now() + 1000)),
    );
    expect(pruned).toBe(4);
    expect(await auditRepository.anchor(database.db)).toMatchObject({ hash: rows[3]!.hash });
    await write(5);
    const [next] = await rowsInOrder();
    expect(next!.prev_hash).toBe(rows[3]!.hash);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, rows: 1 });
    // The prune's permission ended with its transaction.
    await expect(database.db.execute(sql`delete from audit_log`)).rejects.toThrow();
  });
});

describe('recur audit verify', () => {
  /** On PGlite the CLI needs the data folder to itself: the test's own handle is closed meanwhile. */
  async function withDatabase<T>(fn: () => Promise<T>): Promise<T> {
    if (targets.databaseUrl) return fn();
    database = await open();
    try {
      return await fn();
    } finally {
      await database.close();
    }
  }
  const verify = () =>
    runRecur(['audit', 'verify'], {
      RECUR_DATA_DIR: dataDir,
      ...(targets.databaseUrl ? { DATABASE_URL: database.url!, RECUR_ENCRYPTION_KEY: 'b3'.repeat(32) } : {}),
    });

  it('passes on an intact trail, then exits 1 naming a row altered by hand, then a row after one deleted by hand', async () => {
    const writeFive = async () => {
      for (let i = 0; i < 5; i++) await write(i);
      return rowsInOrder();
    };
    const rows = await writeFive();
    if (!targets.databaseUrl) await database.close();

    const intact = await verify();
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/audit trail intact: 5 rows/);

    await withDatabase(() => byHand(sql`update audit_log set changes = '{}' where id = ${rows[3]!.id}`));
    const altered = await verify();
    expect(altered.code).toBe(1);
    expect(altered.stdout).toContain(`broken at row ${rows[3]!.id}`);
    expect(altered.stdout).toMatch(/was altered/);

    const fresh = await withDatabase(async () => {
      await truncateAll(database);
      const written = await writeFive();
      await byHand(sql`delete from audit_log where id = ${written[2]!.id}`);
      return written;
    });
    const deleted = await verify();
    expect(deleted.code).toBe(1);
    expect(deleted.stdout).toContain(`broken at row ${fresh[3]!.id}`);
    expect(deleted.stdout).toMatch(/removed or altered/);
    if (!targets.databaseUrl) database = await open();
  });
});
