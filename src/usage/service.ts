import type { Logger } from 'pino';
import { announceOne } from '../app-webhooks/announcements.js';
import { userSubject } from '../app-webhooks/outbox.js';
import type { Db, DbOrTx } from '../db/client.js';
import type { OverageRule, UsageReset } from '../db/schema/plans.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import { organizationRepository } from '../organizations/repository.js';
import { newId } from '../shared/ids.js';
import { creditLedgerRepository, type PayerKey } from './credits-ledger.js';
import { periodOf, type UsagePeriod } from './periods.js';
import {
  type CounterKey,
  type CounterRow,
  eventKey,
  type NewUsageEvent,
  payerSubscriptions,
  type ReservationRow,
  usageRepository as repo,
} from './repository.js';
import { granting, limitInForce, thresholdReached, type UsageRule, usageRuleOf } from './rules.js';

export interface UsageSettings {
  pastWindowDays: number;
  reservationTtlSeconds: number;
  warnPercent: number;
  graceDays: number;
}

/** How far in the future (clock skew) an event's timestamp may be. */
export const FUTURE_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export interface TrackEvent {
  payer: PayerKey;
  feature: string;
  value: number;
  idempotencyKey: string;
  timestamp?: Date | undefined;
}

export interface TrackResult {
  accepted: number;
  duplicates: number;
  events: Array<{ idempotency_key: string; status: 'accepted' | 'duplicate' }>;
}

export interface CheckAnswer {
  allowed: boolean;
  balance: number;
  limit: number;
  used: number;
  reserved: number;
  credits: number;
  overage: OverageRule;
  reset: UsageReset;
  period_start: string;
  resets_at: string | null;
  reservation_id?: string;
}

/** The view of a reservation. */
export interface ReservationView {
  id: string;
  user_id: string | null;
  organization_id: string | null;
  feature: string;
  units: number;
  from_credits: number;
  status: ReservationRow['status'];
  period_start: string;
  expires_at: string;
  settled_at: string | null;
}

export const payerIds = (payer: PayerKey) => ({
  user_id: payer.payerKind === 'user' ? payer.payerId : null,
  organization_id: payer.payerKind === 'organization' ? payer.payerId : null,
});

const payerSubject = (payer: PayerKey) =>
  payer.payerKind === 'user' ? userSubject(payer.payerId) : `organization:${payer.payerId}`;

export function toReservationView(r: ReservationRow): ReservationView {
  return {
    id: r.id,
    ...payerIds(r),
    feature: r.feature,
    units: r.units,
    from_credits: r.fromCredits,
    status: r.status,
    period_start: r.periodStart.toISOString(),
    expires_at: r.expiresAt.toISOString(),
    settled_at: r.settledAt?.toISOString() ?? null,
  };
}

/**
 * Usage: counting it (`track`), asking whether some may be used (`check`), and holding it for work
 * that may fail (`reserve`, then `confirm` or `release`). PostgreSQL (or PGlite) is the one source
 * of truth: every decision is taken on the period's counter row, locked in the transaction that
 * changes it, so concurrent checks never overdraw.
 */
export class UsageService {
  constructor(private readonly deps: { db: Db; settings: UsageSettings; logger: Logger }) {}

