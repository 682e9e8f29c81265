import type { AnyColumn } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers, events, invoices, refunds, subscriptions } from '../src/db/schema/index.js';
import { eventSortColumns } from '../src/events/repository.js';
import { type SortColumns, sortedPage } from '../src/http/sorting.js';
import { invoiceSortColumns } from '../src/invoices/repository.js';
import { refundSortColumns } from '../src/refunds/repository.js';
import { subscriptionSortColumns } from '../src/subscriptions/repository.js';
import { openTestDatabase } from './support/db.js';
import { planOf } from './support/query-plan.js';

/**
 * Every sort key of the admin lists reads a page as a range of its (key, id) index, in either
 * direction, rather than sorting every row: with sequential scans, bitmap scans and sorts priced
 * out, a key without its index still shows a Sort.
 */
let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

const customerSortColumns: SortColumns<'created', { id: string; createdAt: Date }> = {
  created: { column: customers.createdAt, kind: 'time', of: (row) => row.createdAt },
};

const LISTS: Array<{
  table: PgTable;
  id: AnyColumn;
  columns: SortColumns<string, never>;
  indexes: Record<string, string>;
}> = [
  {
    table: subscriptions,
    id: subscriptions.id,
    columns: subscriptionSortColumns,
    indexes: { created: 'subscriptions_created', status: 'subscriptions_status_sorted' },
  },
  {
    table: invoices,
    id: invoices.id,
    columns: invoiceSortColumns,
    indexes: { created: 'invoices_created', total: 'invoices_total' },
  },
  {
    table: refunds,
    id: refunds.id,
    columns: refundSortColumns,
    indexes: { created: 'refunds_created', amount: 'refunds_amount' },
  },
  {
    table: events,
    id: events.id,
    columns: eventSortColumns,
    indexes: { received: 'events_received', occurred: 'events_occurred' },
  },
  {
    table: customers,
    id: customers.id,
    columns: customerSortColumns,
    indexes: { created: 'customers_created' },
  },
];

describe('sorted admin lists', () => {
  it('read each sort key’s page from its index, both ways and past a cursor', async () => {
    for (const list of LISTS) {
      for (const [key, index] of Object.entries(list.indexes)) {
        for (const order of ['asc', 'desc'] as const) {
          const kind = list.columns[key]!.kind;
          const value = kind === 'time' ? '2026-01-01T00:00:00.000Z' : kind === 'int' ? 100 : 'active';
          const cursor = Buffer.from(JSON.stringify([key, order, value, 'x_1'])).toString('base64url');
          const { orderBy, after } = sortedPage(list.columns, list.id, { key, order }, cursor);
          const query = database.db
            .select()
            .from(list.table)
            .where(after)
            .orderBy(...orderBy)
            .limit(26);
          const plan = await planOf(database.db, `test_explain_sort_${index}_${order}`, query, [
            'sort',
            'bitmapscan',
          ]);
          expect(plan, `${index} ${order}`).toContain(`"${index}"`);
          expect(plan, `${index} ${order}`).not.toContain('"Node Type":"Sort"');
        }
      }
    }
  });
});
