import type { DbOrTx } from '../db/client.js';
import type { DisputeRow, EarlyFraudWarningRow } from '../disputes/repository.js';
import type { Cause } from './announcements.js';
import { announceOne } from './announcements.js';
import type { AppEventData } from './catalog.js';
import { payerOfCustomer } from './fact-announcements.js';
import { wantedTypes } from './wanted-types.js';

/** What Recur did about a dispute, once per dispute and action (the key names both). */
export async function announceDisputeAction(
  tx: DbOrTx,
  type: 'dispute.access_suspended' | 'dispute.access_restored' | 'dispute.subscription_canceled',
  row: DisputeRow,
  cause: Cause,
): Promise<void> {
  if (!(await wantedTypes(tx)).has(type)) return;
  const data: AppEventData<typeof type> = {
    ...(await payerOfCustomer(tx, row.customerId)),
    dispute: {
      id: row.id,
      charge_id: row.chargeId,
      subscription_id: row.subscriptionId,
      amount: row.amount,
      currency: row.currency,
      reason: row.reason,
      status: row.status,
      evidence_due_by: row.evidenceDueBy?.toISOString() ?? null,
    },
  };
  await announceOne(tx, type, `dispute:${row.id}`, `${type}:${row.id}`, cause.at, data);
}

export async function announceWarningAction(
  tx: DbOrTx,
  row: EarlyFraudWarningRow,
  done: { refundId: string | null; subscriptionId: string | null },
  cause: Cause,
): Promise<void> {
  const type = 'early_fraud_warning.refunded_and_canceled';
  if (!(await wantedTypes(tx)).has(type)) return;
  await announceOne(tx, type, `early_fraud_warning:${row.id}`, `${type}:${row.id}`, cause.at, {
    ...(await payerOfCustomer(tx, row.customerId)),
    early_fraud_warning: { id: row.id, charge_id: row.chargeId, fraud_type: row.fraudType },
    refund_id: done.refundId,
    subscription_id: done.subscriptionId,
  });
}
