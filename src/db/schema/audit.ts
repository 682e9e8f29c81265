import { bigint, bigserial, index, jsonb, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The audit trail: one row per write, append-only (a trigger refuses UPDATE, and DELETE outside a
 * retention prune) and chained by hash: `hash` covers the row's canonical content and `prev_hash`,
 * the hash of the row before it in `seq` order. See src/audit/chain.ts.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: text('id').notNull().unique(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorType: text('actor_type', { enum: ['api_key', 'user', 'system'] }).notNull(),
    /** The API key id, the user id, or null for Recur itself. */
    actorId: text('actor_id'),
    actorRole: text('actor_role'),
    /** Why Recur wrote on its own (`scheduled_sync`, `event:evt_…`), or null for a caller's write. */
    cause: text('cause'),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id'),
    /** `{ before, after }` of the changed fields, personal data already redacted. */
    changes: jsonb('changes').$type<{ before: unknown; after: unknown }>().notNull(),
    /** `succeeded`, or `failed` for a Stripe write that did not go through (with `error`). */
    outcome: text('outcome', { enum: ['succeeded', 'failed'] }).notNull(),
    error: text('error'),
    requestId: text('request_id'),
    clientAddress: text('client_address'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_log_at').on(t.at),
    index('audit_log_object').on(t.objectType, t.objectId),
    index('audit_log_actor').on(t.actorId),
  ],
);

/**
 * Where a retention prune cut the chain: the last pruned row's seq and hash, so that `recur audit
 * verify` starts from it instead of from the beginning. One row (`id` = 1).
 */
export const auditAnchor = pgTable('audit_anchor', {
  id: smallint('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
  prunedAt: timestamp('pruned_at', { withTimezone: true }).notNull().defaultNow(),
});
