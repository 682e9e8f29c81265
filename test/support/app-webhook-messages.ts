import { sql } from 'drizzle-orm';
import { beforeEach, expect } from 'vitest';
import { type AppEvent, type AppEventType, appEventEnvelope } from '../../src/app-webhooks/catalog.js';
import { queryRows } from '../../src/db/client.js';
import { newId } from '../../src/shared/ids.js';
import { bearer, type TestApp } from './app.js';
import { type BillingHarness, billingTestApp } from './billing-app.js';
import { settled } from './wait.js';

/** The billing harness with, before each test, an endpoint that takes every message. */
export function emitTestApp(env?: () => Record<string, string>): BillingHarness {
  const h = billingTestApp(env);
  beforeEach(async () => {
    await endpointForAll(h.t);
  });
  return h;
}

/** An enabled endpoint that takes every type, written as the endpoints API would. */
export async function endpointForAll(t: TestApp): Promise<string> {
  const id = newId('we');
  await t.database.db.execute(
    sql`insert into app_webhook_endpoints (id, url, secret_encrypted)
        values (${id}, 'http://127.0.0.1:9/hook', ${t.services.cipher.encrypt('whsec_dGVzdA==')})`,
  );
  return id;
}

export interface StoredMessage {
  type: AppEventType;
  subject: string;
  sequence: number;
  dedupeKey: string;
  event: AppEvent;
}

/** Every message written, oldest first, each checked against its type's envelope schema. */
export async function storedMessages(t: TestApp): Promise<StoredMessage[]> {
  const rows = await queryRows<{
    type: AppEventType;
    subject: string;
    sequence: string;
    dedupe_key: string;
    body: string;
  }>(
    t.database.db,
    sql`select type, subject, sequence, dedupe_key, body from app_webhook_messages order by subject, sequence`,
  );
  return rows.map((row) => {
    const event = appEventEnvelope(row.type).parse(JSON.parse(row.body)) as AppEvent;
    expect(event.subject).toBe(row.subject);
    expect(event.sequence).toBe(Number(row.sequence));
    return {
      type: row.type,
      subject: row.subject,
      sequence: Number(row.sequence),
      dedupeKey: row.dedupe_key,
      event,
    };
  });
}

export function ofType<T extends AppEventType>(messages: StoredMessage[], type: T): Array<AppEvent<T>> {
  return messages.filter((m) => m.type === type).map((m) => m.event as AppEvent<T>);
}

/** Sequences run 1, 2, 3 … within each subject. */
export function expectSequencesPerSubject(messages: StoredMessage[]): void {
  const bySubject = new Map<string, number[]>();
  for (const m of messages) bySubject.set(m.subject, [...(bySubject.get(m.subject) ?? []), m.sequence]);
  for (const [subject, sequences] of bySubject)
    expect(sequences, subject).toEqual(sequences.map((_, i) => i + 1));
}

/**
 * What GET /api/users/{id}/entitlements answers, in the message's shape (no user_id, as_of or
 * sequence). Its sequence is checked here: the last message's about the user, 0 before any, so a
 * cache that holds the answer knows which messages it already includes.
 */
export async function entitlementsAnswer(t: TestApp, userId: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/users/${userId}/entitlements`,
    headers: bearer(t.adminKey),
  });
  expect(res.statusCode, res.body).toBe(200);
  const { user_id: _user, organization_id: _context, as_of: _asOf, sequence, ...set } = res.json();
  const [last] = await queryRows<{ sequence: number }>(
    t.database.db,
    sql`select coalesce(max(sequence), 0)::int as sequence from app_webhook_messages
        where subject = ${`user:${userId}`}`,
  );
  expect(sequence, 'the answer’s sequence').toBe(last!.sequence);
  return set;
}

export async function subscriptionAnswer(t: TestApp, id: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/subscriptions/${id}`,
    headers: bearer(t.adminKey),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Record<string, unknown>;
}

/** Through Recur's API, as an admin, then everything it set moving is applied. */
export async function cancelAtPeriodEnd(t: TestApp, subscriptionId: string): Promise<void> {
  const cancel = await t.app.inject({
    method: 'POST',
    url: `/api/subscriptions/${subscriptionId}/cancel`,
    headers: bearer(t.adminKey),
    payload: { at_period_end: true },
  });
  expect(cancel.statusCode, cancel.body).toBe(200);
  await settled(t);
}
