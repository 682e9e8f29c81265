import type { Logger } from 'pino';
import { userSubject } from '../app-webhooks/outbox.js';
import type { Db, DbOrTx } from '../db/client.js';
import { AppError } from '../http/errors.js';
import type { PayerKey } from './credits-ledger.js';
import type { UsageRule } from './rules.js';

export interface UsageSettings {
  pastWindowDays: number;
  reservationTtlSeconds: number;
  warnPercent: number;
  graceDays: number;
}

/** What the usage modules (tracking, checks, reservations) share: the database, settings, rules. */
export interface UsageContext {
  readonly db: Db;
  readonly settings: UsageSettings;
  readonly logger: Logger;
  /** The payer's rule for a feature at `now`, from its granting subscriptions. */
  ruleOf(db: DbOrTx, payer: PayerKey, feature: string, now: Date): Promise<UsageRule>;
  /** The rules of several features of one payer, its subscriptions read once. */
  rulesOf(
    db: DbOrTx,
    payer: PayerKey,
    features: Iterable<string>,
    now: Date,
  ): Promise<Map<string, UsageRule>>;
  /** A 404 for an organisation Recur does not know. */
  assertPayerKnown(payer: PayerKey, field: string): Promise<void>;
}

export const payerIds = (payer: PayerKey) => ({
  user_id: payer.payerKind === 'user' ? payer.payerId : null,
  organization_id: payer.payerKind === 'organization' ? payer.payerId : null,
});

export const payerSubject = (payer: PayerKey) =>
  payer.payerKind === 'user' ? userSubject(payer.payerId) : `organization:${payer.payerId}`;

/** The 404 for an organisation Recur does not know (`PUT /api/organizations/:id` makes them). */
export const unknownOrganization = (id: string, field: string) =>
  new AppError(404, 'not_found', `Organization '${id}' was not found`, { field });
