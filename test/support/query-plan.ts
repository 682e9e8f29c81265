import { sql } from 'drizzle-orm';
import { type Db, runStatement } from '../../src/db/client.js';

/**
 * PostgreSQL's plan for `query`, as JSON text, with sequential scans priced out: a query that
 * cannot use an index still scans, whatever the table's size, so a test on an empty table sees it.
 */
export async function planOf(
  db: Db,
  name: string,
  query: { toSQL(): { sql: string; params: unknown[] } },
  /** More plan kinds to price out (e.g. `sort`, to see whether an index can give the order). */
  alsoOff: Array<'sort' | 'bitmapscan'> = [],
): Promise<string> {
  const { sql: text, params } = query.toSQL();
  const plan = await db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    for (const kind of alsoOff) await tx.execute(sql.raw(`set local enable_${kind} = off`));
    return runStatement<Record<string, unknown>>(tx, { name, text: `explain (format json) ${text}` }, params);
  });
  return JSON.stringify(plan);
}
