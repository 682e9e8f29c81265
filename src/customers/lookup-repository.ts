import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../db/client.js';

/** How many customers one search answers with at most. */
export const SEARCH_RESULTS = 20;

/** A customer as a search hit names it: personal data still sealed. */
export interface CustomerHitRow {
  id: string;
  external_id: string | null;
  organization_id: string | null;
  email_encrypted: string | null;
  name_encrypted: string | null;
  deleted: boolean;
}

/** The Stripe objects an id prefix names, each with how to find its customer. */
const OWNED: Record<string, { kind: string; table: string; customer: SQL }> = {
  sub: { kind: 'subscription', table: 'subscriptions', customer: sql`customer_id` },
  in: { kind: 'invoice', table: 'invoices', customer: sql`customer_id` },
  pi: { kind: 'payment_intent', table: 'payment_intents', customer: sql`customer_id` },
  ch: { kind: 'charge', table: 'charges', customer: sql`customer_id` },
  py: { kind: 'charge', table: 'charges', customer: sql`customer_id` },
  re: {
    kind: 'refund',
    table: 'refunds',
    customer: sql`(select c.customer_id from charges c where c.id = refunds.charge_id)`,
  },
  dp: { kind: 'dispute', table: 'disputes', customer: sql`customer_id` },
  du: { kind: 'dispute', table: 'disputes', customer: sql`customer_id` },
  pm: { kind: 'payment_method', table: 'payment_methods', customer: sql`customer_id` },
  cs: { kind: 'checkout_session', table: 'checkout_sessions', customer: sql`customer_id` },
};

/** The id prefixes (before `_`) a search resolves, `cus` and `evt` included. */
export const STRIPE_ID_PREFIXES = ['cus', 'evt', ...Object.keys(OWNED)];

const HIT_COLUMNS = sql`id, external_id, organization_id, email_encrypted, name_encrypted, deleted`;

/** The SQL of the admin search: every look-up is an index probe, never a scan of names. */
export const lookupRepository = {
  async customersByIds(db: DbOrTx, ids: string[]): Promise<CustomerHitRow[]> {
    if (ids.length === 0) return [];
    return queryRows(db, sql`select ${HIT_COLUMNS} from customers where id in ${ids}`);
  },

  /** Customers (live or deleted, never erased: their hash is gone) with this email hash. */
  async byEmailHash(db: DbOrTx, hash: string): Promise<CustomerHitRow[]> {
    return queryRows(
      db,
      sql`select ${HIT_COLUMNS} from customers where email_hash = ${hash}
          order by created_at desc, id desc limit ${SEARCH_RESULTS}`,
    );
  },

  /** Customers of the host app's user or organisation with exactly this id. */
  async byAppId(db: DbOrTx, appId: string): Promise<CustomerHitRow[]> {
    return queryRows(
      db,
      sql`select ${HIT_COLUMNS} from customers where external_id = ${appId} or organization_id = ${appId}
          order by created_at desc, id desc limit ${SEARCH_RESULTS}`,
    );
  },

  /** Candidates whose name index holds this prefix hash, newest first (the caller confirms each). */
  async byNamePrefix(db: DbOrTx, hash: string, limit: number): Promise<CustomerHitRow[]> {
    return queryRows(
      db,
      sql`select ${HIT_COLUMNS} from customers where name_prefixes @> array[${hash}]::text[]
          order by created_at desc, id desc limit ${limit}`,
    );
  },

  /** The object with this Stripe id and its customer's id, or null when Recur holds none. */
  async owned(
    db: DbOrTx,
    prefix: string,
    id: string,
  ): Promise<{ kind: string; customerId: string | null } | null> {
    const owner = OWNED[prefix];
    if (!owner) return null;
    const rows = await queryRows<{ customer_id: string | null }>(
      db,
      sql`select ${owner.customer} as customer_id from ${sql.raw(owner.table)} where id = ${id} limit 1`,
    );
    return rows[0] ? { kind: owner.kind, customerId: rows[0].customer_id } : null;
  },

  /** A stored event by Stripe's id (or Recur's own), with the object it is about. */
  async event(db: DbOrTx, id: string): Promise<{ id: string; object_id: string | null } | null> {
    const rows = await queryRows<{ id: string; object_id: string | null }>(
      db,
      sql`select id, object_id from events where (source = 'stripe' and external_id = ${id}) or id = ${id}
          order by received_at desc limit 1`,
    );
    return rows[0] ?? null;
  },
};
