import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { type DbOrTx, runStatement, type Statement } from '../db/client.js';

/**
 * The advisory lock every event about a Stripe object holds (see the worker); held until the
 * transaction ends, so a handler may also wait for the events of an object its own depends on.
 */
export async function lockObject(db: DbOrTx, objectId: string): Promise<void> {
  if (heldBy(db)?.has(objectId)) return;
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${objectId}, 0))`);
  heldBy(db)?.add(objectId);
}

/**
 * The objects a transaction has locked: asking again for a lock it holds (a handler asking for what
 * the worker took for the whole batch) costs no round trip. Only a transaction's are remembered:
 * outside one, each statement is a transaction of its own and holds nothing after it.
 */
const held = new WeakMap<object, Set<string>>();
function heldBy(db: DbOrTx): Set<string> | null {
  if (!(db instanceof PgTransaction)) return null;
  let ids = held.get(db);
  if (!ids) {
    ids = new Set();
    held.set(db, ids);
  }
  return ids;
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
  const holding = heldBy(db);
  const wanted = [...new Set(ids)].filter((id) => !holding?.has(id));
  if (!wanted.length) return;
  await runStatement(db, LOCK_OBJECTS, [wanted]);
  for (const id of wanted) holding?.add(id);
}
