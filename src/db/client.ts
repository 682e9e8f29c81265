import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema/index.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** What a transaction callback receives; repositories accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export const MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  migrate(): Promise<void>;
  ping(): Promise<void>;
  /** Calls `onNotify` on each NOTIFY to `channel`; resolves to a function that stops listening. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
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
}): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
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
      async listen(channel, onNotify) {
        if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
        // LISTEN needs a session of its own, outside the pool's rotation.
        const client = new pg.Client({ connectionString: options.url });
        client.on('error', () => {});
        client.on('notification', (message) => {
          if (message.channel === channel) onNotify();
        });
        await client.connect();
        await client.query(`listen ${channel}`);
        return async () => {
          await client.end().catch(() => {});
        };
      },
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
    client = new PGlite();
  } else {
    mkdirSync(dataDir, { recursive: true });
    client = new PGlite(join(dataDir, 'pgdata'));
  }
  await client.waitReady;
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
      const unsubscribe = await client.listen(channel, () => onNotify());
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

/** Rows of a raw query; node-postgres and PGlite both answer `{ rows }`. */
export async function queryRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
