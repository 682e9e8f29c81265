/**
 * Stripe's webhooks through Recur's embedded default: one `recur serve` (the bundle `npm start`
 * runs) on PGlite in a new data folder, its worker in the same process, the database inbox as the
 * queue, at the default log level. Stripe is the emulator in a process of its own, as in
 * bench/webhooks.ts, so that the events can be signed with a known secret; the events are the same
 * real ones (support/demo-corpus.ts), copied as further accounts' histories.
 *
 * Events are posted at a fixed rate (500/s by default) for a number of seconds, after a second at
 * that rate that is not counted, over 16 keep-alive connections. Printed: the rate accepted and its
 * latency, the rate applied to the mirror (first sent → last applied) and each event's sent →
 * applied latency (read back through the admin events API), the process's CPU per event and its
 * memory (idle, then peak).
 *
 *   npx tsx bench/embedded-webhooks.ts [--rate 500] [--seconds 20] [--profile DIR]
 *
 * Prints figures only; nothing here passes or fails. Loopback only, bounded in count and time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadBenchTargets } from '../src/config.js';
import { captureDemoEvents, copier } from './support/demo-corpus.js';
import { startEmulatorProcess } from './support/emulator-process.js';
import { processCpuMs, processMemoryMb, processRssMb } from './support/proc.js';
import { loadGenerator, type RecurChild, startRecur } from './support/recur-process.js';
import { fmt, percentile, table } from './support/stats.js';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '20' },
    /** A directory for the process's CPU profile (its whole life). */
    profile: { type: 'string' },
  },
});
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RATE = Number(args.rate);
const EVENTS = Math.round(RATE * Number(args.seconds));
const SECRET = 'whsec_bench_embedded';
const ADMIN_KEY = 'rk_benchembeddedadmin0001';

/** Every event's processed time by its Stripe id, read page by page from the admin API. */
async function processedTimes(url: string): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
    const response = await fetch(`${url}/api/admin/events?${query}`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    const page = (await response.json()) as {
      data: Array<{ external_id: string; processed_at: string | null }>;
      next_cursor: string | null;
    };
    for (const event of page.data)
      if (event.processed_at) times.set(event.external_id, Date.parse(event.processed_at));
    cursor = page.next_cursor;
  } while (cursor);
  return times;
}

async function processedCount(url: string): Promise<number> {
  const text = await (
    await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
  ).text();
  let sum = 0;
  for (const match of text.matchAll(
    /^recur_events_processed_total\{[^}]*outcome="(?:processed|ignored)"[^}]*\} (\d+)/gm,
  ))
    sum += Number(match[1]);
  return sum;
}

async function main() {
  const targets = loadBenchTargets();
  const load = () => loadavg()[0]!.toFixed(1);
  process.stdout.write(`webhooks on the embedded default (PGlite, worker in-process) (load ${load()})\n`);
  spawnSync(process.execPath, [join(ROOT, 'scripts/build-server.mjs')], { stdio: 'inherit' });
  const emulator = await startEmulatorProcess();
  const dataDir = await mkdtemp(join(tmpdir(), 'recur-bench-embedded-'));
  const generator = loadGenerator();
  let recur: RecurChild | null = null;
  try {
    const corpus = await captureDemoEvents({
      emulator,
      baseDatabaseUrl: targets.databaseUrl,
      encryptionKey: 'c4'.repeat(32),
      customers: 20,
      months: 6,
      seed: 7,
    });
    const copy = copier(corpus.events, SECRET);
    const bodies = Array.from({ length: RATE + EVENTS }, (_, k) =>
      copy(1 + Math.floor(k / corpus.events.length), corpus.events[k % corpus.events.length]!),
    );
    const started = performance.now();
    const api = await startRecur(
      'serve',
      {
        PORT: '0',
        RECUR_DATA_DIR: dataDir,
        STRIPE_SECRET_KEY: 'sk_test_bench_corpus',
        STRIPE_API_BASE: emulator.url,
        STRIPE_WEBHOOK_SECRET: SECRET,
        RECUR_ADMIN_API_KEY: ADMIN_KEY,
      },
      args.profile,
    );
    recur = api;
    const startSeconds = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 3000));
    const idleRss = processRssMb(api.child.pid);

    const send = await generator.prepare({
      url: `${api.url}/stripe/webhook`,
      bodies,
      concurrency: 16,
      ratePerSecond: RATE,
    });
    const runLoad = load();
    const cpu0 = processCpuMs(api.child.pid);
    const result = await send();
    const sentMs = result.durationMs;
    const deadline = Date.now() + 180_000;
    while ((await processedCount(api.url)) < bodies.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    const cpuUs = ((processCpuMs(api.child.pid) - cpu0) * 1000) / bodies.length;
    const peak = processMemoryMb(api.child.pid).hwm;
    const times = await processedTimes(api.url);

    const measured = bodies.slice(RATE);
    const accepted = result.latenciesMs.slice(RATE);
    const latency = measured
      .filter((b) => times.has(b.id))
      .map((b) => times.get(b.id)! - result.sentAt[b.id]!);
    const firstSent = Math.min(...measured.map((b) => result.sentAt[b.id]!));
    const lastApplied = Math.max(...measured.map((b) => times.get(b.id) ?? 0));
    const appliedRate = latency.length / ((lastApplied - firstSent) / 1000);
    process.stdout.write(
      `${table([
        {
          measure: `accepted: POST /stripe/webhook offered ${RATE}/s`,
          'events/s': fmt(bodies.length / (sentMs / 1000), 0),
          p50_ms: fmt(percentile(accepted, 50), 1),
          p99_ms: fmt(percentile(accepted, 99), 1),
          load: runLoad,
        },
        {
          measure: 'applied: sent → applied to the mirror',
          'events/s': fmt(appliedRate, 0),
          p50_ms: fmt(percentile(latency, 50), 1),
          p99_ms: fmt(percentile(latency, 99), 1),
          load: load(),
        },
      ])}\n`,
    );
    process.stdout.write(
      [
        `${measured.length} events (+${RATE} of warm-up), statuses ${JSON.stringify(result.statuses)}; ${latency.length} applied`,
        `CPU ${fmt(cpuUs / 1000, 2)} ms an event (API, worker and PGlite: one process); ready in ${fmt(startSeconds, 1)} s (new data folder)`,
        `memory (MB RSS): idle ${fmt(idleRss, 0)}, peak ${fmt(peak, 0)}`,
        '',
      ].join('\n'),
    );
  } finally {
    generator.close();
    await recur?.stop();
    emulator.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
