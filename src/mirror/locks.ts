import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';

/**
 * The advisory lock every event about a Stripe object holds (see the worker); held until the
 * transaction ends, so a handler may also wait for the events of an object its own depends on.
 */
export async function lockObject(db: DbOrTx, objectId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${objectId}, 0))`);
}

/** Several objects' locks in one statement, taken in id order so that two holders never deadlock. */
export async function lockObjects(db: DbOrTx, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const sorted = [...new Set(ids)].sort();
  const rows = sql.join(
    sorted.map((id) => sql`(${id})`),
    sql`, `,
  );
  await db.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(t.id, 0)) from (values ${rows}) as t(id) order by t.id`,
  );
}
