import { type DbOrTx, runStatement, type Statement } from '../db/client.js';
import type { UsagePeriod } from './periods.js';
import {
  type CounterKey,
  type CounterRow,
  counterRowOf,
  eventKey,
  type NewUsageEvent,
} from './repository.js';

/** A counter the events add to: its period and the limit it is raised to (never lowered). */
export interface CounterAdd {
  key: CounterKey;
  period: UsagePeriod;
  limit: number;
}

/**
 * The events (a key the payer and feature already used is skipped) and, from those inserted, the
 * sums added to their counters, made on first use: one statement, so a group of events costs one
 * round trip, parsed and planned once per connection. Counters are written in key order, so two
 * writers never wait on each other's rows crosswise.
 */
const RECORD_USAGE: Statement = {
  name: 'recur_usage_record',
  text: `
    with input as (
      select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[],
                           $7::timestamptz[], $8::timestamptz[])
        as t(id, payer_kind, payer_id, feature, value, idempotency_key, occurred_at, period_start)
    ),
    inserted as (
      insert into usage_events (id, payer_kind, payer_id, feature, value, idempotency_key, occurred_at,
                                period_start, source)
      select id, payer_kind, payer_id, feature, value, idempotency_key, occurred_at, period_start, $15
      from input order by payer_kind, payer_id, feature, idempotency_key
      on conflict do nothing
      returning payer_kind, payer_id, feature, idempotency_key, value, period_start
    ),
    periods as (
      select * from unnest($9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[],
                           $14::bigint[])
        as p(payer_kind, payer_id, feature, period_start, period_end, limit_floor)
    ),
    sums as (
      select p.payer_kind, p.payer_id, p.feature, p.period_start, p.period_end, p.limit_floor,
             sum(i.value) as used
      from periods p
      join inserted i using (payer_kind, payer_id, feature, period_start)
      group by p.payer_kind, p.payer_id, p.feature, p.period_start, p.period_end, p.limit_floor
    ),
    counted as (
      insert into usage_counters (payer_kind, payer_id, feature, period_start, period_end, used, limit_floor)
      select payer_kind, payer_id, feature, period_start, period_end, used, limit_floor from sums
      order by payer_kind, payer_id, feature, period_start
      on conflict (payer_kind, payer_id, feature, period_start) do update
        set used = usage_counters.used + excluded.used,
            limit_floor = greatest(usage_counters.limit_floor, excluded.limit_floor),
            updated_at = now()
      returning *
    )
    select
      (select coalesce(json_agg(json_build_array(payer_kind, payer_id, feature, idempotency_key)), '[]'::json)
       from inserted) as inserted,
      (select coalesce(json_agg(c), '[]'::json) from counted c) as counters`,
};

/**
 * Writes the events and adds those inserted to their counters (see RECORD_USAGE). Answers the keys
 * inserted (`eventKey`) and, in the order of `counters`, each counter as it now is, or null for
 * one that no inserted event added to.
 */
export async function recordUsage(
  tx: DbOrTx,
  events: ReadonlyArray<NewUsageEvent & { source: 'track' | 'reservation' }>,
  counters: readonly CounterAdd[],
): Promise<{ inserted: Set<string>; counters: Array<CounterRow | null> }> {
  const source = events[0]?.source ?? 'track';
  if (events.some((e) => e.source !== source)) throw new Error('one source per recordUsage call');
  const column = <T>(pick: (e: NewUsageEvent) => T) => events.map(pick);
  const of = <T>(pick: (c: CounterAdd) => T) => counters.map(pick);
  const [row] = await runStatement<{
    inserted: Array<[string, string, string, string]>;
    counters: Array<Record<string, string | number | null>>;
  }>(tx, RECORD_USAGE, [
    column((e) => e.id),
    column((e) => e.payerKind),
    column((e) => e.payerId),
    column((e) => e.feature),
    column((e) => e.value),
    column((e) => e.idempotencyKey),
    column((e) => e.occurredAt),
    column((e) => e.periodStart),
    of((c) => c.key.payerKind),
    of((c) => c.key.payerId),
    of((c) => c.key.feature),
    of((c) => c.period.start),
    of((c) => c.period.end),
    of((c) => c.limit),
    source,
  ]);
  const inserted = new Set(
    (row?.inserted ?? []).map(([payerKind, payerId, feature, idempotencyKey]) =>
      eventKey({ payerKind, payerId, feature, idempotencyKey }),
    ),
  );
  const id = (c: CounterKey & { periodStart: Date }) =>
    JSON.stringify([c.payerKind, c.payerId, c.feature, c.periodStart.getTime()]);
  const written = new Map((row?.counters ?? []).map(counterRowOf).map((c) => [id(c), c]));
  return {
    inserted,
    counters: counters.map((c) => written.get(id({ ...c.key, periodStart: c.period.start })) ?? null),
  };
}
