import type { Logger } from 'pino';
import type { Db, DbOrTx } from '../db/client.js';
import { AppError } from '../http/errors.js';
import { organizationRepository } from '../organizations/repository.js';
import { type CheckAnswer, type CheckRequest, checkUsage } from './checks.js';
import type { UsageContext, UsageSettings } from './context.js';
import type { PayerKey } from './credits-ledger.js';
import { payerSubscriptions } from './repository.js';
import {
  confirmReservation,
  type ReservationView,
  releaseReservation,
  sweepExpiredReservations,
} from './reservations.js';
import { granting, type UsageRule, usageRuleOf } from './rules.js';
import { type TrackEvent, type TrackResult, trackEvents } from './tracking.js';

export type { CheckAnswer } from './checks.js';
export type { UsageSettings } from './context.js';
export type { ReservationView } from './reservations.js';
export type { TrackEvent, TrackResult } from './tracking.js';

/**
 * Usage: counting it (`track`, tracking.ts), asking whether some may be used (`check`, checks.ts),
 * and holding it for work that may fail (`reserve`, then `confirm` or `release`, reservations.ts).
 * PostgreSQL (or PGlite) is the one source of truth: every decision is taken on the period's
 * counter row, locked in the transaction that changes it, so concurrent checks never overdraw.
 */
export class UsageService implements UsageContext {
  constructor(private readonly deps: { db: Db; settings: UsageSettings; logger: Logger }) {}

  get db(): Db {
    return this.deps.db;
  }

  get settings(): UsageSettings {
    return this.deps.settings;
  }

  get logger(): Logger {
    return this.deps.logger;
  }

  /** The payer's rule for a feature at `now`, from its granting subscriptions. */
  async ruleOf(db: DbOrTx, payer: PayerKey, feature: string, now: Date): Promise<UsageRule> {
    const subs = granting(await payerSubscriptions(db, payer), now, this.deps.settings.graceDays);
    return usageRuleOf(subs, feature);
  }

  /** The rules of several features of one payer, its subscriptions read once. */
  async rulesOf(
    db: DbOrTx,
    payer: PayerKey,
    features: Iterable<string>,
    now: Date,
  ): Promise<Map<string, UsageRule>> {
    const subs = granting(await payerSubscriptions(db, payer), now, this.deps.settings.graceDays);
    return new Map([...features].map((f) => [f, usageRuleOf(subs, f)]));
  }

  /** A 404 for an organisation Recur does not know (`PUT /api/organizations/:id` makes them). */
  async assertPayerKnown(payer: PayerKey, field: string): Promise<void> {
    if (payer.payerKind !== 'organization') return;
    if (!(await organizationRepository.find(this.deps.db, payer.payerId)))
      throw new AppError(404, 'not_found', `Organization '${payer.payerId}' was not found`, { field });
  }

  /** Counts usage events, each once (see tracking.ts). */
  track(events: TrackEvent[], now = new Date()): Promise<TrackResult> {
    return trackEvents(this, events, now);
  }

  /** May the payer use `required` more units now, optionally holding them (see checks.ts). */
  check(request: CheckRequest, now = new Date()): Promise<CheckAnswer> {
    return checkUsage(this, request, now);
  }

  /** Counts a held reservation as used (all its units, or `value` of them). */
  confirm(id: string, value: number | undefined, now = new Date()): Promise<ReservationView> {
    return confirmReservation(this, id, value, now);
  }

  /** Gives a held reservation's units back (and its credits); 409 once it is settled. */
  release(id: string, now = new Date()): Promise<ReservationView> {
    return releaseReservation(this, id, now);
  }

  /** Releases the reservations held past their expiry; answers how many. */
  sweepExpired(now = new Date(), limit = 500): Promise<number> {
    return sweepExpiredReservations(this, now, limit);
  }
}
