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
): Promise<string> {
  const { sql: text, params } = query.toSQL();
  const plan = await db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    return runStatement<Record<string, unknown>>(tx, { name, text: `explain (format json) ${text}` }, params);
  });
  return JSON.stringify(plan);
}
