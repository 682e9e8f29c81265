import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { loadTestTargets } from '../../src/config.js';
import { type Database, openDatabase, queryRows } from '../../src/db/client.js';

export const targets = loadTestTargets();

/**
 * A migrated database of its own for this test file: in-memory PGlite, or, when TEST_DATABASE_URL
 * is set, a new PostgreSQL database created beside it and dropped at the end.
 */
export async function openTestDatabase(): Promise<Database & { url?: string }> {
  if (!targets.databaseUrl) {
    const database = await openDatabase({ dataDir: ':memory:' });
    await database.migrate();
    return database;
  }
  const name = `recur_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: targets.databaseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(targets.databaseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 5 });
  await database.migrate();
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: targets.databaseUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** Empties every table between tests, keeping the schema and its migrations. */
export async function truncateAll(database: Database): Promise<void> {
  const rows = await queryRows<{ tablename: string }>(
    database.db,
    sql`select tablename from pg_tables where schemaname = 'public'`,
  );
  const tables = rows.map((r) => `"${r.tablename}"`);
  if (tables.length) await database.db.execute(sql.raw(`truncate ${tables.join(', ')} cascade`));
}
