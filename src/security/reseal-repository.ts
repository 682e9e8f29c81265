import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../db/client.js';
import type { SealedColumn } from './sealed-columns.js';

const PAGE = 500;

/** Names come from SEALED_COLUMNS, never from input. */
const ident = (name: string) => sql.raw(`"${name}"`);

/** The sealed text of the column: the column itself, or the named field of its JSON object. */
function sealedText(c: SealedColumn): SQL {
  return c.jsonField ? sql`(${ident(c.column)} ->> ${c.jsonField})` : ident(c.column);
}

/** The SQL of re-sealing: pages of values sealed with another key, and their conditional rewrite. */
export const resealRepository = {
  /** One page of this column's values not sealed with the current key, after `afterKey`. */
  async stale(
    db: DbOrTx,
    c: SealedColumn,
    currentPrefix: string,
    afterKey: string,
  ): Promise<Array<{ key: string; sealed: string }>> {
    return queryRows(
      db,
      sql`select ${ident(c.key)} as key, ${sealedText(c)} as sealed from ${ident(c.table)}
          where ${sealedText(c)} like 'v1.%' and ${sealedText(c)} not like ${`${currentPrefix}%`}
            and ${ident(c.key)} > ${afterKey}
          order by ${ident(c.key)} limit ${PAGE}`,
    );
  },

  /**
   * Writes the re-sealed value only if the row still holds the one read: a value rewritten
   * meanwhile (by the app, already under the current key) is left alone. True when written.
   */
  async replace(db: DbOrTx, c: SealedColumn, key: string, from: string, to: string): Promise<boolean> {
    const value = c.jsonField
      ? sql`jsonb_set(${ident(c.column)}, ${`{${c.jsonField}}`}::text[], to_jsonb(${to}::text))`
      : sql`${to}`;
    const rows = await queryRows<{ key: string }>(
      db,
      sql`update ${ident(c.table)} set ${ident(c.column)} = ${value}
          where ${ident(c.key)} = ${key} and ${sealedText(c)} = ${from}
          returning ${ident(c.key)} as key`,
    );
    return rows.length === 1;
  },

  /** One page of customers' sealed emails with their look-up hash, after `afterId`. */
  async emails(
    db: DbOrTx,
    afterId: string,
  ): Promise<Array<{ id: string; email_encrypted: string; email_hash: string | null }>> {
    return queryRows(
      db,
      sql`select id, email_encrypted, email_hash from customers
          where email_encrypted is not null and id > ${afterId} order by id limit ${PAGE}`,
    );
  },

  async setEmailHash(db: DbOrTx, id: string, from: string | null, to: string): Promise<void> {
    await db.execute(
      sql`update customers set email_hash = ${to}
          where id = ${id} and email_hash is not distinct from ${from}`,
    );
  },

  /** One page of customers' sealed names with their prefix index, after `afterId`. */
  async names(
    db: DbOrTx,
    afterId: string,
  ): Promise<Array<{ id: string; name_encrypted: string; name_prefixes: string[] | null }>> {
    return queryRows(
      db,
      sql`select id, name_encrypted, name_prefixes from customers
          where name_encrypted is not null and id > ${afterId} order by id limit ${PAGE}`,
    );
  },

  /** Writes the index only if the name is still the one it was computed from. True when written. */
  async setNameIndex(db: DbOrTx, id: string, nameSealed: string, index: string[] | null): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      db,
      sql`update customers set name_prefixes = ${index === null ? null : sql`${`{${index.join(',')}}`}::text[]`}
          where id = ${id} and name_encrypted = ${nameSealed} returning id`,
    );
    return rows.length === 1;
  },

  pageSize: PAGE,
};
