import { sql } from 'drizzle-orm';
import { bigint, index, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Usage and credits: append-only ledgers whose sums are balances. A payer is a user or an
 * organisation of the host app (`payer_kind`, `payer_id`), as everywhere else in Recur.
 */
export const PAYER_KINDS = ['user', 'organization'] as const;
export type PayerKind = (typeof PAYER_KINDS)[number];

const count = (name: string) => bigint(name, { mode: 'number' });

/**
 * One row per usage event the host app reported (or a reservation confirmed), counted once: the
 * idempotency key is unique per payer and feature, and is kept for as long as the row is.
 */
export const usageEvents = pgTable(
  'usage_events',
  {
    id: text('id').primaryKey(),
    payerKind: text('payer_kind', { enum: PAYER_KINDS }).notNull(),
    payerId: text('payer_id').notNull(),
    feature: text('feature').notNull(),
    value: count('value').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** When the usage happened (the caller's timestamp, or the time it was received). */
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** The start of the counter period it was counted into. */
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    /** `track` (POST /api/usage) or `reservation` (a confirmed check+reserve). */
    source: text('source', { enum: ['track', 'reservation'] }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('usage_events_idempotency').on(t.payerKind, t.payerId, t.feature, t.idempotencyKey),
    index('usage_events_period').on(t.payerKind, t.payerId, t.feature, t.periodStart),
    index('usage_events_recorded').on(t.recordedAt),
  ],
);

/**
 * A payer's running count for one feature in one period: the rollup of `usage_events` kept in the
 * same transaction as the rows it sums, and the row a check locks, so that concurrent checks never
 * overdraw. `never` resets use the epoch as their one period start.
 */
export const usageCounters = pgTable(
  'usage_counters',
  {
    payerKind: text('payer_kind', { enum: PAYER_KINDS }).notNull(),
    payerId: text('payer_id').notNull(),
    feature: text('feature').notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    /** Null for a period that never ends (`reset: never`). */
    periodEnd: timestamp('period_end', { withTimezone: true }),
    used: count('used').notNull().default(0),
    /** Units held by open reservations, not yet used. */
    reserved: count('reserved').notNull().default(0),
    /** The highest limit the payer held in this period: a downgrade lowers it only at the next. */
    limitFloor: count('limit_floor').notNull().default(0),
    /** Units beyond the allowance charged to credits in this period: paid from the balance, or owed. */
    creditsDrawn: count('credits_drawn').notNull().default(0),
    /** Units beyond the allowance written to Stripe's meter (through `meter_reports`). */
    overageReported: count('overage_reported').notNull().default(0),
    /** The highest usage threshold (percent of the limit) already announced for this period. */
    announcedPercent: count('announced_percent').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.payerKind, t.payerId, t.feature, t.periodStart] })],
);

export const RESERVATION_STATUSES = ['held', 'confirmed', 'released', 'expired'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** Units held by `check` with `reserve`, later confirmed (counted as used) or released. */
export const usageReservations = pgTable(
  'usage_reservations',
  {
    id: text('id').primaryKey(),
    payerKind: text('payer_kind', { enum: PAYER_KINDS }).notNull(),
    payerId: text('payer_id').notNull(),
    feature: text('feature').notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    units: count('units').notNull(),
    /** Of `units`, those held from the credit balance rather than the allowance. */
    fromCredits: count('from_credits').notNull().default(0),
    status: text('status', { enum: RESERVATION_STATUSES }).notNull().default('held'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp('settled_at', { withTimezone: true }),
  },
  (t) => [index('usage_reservations_open').on(t.expiresAt).where(sql`${t.status} = 'held'`)],
);

/**
 * Where a lot's credits came from. `debt` is the payer's one lot of credits owed (for a feature):
 * usage beyond the allowance and the balance, which never goes unpaid. It holds no grant, its
 * `remaining` is zero or negative, it never expires, and the next grant pays it first.
 */
export const CREDIT_SOURCES = ['plan', 'purchase', 'admin', 'debt'] as const;
export type CreditSource = (typeof CREDIT_SOURCES)[number];

/**
 * A grant of credits (a lot): drawn from oldest-expiring first, its `remaining` is what is left.
 * The unique source reference makes a grant idempotent (one per invoice, Checkout Session, request).
 */
export const creditLots = pgTable(
  'credit_lots',
  {
    id: text('id').primaryKey(),
    payerKind: text('payer_kind', { enum: PAYER_KINDS }).notNull(),
    payerId: text('payer_id').notNull(),
    feature: text('feature').notNull(),
    granted: count('granted').notNull(),
    remaining: count('remaining').notNull(),
    source: text('source', { enum: CREDIT_SOURCES }).notNull(),
    sourceRef: text('source_ref').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('credit_lots_source').on(t.payerKind, t.payerId, t.feature, t.source, t.sourceRef),
    index('credit_lots_payer').on(t.payerKind, t.payerId, t.feature, t.expiresAt),
  ],
);

/** `settle`: credits of a new grant paying the debt (a pair of rows, summing to zero). */
export const CREDIT_MOVEMENTS = [
  'grant',
  'usage',
  'reserve',
  'release',
  'expiry',
  'revoke',
  'settle',
] as const;
export type CreditMovement = (typeof CREDIT_MOVEMENTS)[number];

/**
 * Every movement of credits, append-only: a balance is the sum of `amount` (grants positive,
 * draws negative), always equal to the sum of its lots' `remaining`.
 */
export const creditLedger = pgTable(
  'credit_ledger',
  {
    id: text('id').primaryKey(),
    payerKind: text('payer_kind', { enum: PAYER_KINDS }).notNull(),
    payerId: text('payer_id').notNull(),
    feature: text('feature').notNull(),
    amount: count('amount').notNull(),
    movement: text('movement', { enum: CREDIT_MOVEMENTS }).notNull(),
    lotId: text('lot_id').notNull(),
    /** Why: the admin's reason, the plan or purchase, the reservation. */
    reason: text('reason'),
    /** What caused it: an invoice, a Checkout Session, a reservation, a usage event. */
    reference: text('reference'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('credit_ledger_payer').on(t.payerKind, t.payerId, t.feature, t.createdAt)],
);

/**
 * Overage written to a Stripe Billing Meter: the row is made (and the counter's `overage_reported`
 * raised) in one transaction, then sent with the row id as the meter event's `identifier`, so a
 * resend after a crash is deduplicated by Stripe and nothing is counted twice.
 */
export const meterReports = pgTable(
  'meter_reports',
  {
    id: text('id').primaryKey(),
    payerKind: text('payer_kind', { enum: PAYER_KINDS }).notNull(),
    payerId: text('payer_id').notNull(),
    feature: text('feature').notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    stripeCustomerId: text('stripe_customer_id').notNull(),
    eventName: text('event_name').notNull(),
    value: count('value').notNull(),
    /** The meter event's timestamp: inside the period the usage belongs to. */
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: ['pending', 'sent'] })
      .notNull()
      .default('pending'),
    attempts: count('attempts').notNull().default(0),
    /** A pending row is (re)sent from then on: a send in flight holds it a while, a failure backs off. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('meter_reports_pending').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('meter_reports_payer').on(t.payerKind, t.payerId, t.feature, t.periodStart),
  ],
);
