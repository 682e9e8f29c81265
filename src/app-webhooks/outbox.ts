import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { newId } from '../shared/ids.js';
import { APP_EVENT_SCHEMA_VERSION, type AppEventData, type AppEventType } from './catalog.js';

/** The subject of the messages about one of the host app's users (its entitlements, its customer). */
export const userSubject = (userId: string) => `user:${userId}`;

export interface Announcement<T extends AppEventType> {
  type: T;
  /** What the message is about (`user:…`, `subscription:sub_…`): the unit of the sequence number. */
  subject: string;
  /** One message per cause: the same key again (a replayed event) announces nothing. */
  dedupeKey: string;
  /** When the change happened. */
  at: Date;
  data: AppEventData<T>;
  /** Send to this endpoint only, enabled or not (the console's test button). */
  endpointId?: string;
}

/**
 * Writes a message and one delivery per endpoint that wants it, in the caller's transaction, in
 * one statement: a rolled-back change announces nothing, a committed one is always delivered.
 * With no endpoint that wants the type, or a cause already announced, nothing is written and no
 * sequence number is used (two transactions racing on one cause may spend one: numbers only grow).
 * Returns the message id, or null when nothing was written.
 */
export async function announce<T extends AppEventType>(
  tx: DbOrTx,
  message: Announcement<T>,
): Promise<string | null> {
  const id = newId('msg');
  const body = JSON.stringify({
    type: message.type,
    version: APP_EVENT_SCHEMA_VERSION,
    timestamp: message.at.toISOString(),
    subject: message.subject,
    sequence: 0,
    data: message.data,
  });
  const targets = message.endpointId
    ? sql`select id from app_webhook_endpoints where id = ${message.endpointId}`
    : sql`select id from app_webhook_endpoints
          where enabled and (event_types is null or ${message.type} = any(event_types))`;
  const rows = await queryRows<{ message_id: string }>(
    tx,
    sql`with targets as (${targets}),
      seq as (
        insert into app_webhook_sequences (subject, sequence)
        select ${message.subject}, 1
        where exists (select 1 from targets)
          and not exists (select 1 from app_webhook_messages where dedupe_key = ${message.dedupeKey})
        on conflict (subject) do update set sequence = app_webhook_sequences.sequence + 1
        returning sequence
      ),
      msg as (
        insert into app_webhook_messages (id, type, subject, sequence, dedupe_key, body, created_at)
        select ${id}, ${message.type}, ${message.subject}, seq.sequence, ${message.dedupeKey},
               jsonb_set(${body}::jsonb, '{sequence}', to_jsonb(seq.sequence))::text, ${message.at}
        from seq
        on conflict (dedupe_key) do nothing
        returning id
      )
      insert into app_webhook_deliveries (id, message_id, endpoint_id)
      select 'dlv_' || md5(msg.id || targets.id), msg.id, targets.id from msg, targets
      returning message_id`,
  );
  return rows[0]?.message_id ?? null;
}

/**
 * The last sequence number given to `subject`, 0 when none. Read before a state it is returned with:
 * a message numbered above it may describe a newer state, one at or below it never does.
 */
export async function lastSequence(db: DbOrTx, subject: string): Promise<number> {
  const [row] = await queryRows<{ sequence: string | number }>(
    db,
    sql`select sequence from app_webhook_sequences where subject = ${subject}`,
  );
  return row ? Number(row.sequence) : 0;
}
