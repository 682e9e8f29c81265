import { and, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbOrTx, runStatement } from '../src/db/client.js';
import { invoices } from '../src/db/schema/index.js';
import { invoiceConditions } from '../src/invoices/repository.js';
import { subscriptionsOfUserQuery } from '../src/subscriptions/repository.js';
import { openTestDatabase } from './support/db.js';

/**
 * A user's invoices and subscriptions are looked up by the host app's user id over every customer
 * the user ever had, deleted ones included, so the partial unique index of live customers cannot
 * serve them: `customers_external_id` does. With sequential scans priced out, a query that cannot
 * use an index on `customers` still scans it, whatever the table's size.
 */
let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  database = await openTestDatabase();
  await database.migrate();
});
afterAll(() => database.close());

async function planOf(name: string, query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string> {
  const { sql: text, params } = query.toSQL();
  const plan = await database.db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    return runStatement<Record<string, unknown>>(tx, { name, text: `explain (format json) ${text}` }, params);
  });
  return JSON.stringify(plan);
}

describe('looking up a user’s billing history', () => {
  it('finds the user’s customers through an index, for their invoices', async () => {
    const db: DbOrTx = database.db;
    const query = db
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(...invoiceConditions(db, { userId: 'user_42' })));
    const plan = await planOf('test_explain_user_invoices', query);
    expect(plan).toContain('"customers_external_id"');
    expect(plan).not.toMatch(/"Seq Scan"[^}]*"customers"/);
  });

  it('finds the user’s customers through an index, for their subscriptions', async () => {
    const plan = await planOf(
      'test_explain_user_subscriptions',
      subscriptionsOfUserQuery(database.db, 'user_42'),
    );
    expect(plan).toContain('"customers_external_id"');
    expect(plan).not.toMatch(/"Seq Scan"[^}]*"customers"/);
  });
});
