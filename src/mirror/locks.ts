import { sql } from 'drizzle-orm';
import { type DbOrTx, runStatement, type Statement } from '../db/client.js';

/**
 * The advisory lock every event about a Stripe object holds (see the worker); held until the
 * transaction ends, so a handler may also wait for the events of an object its own depends on.
 */
export async function lockObject(db: DbOrTx, objectId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${objectId}, 0))`);
}

/**
 * Several objects' locks in one statement of fixed text, taken in the order of their lock keys (a
 * volatile function in the select list is evaluated after the sort). Every holder of more than
 * one object lock takes them this way, at once, so two holders never each wait for the other.
 */
const LOCK_OBJECTS: Statement = {
  name: 'recur_lock_objects',
  text: `select pg_advisory_xact_lock(key) as locked
         from (select distinct hashtextextended(id, 0) as key from unnest($1::text[]) as t(id)) k
         order by key`,
};

export async function lockObjects(db: DbOrTx, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await runStatement(db, LOCK_OBJECTS, [[...new Set(ids)]]);
}
