import { Counter, Gauge } from 'prom-client';
import type { Db } from '../db/client.js';
import { ALERT_RULES } from '../db/schema/index.js';
import type { Metrics } from '../observability/metrics.js';
import { conditionsRepository as conditions } from './conditions-repository.js';
import { alertRepository } from './repository.js';

/**
 * The signals the alert rules watch, for Prometheus (deploy/prometheus): gauges read from the
 * database at each scrape, so every instance reports the cluster's state, never a stale copy.
 */
export function createAlertMetrics(metrics: Metrics, db: Db) {
  const registers = [metrics.registry];
  return {
    signatureFailures: new Counter({
      name: 'recur_webhook_signature_failures_total',
      help: 'Stripe webhook requests refused for a missing, wrong or expired signature (this process)',
      registers,
    }),
    dead: new Gauge({
      name: 'recur_events_dead',
      help: 'Dead-lettered events in the inbox (replay or discard them in the admin console)',
      registers,
      async collect() {
        this.set((await conditions.deadLetters(db).catch(() => null))?.count ?? 0);
      },
    }),
    syncFailed: new Gauge({
      name: 'recur_sync_last_run_failed',
      help: '1 when the latest finished sync from Stripe failed, else 0',
      registers,
      async collect() {
        const run = await conditions.latestFinishedSync(db).catch(() => null);
        this.set(run?.status === 'failed' ? 1 : 0);
      },
    }),
    endpointsFailing: new Gauge({
      name: 'recur_app_webhook_endpoints_failing',
      help: 'Host-app webhook endpoints failing every delivery (for a minute or more), or disabled for it',
      registers,
      async collect() {
        const failing = await conditions.failingEndpoints(db, new Date(Date.now() - 60_000)).catch(() => []);
        this.set(failing.length);
      },
    }),
    incidentsOpen: new Gauge({
      name: 'recur_alert_incidents_open',
      help: 'Open alert incidents by rule',
      labelNames: ['rule'] as const,
      registers,
      async collect() {
        const open = await alertRepository.openByRule(db).catch(() => []);
        for (const rule of ALERT_RULES) this.set({ rule }, open.find((o) => o.rule === rule)?.n ?? 0);
      },
    }),
  };
}

export type AlertMetrics = ReturnType<typeof createAlertMetrics>;
