import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from './client.js';

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

    const first = await openDatabase({ dataDir });
    try {
      await first.migrate();
      await first.db.execute(sql`create table kept (note text)`);
      await first.db.execute(sql`insert into kept values ('written before the restart')`);
    } finally {
      await first.close();
    }
    expect(await readdir(dataDir)).toEqual(['pgdata']);

    const second = await openDatabase({ dataDir });
    try {
      expect(await queryRows(second.db, sql`select note from kept`)).toEqual([
        { note: 'written before the restart' },
      ]);
      expect(await queryRows(second.db, sql`show shared_buffers`)).toEqual([{ shared_buffers: '32MB' }]);
    } finally {
      await second.close();
    }
  }, 120_000);

  it('names the directory when it cannot be made', async () => {
    const file = join(dataDir, 'a-file');
    await writeFile(file, '');
    await expect(openDatabase({ dataDir: file })).rejects.toThrow(/a-file/);
  });
});
