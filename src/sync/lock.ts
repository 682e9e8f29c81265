import type pg from 'pg';
import type { Database } from '../db/client.js';

/** Held for a whole run; `lost` fires when the session that holds it goes away under the run. */
export interface HeldLock {
  lost: AbortSignal;
  release(): Promise<void>;
}

/** "Only one sync at a time, cluster-wide." */
export interface SyncLock {
  tryAcquire(): Promise<HeldLock | null>;
}

const LOCK_NAME = 'recur.sync';

/**
 * PostgreSQL: a session advisory lock on one client taken out of the pool for the run. Transaction
 * locks would not do (a run spans many transactions), and a pooled session could hand the lock to
 * whichever query borrows it next. If the connection dies the server drops the lock, so a crashed
 * run never blocks the next one.
 */
class AdvisoryLock implements SyncLock {
  constructor(private readonly pool: pg.Pool) {}

  async tryAcquire(): Promise<HeldLock | null> {
    const client = await this.pool.connect();
    const lost = new AbortController();
    const onError = (error: Error) => lost.abort(error);
    client.on('error', onError);
    let locked = false;
    try {
      const result = await client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock(hashtextextended($1, 0)) as locked',
        [LOCK_NAME],
      );
      locked = result.rows[0]?.locked === true;
    } catch (error) {
      client.off('error', onError);
      client.release(error as Error);
      throw error;
    }
    if (!locked) {
      client.off('error', onError);
      client.release();
      return null;
    }
    return {
      lost: lost.signal,
      async release() {
        client.off('error', onError);
        try {
          await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [LOCK_NAME]);
          client.release();
        } catch (error) {
          // Destroying the connection frees the lock on the server just as well.
          client.release(error as Error);
        }
      },
    };
  }
}

/** PGlite belongs to one process, so that process is the whole cluster: an in-memory flag suffices. */
const heldPglite = new WeakSet<object>();

class ProcessLock implements SyncLock {
  constructor(private readonly owner: object) {}

  async tryAcquire(): Promise<HeldLock | null> {
    if (heldPglite.has(this.owner)) return null;
    heldPglite.add(this.owner);
    return {
      lost: new AbortController().signal,
      release: async () => {
        heldPglite.delete(this.owner);
      },
    };
  }
}

export function createSyncLock(database: Database): SyncLock {
  if (database.kind === 'pglite') return new ProcessLock(database.db);
  const pool = (database.db as unknown as { $client: pg.Pool }).$client;
  return new AdvisoryLock(pool);
}
