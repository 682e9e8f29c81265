/**
 * The embedded default as a newcomer runs it: `recur serve` with no configuration (PGlite in the
 * data folder, the in-process emulator and worker). For a first run (new data folder) and for later
 * runs (the folder exists), prints the time from spawn to `/health/ready` answering 200, and the
 * process's memory from /proc (VmRSS once ready and after it has sat idle, VmHWM the peak), with the
 * machine's load average beside each run; both from the TypeScript sources through tsx (`recur`,
 * `npm run recur`) and from the prebuilt bundle `npm start` runs, with what its builds cost.
 *
 *   npx tsx bench/embedded-start.ts [--runs 3] [--idle-seconds 5] [--no-web-build]
 *
 * Prints figures only; nothing here passes or fails.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { processMemoryMb, statFields, TICKS_PER_SECOND } from './support/proc.js';
import { fmt, table } from './support/stats.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'idle-seconds': { type: 'string', default: '5' },
    'no-web-build': { type: 'boolean', default: false },
  },
});
const RUNS = Number(args.runs);
const IDLE_MS = Number(args['idle-seconds']) * 1000;
const ROOT = fileURLToPath(new URL('../', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * CPU seconds (user + system) a process has used, with its finished children's (the first run's
 * initdb).
 */
function cpuSecondsOf(pid: number): number {
  const fields = statFields(pid) ?? [];
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / TICKS_PER_SECOND;
}
/** CPU seconds of this process's children that have finished. */
function childrenCpuSeconds(): number {
  const fields = statFields('self') ?? [];
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`recur serve exited with ${child.exitCode}:\n${output()}`);
    const ok = await fetch(`${url}/health/ready`)
      .then((res) => res.status === 200)
      .catch(() => false);
    if (ok) return;
    await sleep(20);
  }
}

interface Run {
  run: string;
  'ready s': string;
  'CPU s to ready': string;
  'RSS ready MB': string;
  'RSS idle MB': string;
  'HWM MB': string;
  'load 1m': string;
}

/** The two ways to run it: the TypeScript sources through tsx, and `npm start`'s prebuilt bundle. */
const STARTS: Array<{ name: string; args: string[] }> = [
  { name: 'tsx src/cli.ts serve', args: ['--import', 'tsx', 'src/cli.ts', 'serve'] },
  { name: 'node dist/server/cli.js serve (npm start)', args: ['dist/server/cli.js', 'serve'] },
];

/** One `recur serve` from spawn to idle, stopped with SIGTERM as a user's Ctrl-C would. */
async function serveOnce(label: string, args: string[], dataDir: string): Promise<Run> {
  const port = await freePort();
  const load = loadavg()[0]!;
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      RECUR_EMULATOR_PORT: String(await freePort()),
      RECUR_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Kept for the message when it fails to start; the default log level writes a line per request.
  let printed = '';
  for (const stream of [child.stdout, child.stderr])
    stream?.on('data', (chunk: Buffer) => {
      printed = (printed + chunk.toString()).slice(-20_000);
    });
  try {
    await waitReady(`http://127.0.0.1:${port}`, child, () => printed);
    const readyAfter = (performance.now() - started) / 1000;
    const cpu = cpuSecondsOf(child.pid!);
    const atReady = processMemoryMb(child.pid!);
    await sleep(IDLE_MS);
    const idle = processMemoryMb(child.pid!);
    return {
      run: label,
      'ready s': fmt(readyAfter, 2),
      'CPU s to ready': fmt(cpu, 2),
      'RSS ready MB': fmt(atReady.rss, 0),
      'RSS idle MB': fmt(idle.rss, 0),
      'HWM MB': fmt(idle.hwm, 0),
      'load 1m': fmt(load, 2),
    };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}

/** Wall and CPU seconds of an npm script (CPU of this process's finished children, before and after). */
function timeScript(script: string): string {
  const load = loadavg()[0]!;
  const started = performance.now();
  const cpuBefore = childrenCpuSeconds();
  const run = spawnSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: 'ignore' });
  const wall = (performance.now() - started) / 1000;
  const cpu = childrenCpuSeconds() - cpuBefore;
  return `${script}: ${fmt(wall, 1)} s (CPU ${fmt(cpu, 1)} s, exit ${run.status}, load 1m ${fmt(load, 2)})`;
}

// The web build only changes what `/admin` serves; the server bundle is what the second start runs.
const builds: string[] = args['no-web-build'] ? [] : [timeScript('build:web')];
await rm(join(ROOT, 'dist/server'), { recursive: true, force: true });
builds.push(timeScript('build:server'), `${timeScript('build:server')} (up to date)`);

process.stdout.write(
  `recur serve, embedded defaults (idle = ${IDLE_MS / 1000} s after ready; target: ready < 5 s, idle RSS < 300 MB)\n`,
);
for (const start of STARTS) {
  const rows: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dataDir = await mkdtemp(join(tmpdir(), 'recur-bench-start-'));
    try {
      rows.push(await serveOnce(`first run #${i + 1}`, start.args, dataDir));
      rows.push(await serveOnce(`later run #${i + 1}`, start.args, dataDir));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  process.stdout.write(`\n${start.name}\n${table(rows.map((r) => ({ ...r })))}\n`);
}
process.stdout.write(`\n\`npm start\` builds first:\n  ${builds.join('\n  ')}\n`);
