import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { MIGRATIONS_FOLDER } from './migrations-folder.js';

/**
 * A new embedded database starts from a template: a data directory made by PGlite's initdb, with
 * every migration applied, copied into place. The copy takes a fraction of a second where initdb in
 * WebAssembly takes seconds of CPU. `npm start` makes it as it builds the server
 * (`scripts/build-server.mjs`); without one, a new database runs initdb as before.
 *
 * The directory is named by a key of what it holds (PGlite's version and the migrations), so a
 * template made for another version of either is never copied.
 */
export const DEFAULT_TEMPLATE_DIR = fileURLToPath(new URL('../../dist/pglite-template/', import.meta.url));

function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** The template's directory for this PGlite and these migrations, in `dir`. */
export function templatePath(dir: string = DEFAULT_TEMPLATE_DIR): string {
  const hash = createHash('sha256').update(`pglite ${pgliteVersion()}\n`);
  for (const name of readdirSync(MIGRATIONS_FOLDER)
    .filter((file) => file.endsWith('.sql'))
    .sort()) {
    hash.update(`${name}\n`).update(readFileSync(join(MIGRATIONS_FOLDER, name)));
  }
  hash.update(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json')));
  return join(dir, `pgdata-${hash.digest('hex').slice(0, 16)}`);
}

/** The path of the template in `dir` that matches this code, if one was made. */
export function existingTemplate(dir: string = DEFAULT_TEMPLATE_DIR): string | undefined {
  const file = templatePath(dir);
  return existsSync(file) ? file : undefined;
}

/**
 * Makes the template in `dir` unless it is there already, and removes the ones made for other
 * versions. Made beside its final place and renamed into it once complete, so that a build that
 * stops half way, or two at once, never leave a half-made template. Returns its path.
 */
export async function writeTemplate(dir: string = DEFAULT_TEMPLATE_DIR): Promise<string> {
  const target = templatePath(dir);
  if (existsSync(target)) return target;
  mkdirSync(dir, { recursive: true });
  for (const old of readdirSync(dir).filter((name) => name.startsWith('pgdata-'))) {
    rmSync(join(dir, old), { recursive: true, force: true });
  }
  const staging = join(dir, `.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const client = new PGlite(staging);
  try {
    await client.waitReady;
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.close();
  }
  try {
    renameSync(staging, target);
  } catch (error) {
    // Another build made it first.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(target)) throw error;
  }
  return target;
}
