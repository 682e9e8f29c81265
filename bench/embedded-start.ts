/**
 * The embedded default as a newcomer runs it: `recur serve` with no configuration (PGlite in the
 * data folder, the in-process emulator and worker). For a first run (new data folder) and for later
 * runs (the folder exists), prints the time from spawn to `/health/ready` answering 200, and the
 * process's memory from /proc (VmRSS once ready and after it has sat idle, VmHWM the peak), with the
 * machine's load average beside each run. Then the cost of `vite build`, which `npm start` runs first.
 *
 *   npx tsx bench/embedded-start.ts [--runs 3] [--idle-seconds 5] [--no-build]
 *
 * Prints figures only; nothing here passes or fails.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fmt, table } from './support/stats.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'idle-seconds': { type: 'string', default: '5' },
    'no-build': { type: 'boolean', default: false },
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

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** VmRSS and VmHWM of a process, in MB. */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
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

/** One `recur serve` from spawn to idle, stopped with SIGTERM as a user's Ctrl-C would. */
async function serveOnce(label: string, dataDir: string): Promise<Run> {
  const port = await freePort();
  const load = loadavg()[0]!;
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
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
    const atReady = memoryOf(child.pid!);
    await sleep(IDLE_MS);
    const idle = memoryOf(child.pid!);
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

const rows: Run[] = [];
for (let i = 0; i < RUNS; i++) {
  const dataDir = await mkdtemp(join(tmpdir(), 'recur-bench-start-'));
  try {
    rows.push(await serveOnce(`first run #${i + 1}`, dataDir));
    rows.push(await serveOnce(`later run #${i + 1}`, dataDir));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
process.stdout.write(
  `recur serve, embedded defaults (idle = ${IDLE_MS / 1000} s after ready; target: ready < 5 s, idle RSS < 300 MB)\n`,
);
process.stdout.write(`${table(rows.map((r) => ({ ...r })))}\n`);

if (!args['no-build']) {
  const load = loadavg()[0]!;
  const started = performance.now();
  const build = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: ROOT, stdio: 'ignore' });
  process.stdout.write(
    `\n\`npm start\` first runs the web build: ${fmt((performance.now() - started) / 1000, 1)} s (exit ${build.status}, load 1m ${fmt(load, 2)})\n`,
  );
}