  get db(): Db {
    return this.deps.db;
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

  /**
   * Counts usage events, each once: an idempotency key the payer and feature already used is a
   * duplicate (answered, not counted). The batch is checked whole before anything is written, then
   * written in one transaction: the events, their counters, and the credits drawn for units beyond
   * a `credits` limit. Usage is never refused for a limit: it happened; `check` is what refuses.
   */
  async track(events: TrackEvent[], now = new Date()): Promise<TrackResult> {
    const { db, settings } = this.deps;
    const oldest = new Date(now.getTime() - settings.pastWindowDays * DAY_MS);
    const latest = new Date(now.getTime() + FUTURE_SKEW_MS);
    const field = (i: number, name: string) => (events.length > 1 ? `events.${i}.${name}` : name);
    events.forEach((e, i) => {
      const at = e.timestamp ?? now;
      if (at > latest)
        throw new ValidationError(
          'usage_timestamp_in_future',
          `Event ${i} (${e.idempotencyKey}): timestamp is more than 5 minutes in the future`,
          { field: field(i, 'timestamp'), index: i },
        );
      if (at < oldest)
        throw new ValidationError(
          'usage_timestamp_too_old',
          `Event ${i} (${e.idempotencyKey}): timestamp is more than ${settings.pastWindowDays} days old (RECUR_USAGE_PAST_WINDOW_DAYS)`,
          { field: field(i, 'timestamp'), index: i },
        );
    });
    const payers = new Map<string, { payer: PayerKey; features: Set<string>; index: number }>();
    events.forEach((e, i) => {
      const id = JSON.stringify([e.payer.payerKind, e.payer.payerId]);
      const entry = payers.get(id) ?? { payer: e.payer, features: new Set<string>(), index: i };
      entry.features.add(e.feature);
      payers.set(id, entry);
    });
    const rules = new Map<string, UsageRule>();
    for (const [id, { payer, features, index }] of payers) {
      await this.assertPayerKnown(payer, field(index, 'organization_id'));
      for (const [feature, rule] of await this.rulesOf(db, payer, features, now))
        rules.set(JSON.stringify([id, feature]), rule);
    }
    const ruleOfEvent = (e: TrackEvent) =>
      rules.get(JSON.stringify([JSON.stringify([e.payer.payerKind, e.payer.payerId]), e.feature]))!;

    const rows: Array<NewUsageEvent & { period: UsagePeriod; rule: UsageRule }> = [];
    const seen = new Set<string>();
    const firsts = new Set<number>();
    for (const [i, e] of events.entries()) {
      const occurredAt = e.timestamp ?? now;
      const rule = ruleOfEvent(e);
      const period = periodOf(rule.reset, occurredAt, rule.anchor);
      const row = {
        id: newId('uev'),
        ...e.payer,
        feature: e.feature,
        value: e.value,
        idempotencyKey: e.idempotencyKey,
        occurredAt,
        periodStart: period.start,
        source: 'track' as const,
        period,
        rule,
      };
      // A key repeated within the batch is a duplicate of its first event.
      if (seen.has(eventKey(row))) continue;
      seen.add(eventKey(row));
      firsts.add(i);
      rows.push(row);
    }
    const inserted = await db.transaction(async (tx) => {
      const keys = await repo.insertEvents(
        tx,
        rows.map(({ period: _period, rule: _rule, ...row }) => row),
      );
      const groups = new Map<
        string,
        { key: CounterKey; period: UsagePeriod; rule: UsageRule; used: number }
      >();
      for (const row of rows) {
        if (!keys.has(eventKey(row))) continue;
        const id = JSON.stringify([row.payerKind, row.payerId, row.feature, row.periodStart.getTime()]);
        const group = groups.get(id) ?? {
          key: { payerKind: row.payerKind, payerId: row.payerId, feature: row.feature },
          period: row.period,
          rule: row.rule,
          used: 0,
        };
        group.used += row.value;
        groups.set(id, group);
      }
      // Counters in one order, so that two batches never wait on each other's rows crosswise.
      for (const id of [...groups.keys()].sort()) {
        const { key, period, rule, used } = groups.get(id)!;
        const counter = await repo.addToCounter(tx, key, period, rule.limit, used);
        await this.afterUse(tx, key, rule, period, counter, used, now);
      }
      return keys;
    });
    const results = events.map((e, i) => ({
      idempotency_key: e.idempotencyKey,
      status:
        firsts.has(i) && inserted.has(eventKey({ ...e.payer, ...e }))
          ? ('accepted' as const)
          : ('duplicate' as const),
    }));
    const accepted = results.filter((r) => r.status === 'accepted').length;
    return { accepted, duplicates: events.length - accepted, events: results };
  }

  /**
   * What `used` more units did to a counter: for a `credits` overage, the units newly beyond the
   * allowance are drawn from credits (as many as there are); and a threshold crossed in the current
   * period is announced once.
   */
  private async afterUse(
    tx: DbOrTx,
    key: CounterKey,
    rule: UsageRule,
    period: UsagePeriod,
    counter: CounterRow,
    used: number,
    now: Date,
  ): Promise<void> {
    const limit = limitInForce(rule, counter.limitFloor);
    let row = counter;
    if (rule.overage === 'credits') {
      const over = (u: number) => Math.max(0, u + row.reserved - limit);
      const owed = over(row.used) - over(row.used - used);
      if (owed > 0) {
        const drawn = await creditLedgerRepository.draw(tx, {
          ...key,
          amount: owed,
          movement: 'usage',
          reference: `usage:${key.feature}:${period.start.toISOString()}`,
          reason: null,
          allOrNothing: false,
          now,
        });
        if (drawn) row = (await repo.adjustCounter(tx, key, period.start, { creditsDrawn: drawn })) ?? row;
      }
    }
    await this.announceThreshold(tx, key, rule, period, row, now);
  }

  private async announceThreshold(
    tx: DbOrTx,
    key: CounterKey,
    rule: UsageRule,
    period: UsagePeriod,
    row: CounterRow,
    now: Date,
  ): Promise<void> {
    if (!rule.metered || (period.end !== null && period.end <= now)) return;
    const limit = limitInForce(rule, row.limitFloor);
    const threshold = thresholdReached(row.used, limit, this.deps.settings.warnPercent);
    if (threshold <= row.announcedPercent) return;
    if (!(await repo.markAnnounced(tx, key, period.start, threshold))) return;
    const periodStart = period.start.toISOString();
    await announceOne(
      tx,
      'usage.threshold_reached',
      payerSubject(key),
      `usage:${key.payerKind}:${key.payerId}:${key.feature}:${periodStart}:${threshold}`,
      now,
      {
        ...payerIds(key),
        feature: key.feature,
        threshold,
        limit,
        used: row.used,
        overage: rule.overage,
        period_start: periodStart,
        resets_at: period.end?.toISOString() ?? null,
      },
    );
  }

  /**
   * May the payer use `required` more units now? With `reserve`, the units are held at once on the
   * locked counter (and, beyond the allowance of a `credits` limit, drawn from credits all or
   * nothing), to be confirmed or released; a refused check holds nothing.
   */
  async check(
    request: { payer: PayerKey; feature: string; required: number; reserve: boolean },
    now = new Date(),
  ): Promise<CheckAnswer> {
    const { db, settings } = this.deps;
    const { payer, feature, required } = request;
    await this.assertPayerKnown(payer, 'organization_id');
    const key = { ...payer, feature };
    if (!request.reserve) {
      // The credits do not depend on the rule: read beside it, so a check costs two round trips.
      const [rule, credits] = await Promise.all([
        this.ruleOf(db, payer, feature, now),
        creditLedgerRepository.balance(db, payer, feature, now),
      ]);
      const period = periodOf(rule.reset, now, rule.anchor);
      const counter = await repo.counter(db, key, period.start);
      const state = stateOf(rule, counter, credits);
      return answerOf(rule, period, state, decide(rule, state, required).allowed);
    }
    const rule = await this.ruleOf(db, payer, feature, now);
    const period = periodOf(rule.reset, now, rule.anchor);
    return db.transaction(async (tx) => {
      const counter = await repo.addToCounter(tx, key, period, rule.limit);
      const credits = await creditLedgerRepository.balance(tx, payer, feature, now);
      const state = stateOf(rule, counter, credits);
      const decision = decide(rule, state, required);
      if (!decision.allowed) return answerOf(rule, period, state, false);
      const id = newId('resv');
      let fromCredits = 0;
      if (decision.fromCredits > 0) {
        fromCredits = await creditLedgerRepository.draw(tx, {
          ...key,
          amount: decision.fromCredits,
          movement: 'reserve',
          reference: id,
          reason: null,
          allOrNothing: true,
          now,
        });
        if (fromCredits < decision.fromCredits) return answerOf(rule, period, state, false);
      }
      const held = required - fromCredits;
      const after = await repo.adjustCounter(tx, key, period.start, { reserved: held });
      await repo.insertReservation(tx, {
        id,
        ...payer,
        feature,
        periodStart: period.start,
        units: required,
        fromCredits,
        expiresAt: new Date(now.getTime() + settings.reservationTtlSeconds * 1000),
      });
      return {
        ...answerOf(rule, period, stateOf(rule, after, credits - fromCredits), true),
        reservation_id: id,
      };
    });
  }

  /**
   * Counts a held reservation as used: all its units, or `value` of them (the rest released),
   * through a usage event of source `reservation`. A reservation past its expiry is released
   * instead and answers 409, as one already confirmed or released does.
   */
  async confirm(id: string, value: number | undefined, now = new Date()): Promise<ReservationView> {
    const outcome = await this.deps.db.transaction(async (tx) => {
      const r = await this.heldReservation(tx, id, now);
      if (r.status === 'expired') return r;
      const units = value ?? r.units;
      if (units > r.units)
        throw new ValidationError(
          'confirm_exceeds_reservation',
          `Reservation '${id}' holds ${r.units} units; confirm at most that many`,
          { field: 'value', units: r.units },
        );
      const key = { payerKind: r.payerKind, payerId: r.payerId, feature: r.feature };
      const allowancePart = r.units - r.fromCredits;
      const creditsUsed = Math.max(0, units - allowancePart);
      // The counter first, then the credits: the order every writer takes them in.
      let counter = await repo.adjustCounter(tx, key, r.periodStart, {
        used: units,
        reserved: -allowancePart,
      });
      let drawn = creditsUsed;
      if (r.fromCredits > creditsUsed) {
        await creditLedgerRepository.giveBack(tx, { ...key, reference: r.id, now });
        drawn = await creditLedgerRepository.draw(tx, {
          ...key,
          amount: creditsUsed,
          movement: 'usage',
          reference: `${r.id}:confirm`,
          reason: null,
          allOrNothing: false,
          now,
        });
      }
      if (drawn) counter = await repo.adjustCounter(tx, key, r.periodStart, { creditsDrawn: drawn });
      await repo.insertEvents(tx, [
        {
          id: newId('uev'),
          ...key,
          value: units,
          idempotencyKey: `reservation:${r.id}`,
          occurredAt: now,
          periodStart: r.periodStart,
          source: 'reservation',
        },
      ]);
      await repo.settleReservation(tx, r.id, 'confirmed', now);
      if (counter) {
        const rule = await this.ruleOf(tx, r, r.feature, now);
        const period = { start: r.periodStart, end: counter.periodEnd };
        await this.announceThreshold(tx, key, rule, period, counter, now);
      }
      return { ...r, status: 'confirmed' as const, settledAt: now };
    });
    if (outcome.status === 'expired') throw reservationSettled(outcome);
    return toReservationView(outcome);
  }

  /** Gives a held reservation's units back (and its credits); 409 once it is settled. */
  async release(id: string, now = new Date()): Promise<ReservationView> {
    const outcome = await this.deps.db.transaction(async (tx) => {
      const r = await this.heldReservation(tx, id, now);
      if (r.status === 'expired') return r;
      await this.giveBackReservation(tx, r, 'released', now);
      return { ...r, status: 'released' as const, settledAt: now };
    });
    if (outcome.status === 'expired') throw reservationSettled(outcome);
    return toReservationView(outcome);
  }

  /** Releases the reservations held past their expiry; answers how many. */
  async sweepExpired(now = new Date(), limit = 500): Promise<number> {
    return this.deps.db.transaction(async (tx) => {
      const due = await repo.dueReservations(tx, now, limit);
      for (const r of due) await this.giveBackReservation(tx, r, 'expired', now);
      return due.length;
    });
  }

  /** The reservation, locked and still held; one past its expiry is released as expired. */
  private async heldReservation(tx: DbOrTx, id: string, now: Date): Promise<ReservationRow> {
    const r = await repo.lockReservation(tx, id);
    if (!r) throw new NotFoundError('Reservation', id);
    if (r.status !== 'held') throw reservationSettled(r);
    if (r.expiresAt <= now) {
      await this.giveBackReservation(tx, r, 'expired', now);
      return { ...r, status: 'expired', settledAt: now };
    }
    return r;
  }

  private async giveBackReservation(
    tx: DbOrTx,
    r: ReservationRow,
    status: 'released' | 'expired',
    now: Date,
  ): Promise<void> {
    const key = { payerKind: r.payerKind, payerId: r.payerId, feature: r.feature };
    await repo.adjustCounter(tx, key, r.periodStart, { reserved: -(r.units - r.fromCredits) });
    if (r.fromCredits > 0) await creditLedgerRepository.giveBack(tx, { ...key, reference: r.id, now });
    await repo.settleReservation(tx, r.id, status, now);
  }
}

function reservationSettled(r: ReservationRow): AppError {
  return new ConflictError(
    'reservation_settled',
    `Reservation '${r.id}' is ${r.status}: only a held reservation may be confirmed or released`,
    { status: r.status },
  );
}

interface CounterState {
  limit: number;
  used: number;
  reserved: number;
  credits: number;
}

function stateOf(rule: UsageRule, counter: CounterRow | null, credits: number): CounterState {
  return {
    limit: limitInForce(rule, counter?.limitFloor ?? 0),
    used: counter?.used ?? 0,
    reserved: counter?.reserved ?? 0,
    credits,
  };
}

const allowanceLeft = (s: CounterState) => Math.max(0, s.limit - s.used - s.reserved);

/** Whether `required` units fit: in the allowance, then (for `credits`) in the credits; `bill` always. */
function decide(
  rule: UsageRule,
  s: CounterState,
  required: number,
): { allowed: boolean; fromCredits: number } {
  const beyond = Math.max(0, required - allowanceLeft(s));
  if (beyond === 0 || rule.overage === 'bill') return { allowed: true, fromCredits: 0 };
  if (rule.overage === 'credits' && beyond <= s.credits) return { allowed: true, fromCredits: beyond };
  return { allowed: false, fromCredits: 0 };
}

/** What may still be used now: the allowance left, plus the credits for a `credits` overage. */
export function balanceOf(overage: OverageRule, s: CounterState): number {
  return allowanceLeft(s) + (overage === 'credits' ? s.credits : 0);
}

function answerOf(rule: UsageRule, period: UsagePeriod, s: CounterState, allowed: boolean): CheckAnswer {
  return {
    allowed,
    balance: balanceOf(rule.overage, s),
    limit: s.limit,
    used: s.used,
    reserved: s.reserved,
    credits: s.credits,
    overage: rule.overage,
    reset: rule.reset,
    period_start: period.start.toISOString(),
    resets_at: period.end?.toISOString() ?? null,
  };
}
