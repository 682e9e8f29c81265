/**
 * Billing meters and the usage recorded against them: the `billing.meter` collection, the events
 * accepted by `/v1/billing/meter_events` (kept per identifier, with the meter and customer they
 * were counted for), and the aggregation a meter applies to a customer's events in a time range,
 * which both the event summaries and the renewal invoices of metered prices read.
 *
 * Aggregation (https://docs.stripe.com/billing/subscriptions/usage-based/meters/configure):
 * `sum` adds the values, `count` counts the events, `last` takes the value of the latest event.
 * With `event_time_window` (pre-aggregated ingestion, `hour` or `day`) only the most recent event
 * sent within each window counts (https://docs.stripe.com/billing/subscriptions/usage-based/recording-usage).
 */
import type Stripe from 'stripe';
import type { Collection, Store } from '../../core/store.js';

/** An accepted meter event. `meter`/`customer`/`value` are null when it counts for nothing. */
export interface StoredMeterEvent {
  /** The event's identifier, unique across the account as Stripe enforces it. */
  id: string;
  event: Stripe.Billing.MeterEvent;
  meter: string | null;
  customer: string | null;
  value: number | null;
  /** Order of arrival, to tell the latest of two events with the same timestamp. */
  sequence: number;
}

export const metersOf = (store: Store): Collection<Stripe.Billing.Meter> => store.collection('billing.meter');
export const meterEventsOf = (store: Store): Collection<StoredMeterEvent> =>
  store.collection('billing.meter_event_record');

/** The active meter listening to `eventName`, if any (an event name belongs to one active meter). */
export function activeMeterFor(store: Store, eventName: string): Stripe.Billing.Meter | undefined {
  return metersOf(store).find((meter) => meter.status === 'active' && meter.event_name === eventName);
}

const WINDOW_SECONDS: Record<string, number> = { hour: 3_600, day: 86_400 };

/** The meter's aggregate of `customer`'s events with a timestamp in [start, end). */
export function meterUsage(
  store: Store,
  meter: Stripe.Billing.Meter,
  customer: string,
  start: number,
  end: number,
): number {
  let events = meterEventsOf(store)
    .filter(
      (e) =>
        e.meter === meter.id &&
        e.customer === customer &&
        e.value !== null &&
        e.event.timestamp >= start &&
        e.event.timestamp < end,
    )
    .sort((a, b) => a.event.timestamp - b.event.timestamp || a.sequence - b.sequence);
  const window = meter.event_time_window ? WINDOW_SECONDS[meter.event_time_window] : undefined;
  if (window) {
    const latest = new Map<number, StoredMeterEvent>();
    for (const e of events) {
      const key = Math.floor(e.event.timestamp / window);
      const kept = latest.get(key);
      if (!kept || e.sequence > kept.sequence) latest.set(key, e);
    }
    events = [...latest.values()].sort((a, b) => a.event.timestamp - b.event.timestamp);
  }
  switch (meter.default_aggregation.formula) {
    case 'count':
      return events.length;
    case 'last':
      return events.at(-1)?.value ?? 0;
    default:
      return roundValue(events.reduce((total, e) => total + (e.value ?? 0), 0));
  }
}

/** Sums of decimal values without binary noise (0.1 + 0.2 = 0.3), to 12 places as Stripe keeps them. */
function roundValue(value: number): number {
  return Math.round(value * 1e12) / 1e12;
}
