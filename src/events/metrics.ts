import { Counter, Gauge, Histogram } from 'prom-client';
import type { Metrics } from '../observability/metrics.js';

/** `oldestWaiting` is read at each scrape, so the lag gauge is always current without a timer. */
export function createEventMetrics(metrics: Metrics, oldestWaiting: () => Promise<Date | null>) {
  const registers = [metrics.registry];
  return {
    received: new Counter({
      name: 'recur_events_received_total',
      help: 'Events taken into the inbox, by source and whether they were duplicates',
      labelNames: ['source', 'duplicate'] as const,
      registers,
    }),
    watched: new Counter({
      name: 'recur_stripe_watched_events_total',
      help: 'New Stripe events of the types the alert rules watch, by type (invoice.payment_succeeded, invoice.payment_failed, charge.dispute.created)',
      labelNames: ['type'] as const,
      registers,
    }),
    outcomes: new Counter({
      name: 'recur_events_processed_total',
      help: 'Processing outcomes by event type family and outcome (processed, ignored, failed, dead)',
      labelNames: ['family', 'outcome'] as const,
      registers,
    }),
    latency: new Histogram({
      name: 'recur_event_processing_seconds',
      help: 'Time from receipt to the mirror being updated',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300],
      registers,
    }),
    lag: new Gauge({
      name: 'recur_event_queue_lag_seconds',
      help: 'Age of the oldest event waiting to be processed',
      registers,
      async collect() {
        const oldest = await oldestWaiting().catch(() => null);
        this.set(oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0);
      },
    }),
  };
}

/** Event types counted by type in `watched`: payments (the failed-payment rate) and disputes. */
export const WATCHED_EVENT_TYPES: ReadonlySet<string> = new Set([
  'invoice.payment_succeeded',
  'invoice.payment_failed',
  'charge.dispute.created',
]);

export type EventMetrics = ReturnType<typeof createEventMetrics>;
