import { Counter, Histogram } from 'prom-client';
import type { Metrics } from '../observability/metrics.js';

export function createSyncMetrics(metrics: Metrics) {
  const registers = [metrics.registry];
  return {
    runs: new Counter({
      name: 'recur_sync_runs_total',
      help: 'Finished sync runs by trigger and result (succeeded, failed, interrupted): the success rate',
      labelNames: ['trigger', 'result'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'recur_sync_run_duration_seconds',
      help: 'Wall time of finished sync runs',
      labelNames: ['mode'] as const,
      buckets: [1, 5, 15, 60, 300, 900, 3600, 4 * 3600],
      registers,
    }),
    objects: new Counter({
      name: 'recur_sync_objects_total',
      help: 'Objects a sync listed, by type and outcome (created, updated, skipped as not newer)',
      labelNames: ['object', 'outcome'] as const,
      registers,
    }),
  };
}

export type SyncMetrics = ReturnType<typeof createSyncMetrics>;
