import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A `recur` child process, its output piped (read it or it is dropped). */
export function spawnRecur(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs one `recur` command to its end, as an operator types it. */
export function runRecur(args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawnRecur(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

export interface ServingRecur {
  url: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/** `recur serve` left running until stopped; resolves once it says where it answers. */
export async function serveRecur(env: Record<string, string>): Promise<ServingRecur> {
  const child = spawnRecur(['serve'], { PORT: '0', ...env });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`recur serve did not start in 60 s:\n${printed}`)),
      60_000,
    );
    child.stdout?.on('data', () => {
      const match = /Recur \S+ on (http:\/\/\S+)/.exec(printed);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`recur serve exited with ${code}:\n${printed}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    output: () => printed,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
