import type { SyncRun } from '../app/types.js';

type RunCounts = SyncRun['counts'];

/**
 * A run's per-object counts in words: "customers 12 seen: 3 new, 1 updated, 8 unchanged". Skipped
 * objects are those the mirror already held as Stripe has them (or newer, from a webhook).
 */
export function countsText(counts: RunCounts): string {
  const parts = Object.entries(counts).map(
    ([name, c]) =>
      `${name.replace(/_/g, ' ')} ${c.seen} seen: ${c.created} new, ${c.updated} updated, ${c.skipped} unchanged`,
  );
  return parts.length ? parts.join('; ') : 'nothing yet';
}
