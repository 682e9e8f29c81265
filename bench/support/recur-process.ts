/**
 * The processes a benchmark drives: the load generator (support/load-generator.ts) and Recur itself,
 * started from the bundle `npm start` runs (`npm run build:server`), in Recur's default configuration
 * but for what `env` says.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnvironment } from '../../src/config.js';
import type { LoadJob, LoadMessage, LoadResult } from './load-generator.js';
import { postgresCpuMs, processCpuMs } from './proc.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The load generator's process, one for the whole run (support/load-generator.ts). */
export function loadGenerator() {
  const child = fork(fileURLToPath(new URL('./load-generator.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
  });
  let failed: (error: Error) => void = () => {};
  child.once('exit', (code) => code !== 0 && failed(new Error(`load generator exited with ${code}`)));
  const next = () =>
    new Promise<LoadMessage>((resolve, reject) => {
      failed = reject;
      child.once('message', (message: LoadMessage) => resolve(message));
    });
  return {
    /** Hands the job over; resolves with a `send()` that posts it, once its requests are built. */
    async prepare(job: LoadJob): Promise<() => Promise<LoadResult>> {
      const ready = next();
      child.send(job);
      await ready;
      return async () => {
        const finished = next();
        child.send('go');
        const message = await finished;
        if (!('result' in message)) throw new Error('load generator answered out of turn');
        return message.result;
      };
    },
    close: () => child.kill(),
  };
}

/** A Recur process from the bundle `npm start` runs, in Recur's default configuration. */
export interface RecurChild {
  child: ChildProcess;
  /** Bytes it has written to stdout (its JSON log lines, at the default level `info`). */
  loggedBytes(): number;
  /** SQL statements it has sent to PostgreSQL so far (support/count-statements.mjs). */
  statements(): Promise<number>;
  stop(): Promise<void>;
}

const COUNTER = fileURLToPath(new URL('./count-statements.mjs', import.meta.url));

/** Asks the process for its statement count and reads the answer off its fourth descriptor. */
function statementCounter(child: ChildProcess): () => Promise<number> {
  const answers: Array<(n: number) => void> = [];
  let partial = '';
  child.stdio[3]!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) answers.shift()?.(Number(line));
  });
  return () =>
    new Promise((resolve) => {
      answers.push(resolve);
      child.kill('SIGUSR2');
    });
}

/** With `profileDir`, the process writes its CPU profile (its whole life) to `profileDir/<command>`. */
export function startRecur(
  command: 'serve' | 'worker',
  env: Record<string, string>,
  profileDir?: string,
): Promise<RecurChild & { url: string }> {
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, command)] : [];
  const child = spawn(
    process.execPath,
    ['--import', COUNTER, ...profile, join(ROOT, 'dist/server/cli.js'), command],
    { cwd: ROOT, env: childEnvironment(env), stdio: ['ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const statements = statementCounter(child);
  let logged = 0;
  let head = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // Read as a log shipper would, so that the pipe never fills and stalls the process.
  child.stdout!.on('data', (chunk: Buffer) => {
    logged += chunk.length;
    if (head.length < 20_000) head += chunk.toString();
  });
  const ready = command === 'serve' ? /Recur \S+ on (http:\/\/\S+)/ : /"msg":"event worker started"/;
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) =>
      reject(new Error(`recur ${command} exited with ${code}: ${stderr}`));
    child.once('exit', exited);
    const look = () => {
      const match = ready.exec(head);
      if (!match) return;
      child.stdout!.off('data', look);
      child.off('exit', exited);
      resolve({
        child,
        url: match[1] ?? '',
        loggedBytes: () => logged,
        statements,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout!.on('data', look);
  });
}

/** What one phase cost: the working process's CPU, PostgreSQL's CPU and the statements it sent. */
export async function meter(recur: RecurChild) {
  const pid = recur.child.pid;
  const start = { cpu: processCpuMs(pid), pg: postgresCpuMs(), statements: await recur.statements() };
  return async (events: number) => ({
    cpuUs: ((processCpuMs(pid) - start.cpu) * 1000) / events,
    pgUs: ((postgresCpuMs() - start.pg) * 1000) / events,
    statements: ((await recur.statements()) - start.statements) / events,
  });
}
