import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** One registry per app instance, so tests that build several apps never share counters. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'recur_http_request_duration_seconds',
    help: 'HTTP request latency by route, method and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const cacheLookups = new Counter({
    name: 'recur_cache_lookups_total',
    help: 'Cache lookups by cache name and result (hit or miss)',
    labelNames: ['cache', 'result'] as const,
    registers: [registry],
  });
  const stripeRequests = new Counter({
    name: 'recur_stripe_requests_total',
    help: 'Stripe API requests by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  return { registry, httpDuration, cacheLookups, stripeRequests };
}

export type Metrics = ReturnType<typeof createMetrics>;
