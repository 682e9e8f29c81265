import { and } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbOrTx } from '../src/db/client.js';
import { invoices } from '../src/db/schema/index.js';
import { invoiceConditions } from '../src/invoices/repository.js';
import { notificationRepository } from '../src/notifications/repository.js';
import { subscriptionsOfUserQuery } from '../src/subscriptions/repository.js';
import { openTestDatabase } from './support/db.js';
import { planOf } from './support/query-plan.js';

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

describe('looking up a user’s billing history', () => {
  it('finds the user’s customers through an index, for their invoices', async () => {
    const db: DbOrTx = database.db;
    const query = db
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(...invoiceConditions(db, { userId: 'user_42' })));
    const plan = await planOf(database.db, 'test_explain_user_invoices', query);
    expect(plan).toContain('"customers_external_id"');
    expect(plan).not.toMatch(/"Seq Scan"[^}]*"customers"/);
  });

  it('finds the user’s customers through an index, for their subscriptions', async () => {
    const plan = await planOf(
      database.db,
      'test_explain_user_subscriptions',
      subscriptionsOfUserQuery(database.db, 'user_42'),
    );
    expect(plan).toContain('"customers_external_id"');
    expect(plan).not.toMatch(/"Seq Scan"[^}]*"customers"/);
  });
});

describe('looking up the notices sent about an invoice', () => {
  it('reads the customer’s own notices through their index, not every notice', async () => {
    const query = notificationRepository.existsQuery(
      database.db,
      'cus_42',
      ['payment_failed', 'payment_action_required'],
      'invoice_id',
      'in_42',
    );
    const plan = await planOf(database.db, 'test_explain_notice_exists', query);
    expect(plan).toContain('"notifications_customer"');
    expect(plan).not.toMatch(/"Seq Scan"[^}]*"notifications"/);
  });
});
