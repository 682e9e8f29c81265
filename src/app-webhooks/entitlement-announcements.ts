import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { entitlementRepository } from '../entitlements/repository.js';
import { entitlementsFrom, usageOf } from '../entitlements/service.js';
import type { AppEventData } from './catalog.js';
import { userSubject } from './outbox.js';

export type EntitlementSet = AppEventData<'entitlements.updated'>['entitlements'];
export type EntitlementChanges = AppEventData<'entitlements.updated'>['changes'];

/** The user's set as GET /api/users/{id}/entitlements answers it at `now`, read in the caller's transaction. */
export async function entitlementSetOf(
  tx: DbOrTx,
  userId: string,
  now: Date,
  graceDays: number,
): Promise<EntitlementSet> {
  const candidates = await entitlementRepository.candidatesIn(tx, userId);
  const set = entitlementsFrom(candidates, now, graceDays);
  return { ...set, usage: await usageOf(tx, userId, undefined, candidates, set.sources, now, graceDays) };
}

/**
 * The set the host app last heard for the user: what a new message's changes are counted from.
 * Access can end by time alone (a cancellation at period end, the end of a grace period) before
 * the event that records it arrives; counted from the last message, that event still says so.
 */
export async function lastAnnouncedSet(tx: DbOrTx, userId: string): Promise<EntitlementSet | null> {
  const [row] = await queryRows<{ body: string }>(
    tx,
    sql`select body from app_webhook_messages
        where subject = ${userSubject(userId)} and type = 'entitlements.updated'
        order by sequence desc limit 1`,
  );
  if (!row) return null;
  const body = JSON.parse(row.body) as { data: AppEventData<'entitlements.updated'> };
  return body.data.entitlements;
}

/** Benefit keys added, removed and given another value; each list sorted. */
export function changesBetween(before: EntitlementSet, after: EntitlementSet): EntitlementChanges {
  const keys = (set: EntitlementSet) => Object.keys(set.benefits);
  return {
    added: keys(after)
      .filter((k) => !(k in before.benefits))
      .sort(),
    removed: keys(before)
      .filter((k) => !(k in after.benefits))
      .sort(),
    changed: keys(after)
      .filter((k) => k in before.benefits && before.benefits[k] !== after.benefits[k])
      .sort(),
  };
}

/** Equal benefits (in any key order) and the same granting subscriptions with the same access. */
export function sameSet(a: EntitlementSet, b: EntitlementSet): boolean {
  const changes = changesBetween(a, b);
  if (changes.added.length || changes.removed.length || changes.changed.length) return false;
  // Field by field: a set read back from a stored message has its keys in jsonb's order.
  const rows = (set: EntitlementSet) =>
    JSON.stringify(
      set.subscriptions.map((s) => [s.id, s.plan_id, s.status, s.stripe_status, s.access_until]),
    );
  const bought = (set: EntitlementSet) => JSON.stringify((set.purchases ?? []).map((p) => p.id));
  return rows(a) === rows(b) && bought(a) === bought(b);
}
