import { index, jsonb, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/** API keys are stored as SHA-256 hashes: they are 190-bit random tokens, so a slow hash adds nothing. */
export const apiKeys = pgTable('api_keys', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role', { enum: ['admin', 'service'] }).notNull(),
  /** The first characters of the key, shown in listings so people can tell keys apart. */
  prefix: text('prefix').notNull(),
  hash: text('hash').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/**
 * Responses of writes sent with an `Idempotency-Key` header, per credential, kept 24 hours.
 * A row without a status is a request still in flight.
 */
export const idempotentRequests = pgTable(
  'idempotent_requests',
  {
    principal: text('principal').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    status: smallint('status'),
    response: jsonb('response'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.principal, t.key] }),
    index('idempotent_requests_created_at').on(t.createdAt),
  ],
);
