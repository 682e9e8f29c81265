import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { APP_EVENT_TYPES, type AppEventType } from './catalog.js';

/**
 * The message types some enabled endpoint takes, read once per transaction: a batch of events
 * shares one answer, and with no endpoint at all a write costs this one query and nothing else.
 */
const byTransaction = new WeakMap<object, Promise<ReadonlySet<AppEventType>>>();

export function wantedTypes(tx: DbOrTx): Promise<ReadonlySet<AppEventType>> {
  // Outside a transaction each statement stands alone: nothing is kept.
  if (!(tx instanceof PgTransaction)) return readWantedTypes(tx);
  let wanted = byTransaction.get(tx);
  if (!wanted) {
    wanted = readWantedTypes(tx);
    byTransaction.set(tx, wanted);
  }
  return wanted;
}

async function readWantedTypes(tx: DbOrTx): Promise<ReadonlySet<AppEventType>> {
  const rows = await queryRows<{ event_types: string[] | null }>(
    tx,
    sql`select event_types from app_webhook_endpoints where enabled`,
  );
  if (rows.some((r) => r.event_types === null)) return new Set(APP_EVENT_TYPES);
  const known = new Set<string>(APP_EVENT_TYPES);
  return new Set(rows.flatMap((r) => r.event_types!.filter((t): t is AppEventType => known.has(t))));
}
