import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RecurProcess } from './serve.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs one command to its end; rejects with everything it printed when it fails. */
function run(command: string, args: string[]): Promise<void> {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  return new Promise((resolve, reject) =>
    child.once('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${printed}`)),
    ),
  );
}

/** Builds the example's page the way its README says (`npm run build:example`). */
export function buildExampleApp(): Promise<void> {
  return run('npm', ['run', '--silent', 'build:example']);
}

async function postJson(url: string, apiKey: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST ${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** A service key for the app's backend, made with the admin key as the README documents. */
export async function createServiceKey(recur: RecurProcess, name: string): Promise<string> {
  const created = (await postJson(`${recur.url}/api/admin/api-keys`, recur.adminKey, {
    name,
    role: 'service',
  })) as { key: string };
  return created.key;
}

/** A webhook endpoint for the app; its signing secret is shown this once. */
export async function createWebhookEndpoint(
  recur: RecurProcess,
  body: { url: string; description?: string; event_types?: string[] },
): Promise<{ id: string; secret: string }> {
  const created = (await postJson(`${recur.url}/api/admin/webhook-endpoints`, recur.adminKey, body)) as {
    endpoint: { id: string };
    secret: string;
  };
  return { id: created.endpoint.id, secret: created.secret };
}

export interface ExampleAppProcess {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** The example app's server as its README starts it, on a port chosen beforehand. */
export async function startExampleApp(env: Record<string, string>): Promise<ExampleAppProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'examples/host-app/server/main.ts'],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the example app did not start in 60 s:\n${printed}`)),
      60_000,
    );
    child.stdout?.on('data', () => {
      const match = /Example app on (http:\/\/\S+)/.exec(printed);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the example app exited with ${code}:\n${printed}`));
    });
  });
  return {
    url,
    output: () => printed,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
