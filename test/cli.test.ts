// The CLI as an operator meets it: ports already taken, a second process on one data folder, a
// lost admin key, and failures that end in one line and an exit code, never a stack trace.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runRecur, serveRecur } from './support/cli.js';
import { freePort } from './support/serve.js';

let dataDir: string;
let env: Record<string, string>;
let taken: Server;
let takenPort: number;

/** One line on stderr, naming what to do, and no stack frame anywhere. */
function expectOneLine(result: CliResult, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(`${result.stdout}${result.stderr}`).not.toMatch(/^\s+at /m);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'recur-cli-'));
  env = { RECUR_DATA_DIR: dataDir, RECUR_EMULATOR_PORT: String(await freePort()) };
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
  takenPort = (taken.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => taken.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

describe('recur serve on a port already in use', () => {
  it('fails in one line naming the HTTP port and PORT, before any admin key is made or shown', async () => {
    const result = await runRecur(['serve'], { ...env, PORT: String(takenPort) });
    expectOneLine(
      result,
      new RegExp(`^recur: port ${takenPort} is already in use .*set PORT to a free port$`),
    );
    expect(result.stdout).not.toContain('Admin API key');

    // Nothing was stored either: the first start that succeeds makes (and shows) the first key.
    const recur = await serveRecur(env);
    await recur.stop();
    expect(recur.output()).toContain('Admin API key (shown once, store it now)');
  }, 300_000);

  it('fails in one line naming the emulator port and RECUR_EMULATOR_PORT', async () => {
    const result = await runRecur(['serve'], { ...env, RECUR_EMULATOR_PORT: String(takenPort) });
    expectOneLine(
      result,
      new RegExp(`^recur: port ${takenPort} is already in use .*set RECUR_EMULATOR_PORT to a free port$`),
    );
  }, 60_000);
});

describe('one data folder, one process, and a way back in', () => {
  it('makes an admin key locally, takes over a stale lock, and refuses a second process in one line', async () => {
    // A lost admin key: `recur api-keys create` makes another, against the database alone.
    const made = await runRecur(['api-keys', 'create', '--role', 'admin', '--name', 'ops'], env);
    expect(made.code, made.stderr).toBe(0);
    const key = /^(rk_\S+)$/m.exec(made.stdout)?.[1];
    expect(key, made.stdout).toBeDefined();
    expectOneLine(await runRecur(['api-keys', 'create', '--role', 'owner'], env), /--role.*admin or service/);

    // A lock left by a process that is gone (killed before it could remove it) is stale.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    await writeFile(
      join(dataDir, 'recur.lock'),
      JSON.stringify({ pid: Number(gone.stdout), command: 'serve' }),
    );

    const recur = await serveRecur(env);
    try {
      const keys = await fetch(`${recur.url}/api/admin/api-keys`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(keys.status).toBe(200);
      expect(JSON.stringify(await keys.json())).toContain('"name":"ops"');

      const owner = new RegExp(
        `^recur: the data folder ${dataDir} is in use by \`recur serve\` \\(pid ${recur.pid}\\)`,
      );
      for (const command of [
        ['demo', '--customers', '10', '--months', '3'],
        ['sync', '--check'],
      ]) {
        expectOneLine(await runRecur(command, env), owner);
      }
      // The server was left alone: it still answers.
      expect((await fetch(`${recur.url}/health`)).status).toBe(200);
    } finally {
      await recur.stop();
    }
    // Stopped, it leaves neither its lock nor a temporary file behind.
    expect((await readdir(dataDir)).filter((f) => f.endsWith('.lock') || f.endsWith('.tmp'))).toEqual([]);
  }, 300_000);
});

describe('a command that fails', () => {
  it('ends in one line and exit code 1, whatever the failure', async () => {
    // A bad setting, and a failure no command foresees (the data folder is a file).
    expectOneLine(await runRecur(['migrate'], { ...env, PORT: 'eighty' }), /^recur: .*PORT/);
    const file = join(dataDir, 'not-a-folder');
    await writeFile(file, '');
    expectOneLine(
      await runRecur(['sync', '--check'], { ...env, RECUR_DATA_DIR: file }),
      /^recur: failed: .*not-a-folder/,
    );
  }, 60_000);
});

describe('recur reseal', () => {
  it('seals with the first listed key and says what to do next', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'recur-reseal-'));
    try {
      const keys = { RECUR_DATA_DIR: folder, RECUR_ENCRYPTION_KEY: `${'c4'.repeat(32)},${'d5'.repeat(32)}` };
      const result = await runRecur(['reseal'], keys);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('customers.email_encrypted: 0 re-sealed');
      expect(result.stdout).toContain('events.payload: 0 re-sealed');
      expect(result.stdout).toMatch(
        /^Every value is sealed with key [0-9a-f]{8}: remove the other keys from RECUR_ENCRYPTION_KEY/m,
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
