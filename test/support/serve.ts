import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A port free right now, for a child process that must be told its port in advance. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RecurProcess {
  /** Where the app answers, e.g. http://127.0.0.1:41234 */
  url: string;
  adminKey: string;
  jwtSecret: string;
  dataDir: string;
  /** The built-in emulator it started, and the official SDK pointed at it (the merchant's view of Stripe). */
  emulatorUrl: string;
  stripe: Stripe;
  /** Makes the emulator refuse the next `method` request under `path` (as Stripe would fail it). */
  failNextStripeRequest(method: string, path: string, message: string): Promise<void>;
  /** Everything the process printed, for a failing test's message. */
  output(): string;
  /**
   * A deploy's restart: SIGTERM (the process finishes what it holds and exits 0), then `recur serve`
   * again on the same data folder and ports, `whileStopped` run in between. Only for a process
   * started with `restartable`.
   */
  restart(whileStopped?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `recur serve` as a user starts it, on embedded defaults (PGlite, the built-in emulator, the
 * in-process worker) in a data folder of its own, on free ports. Only the admin key and the JWT
 * secret are given, so that the test can sign in as an admin and as a user. A `restartable` one
 * is told its app port in advance, so that it comes back where a browser left it.
 */
export async function startRecurServe(
  env: Record<string, string> = {},
  options: { fromBundle?: boolean; restartable?: boolean } = {},
): Promise<RecurProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'recur-serve-'));
  const adminKey = `rk_${randomBytes(16).toString('hex')}`;
  const jwtSecret = randomBytes(32).toString('hex');
  const emulatorPort = Number(env.RECUR_EMULATOR_PORT ?? (await freePort()));
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const appPort = options.restartable ? String(await freePort()) : '0';
  // The bundle is what `npm start` runs (after `npm run build:server`).
  const command = options.fromBundle
    ? ['dist/server/cli.js', 'serve']
    : ['--import', 'tsx', 'src/cli.ts', 'serve'];
  let printed = '';

  const launch = async (): Promise<{ child: ChildProcess; url: string }> => {
    const from = printed.length;
    const child = spawn(process.execPath, command, {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: appPort,
        RECUR_EMULATOR_PORT: String(emulatorPort),
        RECUR_DATA_DIR: dataDir,
        RECUR_ADMIN_API_KEY: adminKey,
        RECUR_JWT_SECRET: jwtSecret,
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const print = (chunk: Buffer) => {
      printed += chunk.toString();
    };
    child.stdout?.on('data', print);
    child.stderr?.on('data', print);
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`recur serve did not start in 180 s:\n${printed}`)),
        180_000,
      );
      const onData = () => {
        const match = /Recur \S+ on (http:\/\/\S+)/.exec(printed.slice(from));
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`recur serve exited with ${code}:\n${printed}`));
      });
    });
    return { child, url };
  };

  /** SIGTERM, and the exit code once the process has finished shutting down. */
  const terminate = async (child: ChildProcess): Promise<number | null> => {
    if (child.exitCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    return exited;
  };

  const first = await launch();
  const { url } = first;
  let { child } = first;
  return {
    url,
    adminKey,
    jwtSecret,
    dataDir,
    emulatorUrl,
    stripe: new Stripe('sk_test_recur_serve', { host: '127.0.0.1', port: emulatorPort, protocol: 'http' }),
    async failNextStripeRequest(method, path, message) {
      const res = await fetch(`${emulatorUrl}/_emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          failNext: [
            { method, path, count: 1, status: 400, error: { type: 'invalid_request_error', message } },
          ],
        }),
      });
      if (!res.ok) throw new Error(`the emulator refused the fault: ${res.status}`);
    },
    output: () => printed,
    async restart(whileStopped) {
      if (!options.restartable) throw new Error('startRecurServe was not asked for a restartable process');
      const code = await terminate(child);
      if (code !== 0) throw new Error(`recur serve exited with ${code} on SIGTERM:\n${printed}`);
      await whileStopped?.();
      const next = await launch();
      if (next.url !== url) throw new Error(`recur serve came back on ${next.url}, not ${url}`);
      child = next.child;
    },
    async stop() {
      await terminate(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
