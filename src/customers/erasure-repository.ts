import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../db/client.js';

/** How many stored events an erasure reads and rewrites at a time. */
const PAGE = 500;

/** The SQL of erasures: the personal columns themselves are cleared by the `customers_keep_erased` trigger. */
export const erasureRepository = {
  /** Subscriptions of the customer that still bill or give access (anything not ended). */
  async liveSubscriptionIds(db: DbOrTx, customerId: string): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      db,
      sql`select id from subscriptions
          where customer_id = ${customerId} and status not in ('canceled', 'incomplete_expired')
          order by id`,
    );
    return rows.map((r) => r.id);
  },

  /** The customer's erasure time, its row locked until the transaction ends; undefined when unknown. */
  async lockErasedAt(db: DbOrTx, customerId: string): Promise<Date | null | undefined> {
    const rows = await queryRows<{ erased_at: Date | string | null }>(
      db,
      sql`select erased_at from customers where id = ${customerId} for update`,
    );
    if (!rows[0]) return undefined;
    return rows[0].erased_at === null ? null : new Date(rows[0].erased_at);
  },

  /**
   * Clears the personal columns and marks the customer erased (a second erasure keeps the first
   * time: call it with the row locked by `lockErasedAt`). The trigger acts on the rows already erased, so this first update clears them itself;
   * every later write of the row is then held empty by the trigger.
   */
  async markErased(db: DbOrTx, customerId: string, at: Date): Promise<Date> {
    const rows = await queryRows<{ erased_at: Date | string }>(
      db,
      sql`update customers
          set erased_at = coalesce(erased_at, ${at.toISOString()}::timestamptz), deleted = true,
              email_encrypted = null, email_hash = null, name_encrypted = null, name_prefixes = null,
              external_id = null, metadata = '{}'::jsonb, updated_at = now()
          where id = ${customerId}
          returning erased_at`,
    );
    if (!rows[0]) throw new Error(`no customer ${customerId} to mark erased`);
    return new Date(rows[0].erased_at);
  },

  /**
   * Every Stripe object of the customer that events can be about: the customer, its subscriptions,
   * invoices, payments, charges, refunds of those charges, payment methods and Checkout sessions.
   */
  async objectIds(db: DbOrTx, customerId: string): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      db,
      sql`select ${customerId}::text as id
          union all select id from subscriptions where customer_id = ${customerId}
          union all select id from invoices where customer_id = ${customerId}
          union all select id from payment_intents where customer_id = ${customerId}
          union all select id from charges where customer_id = ${customerId}
          union all select r.id from refunds r join charges c on c.id = r.charge_id
                    where c.customer_id = ${customerId}
          union all select id from payment_methods where customer_id = ${customerId}
          union all select id from checkout_sessions where customer_id = ${customerId}`,
    );
    return rows.map((r) => r.id);
  },

  /** One page of stored events about these objects, received at or after `since`, after `afterId`. */
  async eventsAbout(
    db: DbOrTx,
    objectIds: string[],
    since: Date,
    afterId: string,
  ): Promise<Array<{ id: string; payload: string }>> {
    return queryRows(
      db,
      sql`select id, payload from events
          where object_id in ${objectIds} and received_at >= ${since.toISOString()}::timestamptz
            and id > ${afterId}
          order by id limit ${PAGE}`,
    );
  },

  async replacePayload(db: DbOrTx, eventId: string, payload: string): Promise<void> {
    await db.execute(sql`update events set payload = ${payload} where id = ${eventId}`);
  },

  /** Customers erased at or after `since`, whose late events a sweep still looks for. */
  /** `erased_at` as the driver reads a raw timestamptz: a Date (node-postgres) or its text (PGlite). */
  async erasedSince(db: DbOrTx, since: Date): Promise<Array<{ id: string; erased_at: Date | string }>> {
    return queryRows(
      db,
      sql`select id, erased_at from customers
          where erased_at is not null and erased_at >= ${since.toISOString()}::timestamptz
          order by erased_at`,
    );
  },

  pageSize: PAGE,
};
