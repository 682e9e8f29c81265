import { ValidationError } from '../http/errors.js';
import { newId } from '../shared/ids.js';
import type { UsageContext, UsageSettings } from './context.js';
import type { PayerKey } from './credits-ledger.js';
import { periodOf, type UsagePeriod } from './periods.js';
import { recordUsage } from './record-usage.js';
import {
  type CounterKey,
  eventKey,
  type NewUsageEvent,
  payerRef,
  payersSubscriptions,
} from './repository.js';
import { granting, type UsageRule, usageRuleOf } from './rules.js';
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

export type TrackStatus = 'accepted' | 'duplicate';

/** Refuses the batch (404) when an event's organisation is not known; users need no record. */
export async function assertPayersKnown(ctx: UsageContext, events: readonly TrackEvent[]): Promise<void> {
  const field = fieldOf(events);
  const seen = new Set<string>();
  for (const [i, e] of events.entries()) {
    if (seen.has(payerRef(e.payer))) continue;
    seen.add(payerRef(e.payer));
    await ctx.assertPayerKnown(e.payer, field(i, 'organization_id'));
  }
}

/**
 * Counts usage events, each once: an idempotency key the payer and feature already used is a
 * duplicate (answered, not counted). The batch is checked whole before anything is written, then
 * written in one transaction (see `writeEvents`).
 */
export async function trackEvents(ctx: UsageContext, events: TrackEvent[], now: Date): Promise<TrackResult> {
  assertTimestamps(events, now, ctx.settings);
  await assertPayersKnown(ctx, events);
  return trackResult(events, await writeEvents(ctx, events, now));
}

export function trackResult(events: readonly TrackEvent[], statuses: readonly TrackStatus[]): TrackResult {
  const results = events.map((e, i) => ({ idempotency_key: e.idempotencyKey, status: statuses[i]! }));
  const accepted = results.filter((r) => r.status === 'accepted').length;
  return { accepted, duplicates: events.length - accepted, events: results };
}

/**
 * Writes checked events in one transaction: the events, their counters, and the credits drawn for
 * units beyond a `credits` limit; answers each event's status, in order. The payers' rules are read
 * in one statement. Usage is never refused for a limit: it happened; `check` is what refuses.
 * Events and counters are written in one order (by key), so that two writers never wait on each
 * other's rows crosswise.
 */
export async function writeEvents(
  ctx: UsageContext,
  events: readonly TrackEvent[],
  now: Date,
): Promise<TrackStatus[]> {
  const { db, settings } = ctx;
  const payers = new Map<string, PayerKey>(events.map((e) => [payerRef(e.payer), e.payer]));
  const subscriptions = await payersSubscriptions(db, [...payers.values()]);
  const rules = new Map<string, UsageRule>();
  const ruleOfEvent = (e: TrackEvent) => {
    const id = JSON.stringify([payerRef(e.payer), e.feature]);
    let rule = rules.get(id);
    if (!rule) {
      const subs = subscriptions.get(payerRef(e.payer)) ?? [];
      rule = usageRuleOf(granting(subs, now, settings.graceDays), e.feature);
      rules.set(id, rule);
    }
    return rule;
  };

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
  // Each counter the events may add to, with its period and rule, in key order.
  const groups = new Map<string, { key: CounterKey; period: UsagePeriod; rule: UsageRule }>();
  const groupOf = (row: (typeof rows)[number]) =>
    JSON.stringify([row.payerKind, row.payerId, row.feature, row.periodStart.getTime()]);
  for (const row of rows)
    if (!groups.has(groupOf(row)))
      groups.set(groupOf(row), {
        key: { payerKind: row.payerKind, payerId: row.payerId, feature: row.feature },
        period: row.period,
        rule: row.rule,
      });
  const ordered = [...groups.keys()].sort(compare).map((id) => ({ id, ...groups.get(id)! }));
  const inserted = await db.transaction(async (tx) => {
    const written = await recordUsage(
      tx,
      rows.map(({ period: _period, rule: _rule, ...row }) => row),
      ordered.map(({ key, period, rule }) => ({ key, period, limit: rule.limit })),
    );
    const used = new Map<string, number>();
    for (const row of rows)
      if (written.inserted.has(eventKey(row)))
        used.set(groupOf(row), (used.get(groupOf(row)) ?? 0) + row.value);
    for (const [i, { id, key, period, rule }] of ordered.entries()) {
      const counter = written.counters[i];
      if (counter) await afterUse(tx, key, rule, period, counter, used.get(id) ?? 0, now, settings);
    }
    return written.inserted;
  });
  return events.map((e, i) =>
    firsts.has(i) && inserted.has(eventKey({ ...e.payer, ...e })) ? 'accepted' : 'duplicate',
  );
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
