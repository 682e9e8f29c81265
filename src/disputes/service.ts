import type { Db } from '../db/client.js';
import { AppError } from '../http/errors.js';
import { type Cursor, pageOf } from '../http/pagination.js';
import {
  type DisputeAction,
  type DisputeFilter,
  type DisputeRow,
  type EarlyFraudWarningRow,
  disputeRepository as repo,
} from './repository.js';

/** The payment a dispute or warning concerns, and whose it is. */
interface Concerned {
  id: string;
  charge_id: string;
  payment_intent_id: string | null;
  invoice_id: string | null;
  subscription_id: string | null;
  customer_id: string | null;
  user_id: string | null;
}

export interface DisputeView extends Concerned {
  amount: number;
  currency: string;
  reason: string;
  status: string;
  evidence_due_by: string | null;
  is_charge_refundable: boolean;
  access_frozen: boolean;
  created_at: string;
}

export interface DisputeDetail extends DisputeView {
  actions: Array<{
    action: DisputeAction;
    subscription_id: string | null;
    result_id: string | null;
    created_at: string;
  }>;
}

export interface EarlyFraudWarningView extends Concerned {
  fraud_type: string;
  actionable: boolean;
  created_at: string;
}

type Page = { limit: number; after?: Cursor };

/** The admin's view of disputes and fraud warnings, read from the mirror. */
export class DisputeService {
  constructor(private readonly deps: { db: Db }) {}

  async list(
    filter: DisputeFilter,
    page: Page,
  ): Promise<{ data: DisputeView[]; next_cursor: string | null }> {
    const rows = await repo.list(this.deps.db, filter, page);
    const users = await repo.usersOf(this.deps.db, customerIdsOf(rows));
    return pageOf(rows, page.limit, position, (row) => disputeView(row, users));
  }

  async get(id: string): Promise<DisputeDetail> {
    const row = await repo.find(this.deps.db, id);
    if (!row) throw new AppError(404, 'dispute_not_found', `Dispute '${id}' was not found`);
    const users = await repo.usersOf(this.deps.db, customerIdsOf([row]));
    const actions = await repo.actionsOf(this.deps.db, id);
    return {
      ...disputeView(row, users),
      actions: actions.map((a) => ({
        action: a.action,
        subscription_id: a.subscriptionId,
        result_id: a.resultId,
        created_at: a.createdAt.toISOString(),
      })),
    };
  }

  async listWarnings(
    filter: Omit<DisputeFilter, 'status' | 'reason'>,
    page: Page,
  ): Promise<{ data: EarlyFraudWarningView[]; next_cursor: string | null }> {
    const rows = await repo.listWarnings(this.deps.db, filter, page);
    const users = await repo.usersOf(this.deps.db, customerIdsOf(rows));
    return pageOf(rows, page.limit, position, (row) => warningView(row, users));
  }
}

const position = (row: { createdAt: Date; id: string }) => ({ at: row.createdAt, id: row.id });

function customerIdsOf(rows: Array<{ customerId: string | null }>): string[] {
  return rows.flatMap((r) => (r.customerId ? [r.customerId] : []));
}

function links(row: DisputeRow | EarlyFraudWarningRow, users: Map<string, string>): Concerned {
  return {
    id: row.id,
    charge_id: row.chargeId,
    payment_intent_id: row.paymentIntentId,
    invoice_id: row.invoiceId,
    subscription_id: row.subscriptionId,
    customer_id: row.customerId,
    user_id: (row.customerId && users.get(row.customerId)) || null,
  };
}

function disputeView(row: DisputeRow, users: Map<string, string>): DisputeView {
  return {
    ...links(row, users),
    amount: row.amount,
    currency: row.currency,
    reason: row.reason,
    status: row.status,
    evidence_due_by: row.evidenceDueBy?.toISOString() ?? null,
    is_charge_refundable: row.isChargeRefundable,
    access_frozen: row.accessFrozen,
    created_at: row.createdAt.toISOString(),
  };
}

function warningView(row: EarlyFraudWarningRow, users: Map<string, string>): EarlyFraudWarningView {
  return {
    ...links(row, users),
    fraud_type: row.fraudType,
    actionable: row.actionable,
    created_at: row.createdAt.toISOString(),
  };
}
