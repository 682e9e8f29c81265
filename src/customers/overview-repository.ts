import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../db/client.js';

/** How many rows of each kind the customer page shows, newest first. */
export const OVERVIEW_ROWS = 50;

export interface ChargeRow {
  id: string;
  payment_intent_id: string | null;
  status: string;
  amount: number;
  amount_refunded: number;
  currency: string;
  paid: boolean;
  refunded: boolean;
  failure_code: string | null;
  card_brand: string | null;
  card_last4: string | null;
  created_at: Date | string;
}

export interface RefundRow {
  id: string;
  charge_id: string | null;
  payment_intent_id: string | null;
  invoice_id: string | null;
  amount: number;
  currency: string;
  status: string | null;
  reason: string | null;
  created_at: Date | string;
}

export interface MovementRow {
  id: number | string;
  subscription_id: string;
  at: Date | string;
  kind: string;
  plan_id: string | null;
  currency: string;
  mrr_delta: number | string;
  mrr_after: number | string;
}

export interface AuditRow {
  id: string;
  at: Date | string;
  action: string;
  object_type: string;
  object_id: string | null;
  actor_type: string;
  outcome: string;
  changes: { before: unknown; after: unknown };
}

export interface EventRow {
  id: string;
  external_id: string;
  type: string;
  object_id: string | null;
  status: string;
  occurred_at: Date | string;
  payload: string;
}

/** The SQL of the customer page: each list one indexed read of the customer's rows. */
export const overviewRepository = {
  async charges(db: DbOrTx, customerId: string): Promise<ChargeRow[]> {
    return queryRows(
      db,
      sql`select id, payment_intent_id, status, amount, amount_refunded, currency, paid, refunded,
                 failure_code, card_brand, card_last4, created_at
          from charges where customer_id = ${customerId}
          order by created_at desc, id desc limit ${OVERVIEW_ROWS}`,
    );
  },

  async refunds(db: DbOrTx, customerId: string): Promise<RefundRow[]> {
    return queryRows(
      db,
      sql`select r.id, r.charge_id, r.payment_intent_id, r.invoice_id, r.amount, r.currency, r.status, r.reason,
                 r.created_at
          from refunds r join charges c on c.id = r.charge_id
          where c.customer_id = ${customerId}
          order by r.created_at desc, r.id desc limit ${OVERVIEW_ROWS}`,
    );
  },

  /** The MRR movements of the customer's subscriptions: new, expansion, contraction, churn, reactivation. */
  async movements(db: DbOrTx, customerId: string): Promise<MovementRow[]> {
    return queryRows(
      db,
      sql`select id, subscription_id, at, kind, plan_id, currency, mrr_delta, mrr_after
          from mrr_movements where customer_id = ${customerId}
          order by at desc, id desc limit ${OVERVIEW_ROWS}`,
    );
  },

  /** Audited writes to the customer and its subscriptions (changes already redacted). */
  async audit(db: DbOrTx, objectIds: string[]): Promise<AuditRow[]> {
    return queryRows(
      db,
      sql`select id, at, action, object_type, object_id, actor_type, outcome, changes from audit_log
          where object_id in ${objectIds}
          order by seq desc limit ${OVERVIEW_ROWS}`,
    );
  },

  /** Stored events about any of these objects, newest first. */
  async events(db: DbOrTx, objectIds: string[]): Promise<EventRow[]> {
    return queryRows(
      db,
      sql`select id, external_id, type, object_id, status, occurred_at, payload from events
          where object_id in ${objectIds}
          order by occurred_at desc, id desc limit ${OVERVIEW_ROWS}`,
    );
  },

  async organizationName(db: DbOrTx, organizationId: string): Promise<string | null> {
    const rows = await queryRows<{ name_encrypted: string }>(
      db,
      sql`select name_encrypted from organizations where id = ${organizationId}`,
    );
    return rows[0]?.name_encrypted ?? null;
  },
};
