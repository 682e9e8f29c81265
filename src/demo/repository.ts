import { and, eq, inArray, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../db/client.js';
import { customers, events } from '../db/schema/index.js';
import { DEMO_METADATA } from '../stripe/demo-activity.js';

export interface InboxProgress {
  /** Of the events asked about, how many the inbox holds. */
  arrived: number;
  /** Of those, how many still wait for the worker (received, being processed, or to be retried). */
  waiting: number;
}

export interface DemoCounts {
  customers: number;
  subscriptions: number;
  invoices: number;
  /** MRR of the run's subscriptions now, in minor units per currency. */
  mrr: Array<{ currency: string; mrr: number }>;
}

const IN_BATCHES = 5_000;

/** What `recur demo` reads of the mirror and the inbox. */
export const demoRepository = {
  /** Whether a demo history is already there: a live customer carrying the demo's marker. */
  async hasDemoHistory(db: DbOrTx): Promise<boolean> {
    const [row] = await queryRows<{ found: boolean }>(
      db,
      sql`select exists(select 1 from customers where not deleted and metadata ? ${DEMO_METADATA}) as found`,
    );
    return row?.found === true;
  },

  async inboxProgress(db: DbOrTx, stripeEventIds: string[]): Promise<InboxProgress> {
    const progress: InboxProgress = { arrived: 0, waiting: 0 };
    for (let i = 0; i < stripeEventIds.length; i += IN_BATCHES) {
      const [row] = await db
        .select({
          arrived: sql<number>`count(*)::int`,
          waiting: sql<number>`(count(*) filter (where ${events.status} in ('received', 'processing', 'failed')))::int`,
        })
        .from(events)
        .where(
          and(
            eq(events.source, 'stripe'),
            inArray(events.externalId, stripeEventIds.slice(i, i + IN_BATCHES)),
          ),
        );
      progress.arrived += row?.arrived ?? 0;
      progress.waiting += row?.waiting ?? 0;
    }
    return progress;
  },

  async deadEvents(db: DbOrTx): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(events)
      .where(eq(events.status, 'dead'));
    return row?.n ?? 0;
  },

  /** What one run made, as the mirror holds it: its customers are those with the run's marker. */
  async countsOfRun(db: DbOrTx, runId: string): Promise<DemoCounts> {
    const ofRun = sql`(select id from ${customers} where metadata ->> ${DEMO_METADATA} = ${runId})`;
    const [counts] = await queryRows<{ customers: number; subscriptions: number; invoices: number }>(
      db,
      sql`select (select count(*) from customers where id in ${ofRun})::int as customers,
                 (select count(*) from subscriptions where customer_id in ${ofRun})::int as subscriptions,
                 (select count(*) from invoices where customer_id in ${ofRun})::int as invoices`,
    );
    const mrr = await queryRows<{ currency: string; mrr: number }>(
      db,
      sql`select currency, sum(mrr)::bigint as mrr from subscription_mrr
          where customer_id in ${ofRun} group by currency order by currency`,
    );
    return {
      customers: counts?.customers ?? 0,
      subscriptions: counts?.subscriptions ?? 0,
      invoices: counts?.invoices ?? 0,
      mrr: mrr.map((r) => ({ currency: r.currency, mrr: Number(r.mrr) })),
    };
  },
};
