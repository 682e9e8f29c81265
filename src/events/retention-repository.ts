import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../db/client.js';

/** Rows deleted per statement: short transactions, so the worker's writes never wait long. */
const BATCH = 1000;

export const eventRetentionRepository = {
  /**
   * Deletes one batch of events that are done with (processed or ignored) and were received before
   * `before`, with their attempts. Failed and dead events stay until someone resolves them.
   */
  async pruneBatch(db: DbOrTx, before: Date): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      db,
      sql`delete from events where id in (
            select id from events
            where status in ('processed', 'ignored') and received_at < ${before.toISOString()}::timestamptz
            limit ${BATCH})
          returning id`,
    );
    return rows.length;
  },

  batchSize: BATCH,
};
