import type { DbOrTx } from '../db/client.js';
import { GENESIS_HASH, rowHash } from './chain.js';
import { type AuditRow, auditRepository as repo } from './repository.js';

export type VerifyResult =
  | { ok: true; rows: number; head: string }
  | { ok: false; rows: number; bad: { seq: number; id: string; reason: string } };

const BATCH = 1000;

/**
 * Walks the chain from its start (or from the anchor a retention prune left) to its head: each
 * row must follow the hash of the one before it and hash to what it holds. The first row that does
 * not is named: an altered row fails its own hash (or, if its hash was recomputed, the next row's
 * link); a removed row breaks the link of the row after it.
 */
export async function verifyAuditChain(db: DbOrTx): Promise<VerifyResult> {
  const anchor = await repo.anchor(db);
  let expected = anchor?.hash ?? GENESIS_HASH;
  let afterSeq = anchor?.seq ?? 0;
  let rows = 0;
  const bad = (row: AuditRow, reason: string): VerifyResult => ({
    ok: false,
    rows,
    bad: { seq: row.seq, id: row.id, reason },
  });
  for (;;) {
    const batch = await repo.batchFrom(db, afterSeq, BATCH);
    for (const row of batch) {
      if (row.prevHash !== expected)
        return bad(row, 'does not follow the row before it: a row before it was removed or altered');
      const { seq: _seq, hash, ...content } = row;
      if (rowHash(content) !== hash) return bad(row, 'its content does not match its hash: it was altered');
      expected = hash;
      afterSeq = row.seq;
      rows++;
    }
    if (batch.length < BATCH) return { ok: true, rows, head: expected };
  }
}
