import { asSystem } from '../audit/context.js';
import { AppError } from '../http/errors.js';
import type { Services } from '../services.js';
import type { SyncCounts } from './catalog.js';
import type { SyncMode, SyncObject } from './objects.js';
import { progressLine } from './progress.js';
import type { Difference, ReconcileReport } from './reconcile.js';

export interface SyncCommandOptions {
  objects: SyncObject[];
  mode: SyncMode;
  check?: boolean;
}

interface Output {
  out: NodeJS.WritableStream;
  err: NodeJS.WriteStream;
}

/**
 * `recur sync`: a backfill with a progress bar that ends with the counts as one JSON line, or with
 * `--check` the differences between the mirror and Stripe. Resolves to the exit code: 1 when the
 * run did not succeed, another is running, or the check found differences.
 */
export async function syncCommand(
  services: Services,
  options: SyncCommandOptions,
  io: Output = { out: process.stdout, err: process.stderr },
): Promise<number> {
  if (options.check) {
    const report = await services.syncs.check(options.objects);
    io.out.write(formatReport(report));
    return report.differences.length ? 1 : 0;
  }

  const line = progressLine(io.err, options.objects);
  let started: Awaited<ReturnType<Services['syncs']['start']>>;
  try {
    started = await asSystem('cli: recur sync', () =>
      services.syncs.start({
        mode: options.mode,
        objects: options.objects,
        trigger: 'cli',
        onProgress: (object, counts, fraction) => line.update(object, counts, fraction),
      }),
    );
  } catch (error) {
    if (error instanceof AppError && error.code === 'sync_running') {
      io.err.write(`recur: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  // Ctrl-C stops between pages; the run is recorded as interrupted and the next one resumes it.
  const interrupt = () => void services.syncs.stop();
  process.once('SIGINT', interrupt);
  const run = await started.finished;
  process.off('SIGINT', interrupt);
  line.done();

  // Products and prices keep their keys (null when not asked for), as the catalog import printed them.
  const summary: Record<string, SyncCounts | null> = { products: null, prices: null };
  for (const object of options.objects) {
    const counts = run.counts[object];
    // Stored as jsonb, which orders keys its own way; printed in the order people read them.
    summary[object] = counts
      ? { seen: counts.seen, created: counts.created, updated: counts.updated, skipped: counts.skipped }
      : null;
  }
  io.out.write(`${JSON.stringify(summary)}\n`);
  if (run.status === 'succeeded') return 0;
  io.err.write(
    run.status === 'interrupted'
      ? `recur: sync interrupted; run it again to resume where it stopped\n`
      : `recur: sync failed: ${run.error}\n`,
  );
  return 1;
}

export function formatReport(report: ReconcileReport): string {
  const lines: string[] = [];
  for (const [object, s] of Object.entries(report.objects)) {
    lines.push(
      `${object.padEnd(16)} ${s.stripe} in Stripe, ${s.mirror} here: ${s.missing} missing, ${s.extra} extra, ${s.different} different`,
    );
  }
  if (report.differences.length) lines.push('');
  for (const d of report.differences) lines.push(describe(d));
  if (report.truncated) lines.push(`… and more; the counts above include them all`);
  if (!report.differences.length) lines.push('The mirror equals Stripe.');
  return `${lines.join('\n')}\n`;
}

function describe(d: Difference): string {
  const where = `${d.object} ${d.id}`;
  if (d.kind === 'missing') return `missing    ${where} (in Stripe, not here)`;
  if (d.kind === 'extra') return `extra      ${where} (here, not in Stripe)`;
  if (d.note) return `different  ${where}: ${d.note}`;
  return `different  ${where}: ${d.field} is ${JSON.stringify(d.stripe)} in Stripe, ${JSON.stringify(d.mirror)} here`;
}
