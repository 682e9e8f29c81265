import type { OverageRule, UsageReset } from '../db/schema/plans.js';
import { newId } from '../shared/ids.js';
import { counterOf, readCheckSnapshot } from './check-snapshot.js';
import { type UsageContext, unknownOrganization } from './context.js';
import { creditLedgerRepository, type PayerKey } from './credits-ledger.js';
import { periodOf, type UsagePeriod } from './periods.js';
import { type CounterRow, usageRepository as repo } from './repository.js';
import { granting, limitInForce, type UsageRule, usageRuleOf } from './rules.js';

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

export interface CheckRequest {
  payer: PayerKey;
  feature: string;
  required: number;
  reserve: boolean;
}

/**
 * May the payer use `required` more units now? With `reserve`, the units are held at once on the
 * locked counter (and, beyond the allowance of a `credits` limit, drawn from credits all or
 * nothing), to be confirmed or released; a refused check holds nothing.
 */
export async function checkUsage(ctx: UsageContext, request: CheckRequest, now: Date): Promise<CheckAnswer> {
  const { db, settings } = ctx;
  const { payer, feature, required } = request;
  const key = { ...payer, feature };
  if (!request.reserve) {
    // Neither the credits nor the latest counters depend on the rule: all are read in one prepared
    // statement, so a check costs one round trip, no transaction and no lock (a second only when
    // more than a few later periods started since the rule's, see `counterOf`).
    const snapshot = await readCheckSnapshot(db, payer, feature, now);
    if (!snapshot.payerKnown) throw unknownOrganization(payer.payerId, 'organization_id');
    const rule = usageRuleOf(granting(snapshot.subscriptions, now, settings.graceDays), feature);
    const period = periodOf(rule.reset, now, rule.anchor);
    const known = counterOf(snapshot, period.start);
    const counter = known === undefined ? await repo.counter(db, key, period.start) : known;
    const state = stateOf(rule, counter, snapshot.credits);
    return answerOf(rule, period, state, decide(rule, state, required).allowed);
  }
  await ctx.assertPayerKnown(payer, 'organization_id');
  const rule = await ctx.ruleOf(db, payer, feature, now);
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

/**
 * What may still be used now: the allowance left, plus the credits for a `credits` overage. Credits
 * owed take nothing from the allowance: the plan's allowance is the payer's whatever it owes.
 */
export function balanceOf(overage: OverageRule, s: CounterState): number {
  return allowanceLeft(s) + (overage === 'credits' ? Math.max(0, s.credits) : 0);
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
