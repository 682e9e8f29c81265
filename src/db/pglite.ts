import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { DEFAULT_TEMPLATE_DIR, existingTemplate } from './pglite-template.js';

/**
 * PGlite's own start parameters, with a smaller buffer cache. PostgreSQL's 128 MB default is
 * allocated and touched in the WebAssembly heap as the database starts (about 1 MB of resident
 * memory per MB of buffers), while the embedded database's working set is a few tens of MB and the
 * operating system's page cache keeps the files it reads anyway.
 */
export const PGLITE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  '-c',
  'shared_buffers=32MB',
];

/**
 * Runs in a child process: creating a data directory runs initdb in a second PGlite instance,
 * which snapshots its whole WebAssembly heap; done here, those hundreds of MB leave with the child
 * instead of staying in the server's heap until a garbage collection that may never come.
 */
const CREATE_DATA_DIRECTORY = `
const [pgliteUrl, dataDir, startParams] = process.argv.slice(1);
const { PGlite } = await import(pgliteUrl);
const db = new PGlite(dataDir, { startParams: JSON.parse(startParams) });
await db.waitReady;
await db.close();
`;

/**
 * Opens PGlite on `pgdata`, a directory on disk made on first use: from the template in
 * `templateDir` when one matches this code (see pglite-template.ts), otherwise with initdb.
 */
export async function openPgliteOnDisk(
  pgdata: string,
  templateDir: string = DEFAULT_TEMPLATE_DIR,
): Promise<PGlite> {
  if (!existsSync(pgdata)) {
    const template = existingTemplate(templateDir);
    await madeBesideThenMoved(pgdata, (staging) =>
      template ? cpSync(template, staging, { recursive: true }) : runInitdb(staging, pgdata),
    );
  }
  const client = new PGlite(pgdata, { startParams: [...PGLITE_START_PARAMS] });
  await client.waitReady;
  return client;
}

/** An in-memory database, for tests. */
export async function openPgliteInMemory(): Promise<PGlite> {
  const client = new PGlite({ startParams: [...PGLITE_START_PARAMS] });
  await client.waitReady;
  return client;
}

/**
 * Made beside its final place and renamed into it once complete, so that an interrupted first
 * start leaves no half-made directory that would later pass for a database.
 */
async function madeBesideThenMoved(
  pgdata: string,
  make: (staging: string) => void | Promise<void>,
): Promise<void> {
  const staging = `${pgdata}.new`;
  rmSync(staging, { recursive: true, force: true });
  try {
    await make(staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  renameSync(staging, pgdata);
}

/** initdb into `staging`, in a child process (see CREATE_DATA_DIRECTORY). */
async function runInitdb(staging: string, pgdata: string): Promise<void> {
  mkdirSync(staging, { recursive: true });
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      CREATE_DATA_DIRECTORY,
      '--',
      import.meta.resolve('@electric-sql/pglite'),
      staging,
      JSON.stringify(PGLITE_START_PARAMS),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0)
    throw new Error(`creating the database in ${pgdata} failed (exit ${code}): ${stderr.trim()}`);
}
