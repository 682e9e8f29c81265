import { Counter, Histogram } from 'prom-client';
import type { Metrics } from '../observability/metrics.js';

export type DeliveryOutcome = 'succeeded' | 'retrying' | 'failed';

export function createAppWebhookMetrics(metrics: Metrics) {
  const registers = [metrics.registry];
  return {
    deliveries: new Counter({
      name: 'recur_app_webhook_deliveries_total',
      help: 'Delivery attempts to the host app by outcome (succeeded, retrying: failed and tried again later, failed: given up)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    attemptDuration: new Histogram({
      name: 'recur_app_webhook_attempt_seconds',
      help: 'Time one delivery attempt took, from connecting to the answer, by whether it succeeded',
      labelNames: ['succeeded'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 30],
      registers,
    }),
    endpointsDisabled: new Counter({
      name: 'recur_app_webhook_endpoints_disabled_total',
      help: 'Endpoints disabled after failing every delivery for five days',
      registers,
    }),
  };
}

export type AppWebhookMetrics = ReturnType<typeof createAppWebhookMetrics>;
