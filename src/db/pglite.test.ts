import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from './client.js';
import { MIGRATIONS_FOLDER } from './migrations-folder.js';
import { writeTemplate } from './pglite-template.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'recur-pglite-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe('PGlite on disk', () => {
  it('is made on first use, keeps its data across a restart, and runs with the smaller buffer cache', async () => {
    // What an interrupted first start leaves behind: a half-made directory beside the final place.
    await mkdir(join(dataDir, 'pgdata.new'));
    await writeFile(join(dataDir, 'pgdata.new', 'PG_VERSION'), '');

    const first = await openDatabase({ dataDir, pgliteTemplateDir: join(dataDir, 'no-template') });
    try {
      await first.migrate();
      await first.db.execute(sql`create table kept (note text)`);
      await first.db.execute(sql`insert into kept values ('written before the restart')`);
    } finally {
      await first.close();
    }
    expect(await readdir(dataDir)).toEqual(['pgdata']);

    const second = await openDatabase({ dataDir, pgliteTemplateDir: join(dataDir, 'no-template') });
    try {
      expect(await queryRows(second.db, sql`select note from kept`)).toEqual([
        { note: 'written before the restart' },
      ]);
      expect(await queryRows(second.db, sql`show shared_buffers`)).toEqual([{ shared_buffers: '32MB' }]);
    } finally {
      await second.close();
    }
  }, 120_000);

  it('is copied from the template made for these migrations, and never from one made for others', async () => {
    const templates = join(dataDir, 'templates');
    const template = await writeTemplate(templates);
    const journal = JSON.parse(await readFile(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
      entries: unknown[];
    };
    const applied = sql`select count(*)::int as n from drizzle.__drizzle_migrations`;

    const fromTemplate = await openDatabase({ dataDir: join(dataDir, 'a'), pgliteTemplateDir: templates });
    try {
      // Every migration is there before this database has run any.
      expect(await queryRows(fromTemplate.db, applied)).toEqual([{ n: journal.entries.length }]);
      await fromTemplate.migrate();
      await fromTemplate.db.execute(sql`insert into settings (key, value) values ('kept', '1'::jsonb)`);
    } finally {
      await fromTemplate.close();
    }
    const reopened = await openDatabase({ dataDir: join(dataDir, 'a'), pgliteTemplateDir: templates });
    try {
      expect(await queryRows(reopened.db, sql`select key from settings`)).toEqual([{ key: 'kept' }]);
    } finally {
      await reopened.close();
    }
    // Each copy is its own database: the template is as it was made.
    const another = await openDatabase({ dataDir: join(dataDir, 'c'), pgliteTemplateDir: templates });
    try {
      expect(await queryRows(another.db, sql`select key from settings`)).toEqual([]);
    } finally {
      await another.close();
    }

    // A template under another key (another PGlite, other migrations) is left alone: initdb runs.
    await rename(template, join(templates, 'pgdata-0000000000000000'));
    const fresh = await openDatabase({ dataDir: join(dataDir, 'b'), pgliteTemplateDir: templates });
    try {
      expect(
        await queryRows(fresh.db, sql`select count(*)::int as n from pg_namespace where nspname = 'drizzle'`),
      ).toEqual([{ n: 0 }]);
    } finally {
      await fresh.close();
    }
  }, 120_000);

  it('names the directory when it cannot be made', async () => {
    const file = join(dataDir, 'a-file');
    await writeFile(file, '');
    await expect(openDatabase({ dataDir: file })).rejects.toThrow(/a-file/);
  });
});
