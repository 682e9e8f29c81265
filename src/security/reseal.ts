import type { Db } from '../db/client.js';
import type { PiiCipher } from '../shared/crypto.js';
import { nameIndex } from '../shared/name-index.js';
import { resealRepository as repo } from './reseal-repository.js';
import { SEALED_COLUMNS } from './sealed-columns.js';

export interface ResealReport {
  /** Values re-sealed with the current key, by `table.column`. */
  resealed: Record<string, number>;
  /** Customers whose email look-up hash was recomputed under the current key alone. */
  rehashed: number;
  /** Customers whose name index (prefix hashes) was recomputed, or written for the first time. */
  reindexed: number;
}

/**
 * The second half of rotating RECUR_ENCRYPTION_KEY. With the new key listed first and the old ones
 * after it, every value sealed with an old key is sealed again with the new one, and the emails'
 * look-up hashes are recomputed as the new key alone will compute them; then the old keys can be
 * removed. Safe beside running instances: each write is conditional on the value read, and rows
 * the app writes meanwhile are sealed with the new key already. Running it again finds nothing.
 */
export async function resealWithCurrentKey(db: Db, cipher: PiiCipher): Promise<ResealReport> {
  const prefix = `v1.${cipher.currentKeyId}.`;
  const resealed: Record<string, number> = {};
  for (const column of SEALED_COLUMNS) {
    let count = 0;
    let afterKey = '';
    for (;;) {
      const page = await repo.stale(db, column, prefix, afterKey);
      for (const row of page)
        if (await repo.replace(db, column, row.key, row.sealed, cipher.encrypt(cipher.decrypt(row.sealed))))
          count++;
      if (page.length < repo.pageSize) break;
      afterKey = page.at(-1)!.key;
    }
    resealed[`${column.table}.${column.column}`] = count;
  }
  return {
    resealed,
    rehashed: await rehashEmails(db, cipher),
    reindexed: await reindexNames(db, cipher),
  };
}

/** The name index follows the look-up key like the email hash; a name never indexed gets one. */
async function reindexNames(db: Db, cipher: PiiCipher): Promise<number> {
  const remaining = cipher.currentKeyOnly();
  let reindexed = 0;
  let afterId = '';
  for (;;) {
    const page = await repo.names(db, afterId);
    for (const row of page) {
      const index = nameIndex(remaining, cipher.decrypt(row.name_encrypted));
      if (JSON.stringify(index) === JSON.stringify(row.name_prefixes)) continue;
      if (await repo.setNameIndex(db, row.id, row.name_encrypted, index)) reindexed++;
    }
    if (page.length < repo.pageSize) return reindexed;
    afterId = page.at(-1)!.id;
  }
}

async function rehashEmails(db: Db, cipher: PiiCipher): Promise<number> {
  const remaining = cipher.currentKeyOnly();
  let rehashed = 0;
  let afterId = '';
  for (;;) {
    const page = await repo.emails(db, afterId);
    for (const row of page) {
      const hash = remaining.emailHash(cipher.decrypt(row.email_encrypted));
      if (hash === row.email_hash) continue;
      await repo.setEmailHash(db, row.id, row.email_hash, hash);
      rehashed++;
    }
    if (page.length < repo.pageSize) return rehashed;
    afterId = page.at(-1)!.id;
  }
}
