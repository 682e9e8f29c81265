import { recordAudit } from '../audit/record.js';
import type { Tx } from '../db/client.js';
import { subscriptionRepository as repo } from './repository.js';
import { toSubscriptionView } from './views.js';

async function facts(tx: Tx, id: string): Promise<Record<string, unknown> | null> {
  const record = await repo.find(tx, id);
  if (!record) return null;
  const { created_at: _c, updated_at: _u, ...view } = toSubscriptionView(record) as Record<string, unknown>;
  return view;
}

/**
 * Runs a subscription's mirror write and records it with the subscription as the transaction found
 * and left it (only the fields that changed are kept).
 */
export async function auditedSubscriptionWrite<T>(
  tx: Tx,
  action: string,
  id: string,
  write: () => Promise<T>,
): Promise<T> {
  const before = await facts(tx, id);
  const result = await write();
  await recordAudit(tx, {
    action,
    objectType: 'subscription',
    objectId: id,
    before,
    after: await facts(tx, id),
  });
  return result;
}
