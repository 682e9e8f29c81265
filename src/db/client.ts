import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { MIGRATIONS_FOLDER } from './migrations-folder.js';
import { openPgliteInMemory, openPgliteOnDisk } from './pglite.js';
import * as schema from './schema/index.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** What a transaction callback receives; repositories accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  migrate(): Promise<void>;
  ping(): Promise<void>;
  /**
   * Calls `onNotify` with the payload of each NOTIFY to `channel`; resolves to a function that
   * stops listening.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string): Promise<void>;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]*$/;

/**
 * PostgreSQL when a URL is given, otherwise PGlite: in `dataDir` on disk, or in memory when
 * `dataDir` is ':memory:' (tests). Both run the same migrations folder.
 */
export async function openDatabase(options: {
  url?: string;
  dataDir?: string;
  poolSize?: number;
  /** Where a new PGlite data directory's template is looked for (tests); see pglite-template.ts. */
  pgliteTemplateDir?: string;
}): Promise<Database> {
  const { url } = options;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    // An idle client that loses its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      migrate: () => migratePg(drizzlePg(pool, { schema }), { migrationsFolder: MIGRATIONS_FOLDER }),
      ping: async () => {
        await db.execute(sql`select 1`);
      },
      listen: (channel, onNotify) => listenPg(url, channel, onNotify),
      async notify(channel) {
        if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
        await db.execute(sql.raw(`notify ${channel}`));
      },
      close: () => pool.end(),
    };
  }
  const dataDir = options.dataDir ?? ':memory:';
  let client: PGlite;
  if (dataDir === ':memory:') {
    client = await openPgliteInMemory();
  } else {
    mkdirSync(dataDir, { recursive: true });
    client = await openPgliteOnDisk(join(dataDir, 'pgdata'), options.pgliteTemplateDir);
  }
  const pgliteDb = drizzlePglite(client, { schema });
  const db = pgliteDb as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: () => migratePglite(pgliteDb, { migrationsFolder: MIGRATIONS_FOLDER }),
    ping: async () => {
      await client.query('select 1');
    },
    async listen(channel, onNotify) {
      if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
      const unsubscribe = await client.listen(channel, (payload) => onNotify(payload));
      return async () => {
        await unsubscribe();
      };
    },
    async notify(channel) {
      if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
      await client.query(`notify ${channel}`);
    },
    close: () => client.close(),
  };
}

/**
 * LISTEN on a session of its own, outside the pool's rotation, kept open: when the session is lost
 * (the server restarted, the connection cut), it is opened again with backoff, and `onNotify('')`
 * then tells the listener that wake-ups may have been missed meanwhile. Resolves once listening,
 * or after the first attempt failed, the next ones being made in the background.
 */
async function listenPg(
  url: string,
  channel: string,
  onNotify: (payload: string) => void,
): Promise<() => Promise<void>> {
  if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
  let current: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const open = async (): Promise<boolean> => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {});
    client.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    client.on('end', () => {
      if (current !== client) return;
      current = null;
      reopen(1);
    });
    try {
      await client.connect();
      await client.query(`listen ${channel}`);
    } catch {
      await client.end().catch(() => {});
      return false;
    }
    if (stopped) await client.end().catch(() => {});
    else current = client;
    return !stopped;
  };
  const reopen = (attempt: number) => {
    if (stopped) return;
    retry = setTimeout(
      async () => {
        if (await open()) onNotify('');
        else reopen(attempt + 1);
      },
      Math.min(5_000, 50 * 2 ** attempt),
    );
  };
  if (!(await open())) reopen(1);
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const client = current;
    current = null;
    await client?.end().catch(() => {});
  };
}

/** Rows of a raw query; node-postgres and PGlite both answer `{ rows }`. */
export async function queryRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * A hot-path statement run without the query builder: its text is fixed, so on PostgreSQL it is
 * parsed and planned once per connection (a named prepared statement) and then only bound and
 * executed. Repositories own these like any other SQL.
 */
export interface Statement {
  /** Unique per text: PostgreSQL keeps one prepared statement per name and connection. */
  readonly name: string;
  readonly text: string;
}

interface PgQueryable {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}
interface PgliteQueryable {
  query(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * Runs `statement` on the connection behind `db`: the pool, or the transaction's own client.
 * Values and rows use the drivers' own types (a timestamptz is a Date on both).
 */
export async function runStatement<T>(db: DbOrTx, statement: Statement, values: unknown[]): Promise<T[]> {
  // Drizzle keeps the driver's client on its session: the pool (or PGlite) for the database, the
  // checked-out connection (or PGlite's transaction) inside a transaction.
  const client = (db as unknown as { session: { client: unknown } }).session.client;
  const result =
    client instanceof pg.Pool || client instanceof pg.Client
      ? await (client as PgQueryable).query({ name: statement.name, text: statement.text, values })
      : await (client as PgliteQueryable).query(statement.text, values);
  return result.rows as T[];
}
