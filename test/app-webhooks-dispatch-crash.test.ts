import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/client.js';
import { PiiCipher } from '../src/shared/crypto.js';
import { spawnRecur } from './support/cli.js';
import { openTestDatabase, targets } from './support/db.js';
import { eventually } from './support/wait.js';
import {
  addEndpoint,
  announceChange,
  attempts,
  deliveries,
  newSecret,
  startReceiver,
  verifyWith,
} from './support/webhook-receiver.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** `recur worker` as an operator starts it; its output is kept for a failure's message. */
function startWorker(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawnRecur(['worker'], env);
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, output: () => output };
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

it('delivers at least once and records once when the worker is killed between send and record', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'recur-crash-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const key = randomBytes(32);
  // PostgreSQL is shared with the workers as it is; the embedded database has one owner at a time,
  // so the test writes and reads it only while no worker runs.
  const postgres = targets.databaseUrl ? await openTestDatabase() : null;
  const open = async (): Promise<Database> => {
    if (postgres) return postgres;
    const embedded = await openDatabase({ dataDir: join(dataDir, 'db') });
    await embedded.migrate();
    return embedded;
  };
  const done = async (db: Database) => {
    if (db !== postgres) await db.close();
  };
  if (postgres) cleanups.push(() => postgres.close());

  let worker: ReturnType<typeof startWorker> | null = null;
  const app = await startReceiver((_, index) => {
    if (index > 0) return { status: 200 };
    // The request has left the worker; it dies before it can record the answer.
    worker?.child.kill('SIGKILL');
    return 'hang';
  });
  cleanups.push(() => app.close());
  const secret = newSecret();
  const cipher = new PiiCipher([key]);
  let db = await open();
  await addEndpoint(db.db, cipher, { url: app.url, secret });
  const messageId = await announceChange(db.db);
  await done(db);

  const env = {
    RECUR_DATA_DIR: dataDir,
    RECUR_ENCRYPTION_KEY: key.toString('hex'),
    RECUR_EMULATOR_PORT: '0',
    RECUR_WEBHOOKS_ALLOW_PRIVATE: 'true',
    RECUR_WEBHOOKS_TIMEOUT_SECONDS: '5',
    RECUR_WEBHOOKS_LEASE_SECONDS: '10',
    RECUR_WEBHOOKS_POLL_INTERVAL_MS: '50',
    ...(postgres?.url ? { DATABASE_URL: postgres.url } : {}),
  };
  worker = startWorker(env);
  const first = worker;
  await eventually(async () => expect(app.received, first.output()).toHaveLength(1), 90_000);
  await exited(first.child);
  expect(first.child.signalCode).toBe('SIGKILL');

  worker = startWorker(env);
  const second = worker;
  await eventually(async () => expect(app.received, second.output()).toHaveLength(2), 90_000);
  // A graceful stop waits for the delivery in flight to be recorded.
  second.child.kill('SIGTERM');
  await exited(second.child);

  expect(app.received.map((r) => r.headers['webhook-id'])).toEqual([messageId, messageId]);
  for (const request of app.received) verifyWith(secret, request);
  db = await open();
  expect(await deliveries(db.db)).toMatchObject([{ status: 'succeeded', attempts: 1 }]);
  expect(await attempts(db.db)).toMatchObject([{ succeeded: true, status_code: 200 }]);
  await done(db);
}, 240_000);
