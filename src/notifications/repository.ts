import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import { customers, type NotificationKind, notifications } from '../db/schema/index.js';
import { newId } from '../shared/ids.js';

export type NotificationRow = typeof notifications.$inferSelect;

export interface NewNotification {
  customerId: string;
  kind: NotificationKind;
  dedupeKey: string;
  data: Record<string, unknown>;
}

/** A claimed notification with what sending it needs of its customer (still encrypted). */
export interface ClaimedNotification extends NotificationRow {
  recipient: { emailEncrypted: string | null; nameEncrypted: string | null } | null;
}

export const notificationRepository = {
  /** Adds a notification unless one with its dedupe key exists; true when it was added. */
  async enqueue(db: DbOrTx, notification: NewNotification): Promise<boolean> {
    const added = await db
      .insert(notifications)
      .values({ id: newId('ntf'), ...notification })
      .onConflictDoNothing({ target: notifications.dedupeKey })
      .returning({ id: notifications.id });
    return added.length > 0;
  },

  /** Whether `customerId` was sent a notice of any of `kinds` about `dataKey: value`: one query. */
  async exists(
    db: DbOrTx,
    customerId: string,
    kinds: NotificationKind[],
    dataKey: string,
    value: string,
  ): Promise<boolean> {
    const [row] = await notificationRepository.existsQuery(db, customerId, kinds, dataKey, value);
    return row !== undefined;
  },

  /** `exists`'s query: through the customer's own notices (an index), never all of them. */
  existsQuery(db: DbOrTx, customerId: string, kinds: NotificationKind[], dataKey: string, value: string) {
    return db
      .select({ id: notifications.id })
      .from(notifications)
      .where(
        and(
          eq(notifications.customerId, customerId),
          inArray(notifications.kind, kinds),
          sql`${notifications.data} ->> ${dataKey} = ${value}`,
        ),
      )
      .limit(1);
  },

  /**
   * Takes up to `limit` due notifications for this sender: each is leased (its next attempt moved to
   * `leaseUntil`) in the claiming transaction, so another dispatcher skips it while it is sent, and a
   * dispatcher that dies mid-send leaves it to be retried once the lease ends.
   */
  async claimDue(db: Db, limit: number, leaseUntil: Date): Promise<ClaimedNotification[]> {
    return db.transaction(async (tx) => {
      const due = await tx
        .select({ id: notifications.id })
        .from(notifications)
        .where(and(eq(notifications.status, 'pending'), lte(notifications.nextAttemptAt, new Date())))
        .orderBy(asc(notifications.nextAttemptAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      if (due.length === 0) return [];
      const ids = due.map((r) => r.id);
      await tx
        .update(notifications)
        .set({ nextAttemptAt: leaseUntil, attempts: sql`${notifications.attempts} + 1` })
        .where(inArray(notifications.id, ids));
      const rows = await tx
        .select({
          notification: notifications,
          emailEncrypted: customers.emailEncrypted,
          nameEncrypted: customers.nameEncrypted,
          customerId: customers.id,
        })
        .from(notifications)
        .leftJoin(customers, eq(customers.id, notifications.customerId))
        .where(inArray(notifications.id, ids))
        .orderBy(asc(notifications.createdAt));
      return rows.map((r) => ({
        ...r.notification,
        recipient: r.customerId ? { emailEncrypted: r.emailEncrypted, nameEncrypted: r.nameEncrypted } : null,
      }));
    });
  },

  async markSent(db: Db, id: string): Promise<void> {
    await db
      .update(notifications)
      .set({ status: 'sent', sentAt: new Date(), lastError: null })
      .where(eq(notifications.id, id));
  },

  /** A failed attempt: tried again at `retryAt`, or given up (`failed`) when there is none. */
  async markFailed(db: Db, id: string, error: string, retryAt: Date | null): Promise<void> {
    await db
      .update(notifications)
      .set({
        lastError: error.slice(0, 1000),
        ...(retryAt ? { nextAttemptAt: retryAt } : { status: 'failed' as const }),
      })
      .where(eq(notifications.id, id));
  },
};
