// What the embedded default loads: each module costs CPU at every start and memory for the life of
// the process, so a library only some configurations use is loaded only when one does.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/serve.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recur-modules-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs a `recur` command with a loader hook that writes down every module Node loads. */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const log = join(dir, 'modules.txt');
  const hooks = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }`;
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      `data:text/javascript,${encodeURIComponent(register)}`,
      'src/cli.ts',
      ...args,
    ],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        LOG_LEVEL: 'warn',
        RECUR_DATA_DIR: join(dir, 'data'),
        RECUR_EMULATOR_PORT: String(await freePort()),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise((resolve) => child.once('close', resolve));
  expect(code, stderr).toBe(0);
  return (await readFile(log, 'utf8')).trim().split('\n');
}

describe('the embedded default', () => {
  it('loads no broker, Redis or mail client, and nothing of the emulator’s conformance tooling', async () => {
    const loaded = await modulesLoadedBy(['migrate']);
    // The command did build the services: the database driver and the app were loaded.
    expect(loaded.some((url) => url.includes('/node_modules/@electric-sql/pglite/'))).toBe(true);
    expect(loaded.some((url) => url.endsWith('/src/services.ts'))).toBe(true);
    for (const unused of [
      'ioredis',
      'amqplib',
      'nodemailer',
      'playwright-core',
      'typescript',
      'typescript-api',
    ])
      expect(loaded.filter((url) => url.includes(`/node_modules/${unused}/`))).toEqual([]);
    expect(loaded.filter((url) => url.includes('/emulator/conformance/'))).toEqual([]);
  }, 120_000);
});
