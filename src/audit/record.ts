import type { DbOrTx, Tx } from '../db/client.js';
import { UpstreamError } from '../http/errors.js';
import { scrubText } from '../observability/redaction.js';
import { newId } from '../shared/ids.js';
import { rowHash } from './chain.js';
import { currentAuditScope, noteFailureRecorded } from './context.js';
import { auditChanges } from './redaction.js';
import { auditRepository as repo } from './repository.js';

/** What a write did: the actor, request and time come from the audit scope around the call. */
export interface AuditEntry {
  /** `<object>.<verb>`: `plan.create`, `subscription.cancel`, `api_key.revoke`. */
  action: string;
  objectType: string;
  objectId: string | null;
  /** The object's fields before and after (null for a creation or a deletion); only the changed ones are kept. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** A Stripe write that did not go through is recorded as `failed`, with Stripe's reason. */
  outcome?: 'succeeded' | 'failed';
  error?: string | null;
}

const inTransaction = (db: DbOrTx): db is Tx => 'rollback' in db;

/**
 * Appends one row to the audit trail. Called with the transaction of a local write, the row
 * commits or rolls back with it; called with the database, it is a transaction of its own.
 * The chain's lock is held from here to the end of the transaction: call it last in a transaction
 * that does more than the write.
 */
export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  if (!inTransaction(db)) {
    await db.transaction((tx) => recordAudit(tx, entry));
    return;
  }
  const { actor, requestId, clientAddress } = currentAuditScope();
  const prevHash = await repo.lockHead(db);
  const content = {
    id: newId('aud'),
    // Read after the lock: rows are in time order along the chain.
    at: new Date(),
    actorType: actor.type,
    actorId: actor.type === 'system' ? null : actor.id,
    actorRole: actor.type === 'system' ? null : actor.role,
    cause: actor.type === 'system' ? actor.cause : null,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    changes: auditChanges(entry.objectType, entry.before ?? null, entry.after ?? null),
    outcome: entry.outcome ?? 'succeeded',
    error: entry.error ? scrubText(entry.error) : null,
    requestId,
    clientAddress,
    prevHash,
  };
  await repo.insert(db, { ...content, hash: rowHash(content) });
  if (content.outcome === 'failed') noteFailureRecorded();
}

/**
 * Runs a write that goes to Stripe: when Stripe refuses it or cannot be reached, a `failed` row
 * records the attempt (in a transaction of its own, as nothing local was written) before the
 * error goes on. On success the caller records the write with its local transaction, or, for a
 * write that is Stripe's alone, `recordOnSuccess` does.
 */
export async function auditStripeWrite<T>(
  db: DbOrTx,
  entry: AuditEntry,
  write: () => Promise<T>,
  options: { recordOnSuccess?: (result: T) => AuditEntry } = {},
): Promise<T> {
  let result: T;
  try {
    result = await write();
  } catch (error) {
    if (error instanceof UpstreamError) {
      await recordAudit(db, { ...entry, outcome: 'failed', error: error.message });
    }
    throw error;
  }
  if (options.recordOnSuccess) await recordAudit(db, options.recordOnSuccess(result));
  return result;
}
