import { ValidationError } from '../http/errors.js';
import { newId } from '../shared/ids.js';
import type { UsageContext, UsageSettings } from './context.js';
import type { PayerKey } from './credits-ledger.js';
import { periodOf, type UsagePeriod } from './periods.js';
import { type CounterKey, eventKey, type NewUsageEvent, usageRepository as repo } from './repository.js';
import type { UsageRule } from './rules.js';
import { afterUse } from './thresholds.js';

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

const fieldOf = (events: readonly TrackEvent[]) => (i: number, name: string) =>
  events.length > 1 ? `events.${i}.${name}` : name;

/** Refuses the batch when an event's timestamp is too far in the future or too old. */
export function assertTimestamps(events: readonly TrackEvent[], now: Date, settings: UsageSettings): void {
  const oldest = new Date(now.getTime() - settings.pastWindowDays * DAY_MS);
  const latest = new Date(now.getTime() + FUTURE_SKEW_MS);
  const field = fieldOf(events);
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
}

const payerId = (payer: PayerKey) => JSON.stringify([payer.payerKind, payer.payerId]);

/**
 * Counts usage events, each once: an idempotency key the payer and feature already used is a
 * duplicate (answered, not counted). The batch is checked whole before anything is written, then
 * written in one transaction: the events, their counters, and the credits drawn for units beyond
 * a `credits` limit. Usage is never refused for a limit: it happened; `check` is what refuses.
 */
export async function trackEvents(ctx: UsageContext, events: TrackEvent[], now: Date): Promise<TrackResult> {
  const { db, settings } = ctx;
  assertTimestamps(events, now, settings);
  const field = fieldOf(events);
  const payers = new Map<string, { payer: PayerKey; features: Set<string>; index: number }>();
  events.forEach((e, i) => {
    const id = payerId(e.payer);
    const entry = payers.get(id) ?? { payer: e.payer, features: new Set<string>(), index: i };
    entry.features.add(e.feature);
    payers.set(id, entry);
  });
  const rules = new Map<string, UsageRule>();
  for (const [id, { payer, features, index }] of payers) {
    await ctx.assertPayerKnown(payer, field(index, 'organization_id'));
    for (const [feature, rule] of await ctx.rulesOf(db, payer, features, now))
      rules.set(JSON.stringify([id, feature]), rule);
  }
  const ruleOfEvent = (e: TrackEvent) => rules.get(JSON.stringify([payerId(e.payer), e.feature]))!;

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
    const groups = new Map<string, { key: CounterKey; period: UsagePeriod; rule: UsageRule; used: number }>();
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
      await afterUse(tx, key, rule, period, counter, used, now, settings.warnPercent);
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
