import type { Logger } from 'pino';
import type { Db, DbOrTx } from '../db/client.js';
import { Batcher } from '../events/batcher.js';
import { organizationRepository } from '../organizations/repository.js';
import { type CheckAnswer, type CheckRequest, checkUsage } from './checks.js';
import { type UsageContext, type UsageSettings, unknownOrganization } from './context.js';
import type { PayerKey } from './credits-ledger.js';
import { payerSubscriptions } from './repository.js';
import {
  confirmReservation,
  type ReservationView,
  releaseReservation,
  sweepExpiredReservations,
} from './reservations.js';
import { granting, type UsageRule, usageRuleOf } from './rules.js';
import {
  assertPayersKnown,
  assertTimestamps,
  type TrackEvent,
  type TrackResult,
  type TrackStatus,
  trackEvents,
  trackResult,
  writeEvents,
} from './tracking.js';

export type { CheckAnswer } from './checks.js';
export type { UsageSettings } from './context.js';
export type { ReservationView } from './reservations.js';
export type { TrackEvent, TrackResult } from './tracking.js';

/** Single events one grouped write takes at the most. */
const SINGLES_BATCH = 200;

/**
 * Usage: counting it (`track`, tracking.ts), asking whether some may be used (`check`, checks.ts),
 * and holding it for work that may fail (`reserve`, then `confirm` or `release`, reservations.ts).
 * PostgreSQL (or PGlite) is the one source of truth: every decision is taken on the period's
 * counter row, locked in the transaction that changes it, so concurrent checks never overdraw.
 */
export class UsageService implements UsageContext {
  /** Single events, written together: concurrent `trackOne` calls share one transaction. */
  private readonly singles: Batcher<TrackEvent, TrackStatus | { failed: unknown }>;

  constructor(private readonly deps: { db: Db; settings: UsageSettings; logger: Logger }) {
    this.singles = new Batcher((events) => this.writeSingles(events), {
      maxBatch: SINGLES_BATCH,
      maxConcurrent: 1,
    });
  }

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
      throw unknownOrganization(payer.payerId, field);
  }

  /** Counts usage events, each once (see tracking.ts). */
  track(events: TrackEvent[], now = new Date()): Promise<TrackResult> {
    return trackEvents(this, events, now);
  }

  /**
   * Counts one event, as `track` does, through group commit: checked alone (a bad event is refused
   * here, before it meets any other), then written in one transaction with the single events that
   * arrive meanwhile. Each caller is answered with its own event's status once it is committed.
   */
  async trackOne(event: TrackEvent, now = new Date()): Promise<TrackResult> {
    assertTimestamps([event], now, this.deps.settings);
    await assertPayersKnown(this, [event]);
    const outcome = await this.singles.submit({ ...event, timestamp: event.timestamp ?? now });
    if (typeof outcome !== 'string') throw outcome.failed;
    return trackResult([event], [outcome]);
  }

  /**
   * Writes a group of single events in one transaction. Should that fail, each is written again
   * alone: one event's failure is its caller's alone, and never loses or miscounts another's.
   */
  private async writeSingles(events: TrackEvent[]): Promise<Array<TrackStatus | { failed: unknown }>> {
    try {
      return await writeEvents(this, events, new Date());
    } catch (error) {
      if (events.length === 1) return [{ failed: error }];
      this.deps.logger.warn(
        { err: error, events: events.length },
        'grouped usage write failed; writing each alone',
      );
      const outcomes: Array<TrackStatus | { failed: unknown }> = [];
      for (const event of events)
        outcomes.push(
          await writeEvents(this, [event], new Date()).then(
            ([status]) => status!,
            (failed: unknown) => ({ failed }),
          ),
        );
      return outcomes;
    }
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
