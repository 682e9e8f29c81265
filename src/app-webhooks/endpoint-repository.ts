import { and, asc, desc, eq, gte, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import {
  type AppWebhookDeliveryStatus,
  appWebhookAttempts,
  appWebhookDeliveries,
  appWebhookEndpoints,
  appWebhookMessages,
} from '../db/schema/index.js';

export type EndpointRow = typeof appWebhookEndpoints.$inferSelect;
export type EndpointChanges = Partial<
  Pick<EndpointRow, 'url' | 'description' | 'eventTypes' | 'enabled' | 'disabledReason' | 'failingSince'>
>;

/** A delivery as the console lists it: the message's type and subject, and the last answer's status. */
export interface DeliveryRow {
  id: string;
  endpointId: string;
  messageId: string;
  type: string;
  subject: string;
  sequence: number;
  status: AppWebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  lastStatusCode: number | null;
}

export type AttemptRow = typeof appWebhookAttempts.$inferSelect;

const lastStatusCode = sql<number | null>`(
  select ${appWebhookAttempts.statusCode} from ${appWebhookAttempts}
  where ${appWebhookAttempts.deliveryId} = ${appWebhookDeliveries.id}
  order by ${appWebhookAttempts.attemptedAt} desc, ${appWebhookAttempts.id} desc limit 1
)`.mapWith(Number);

const deliveryColumns = {
  id: appWebhookDeliveries.id,
  endpointId: appWebhookDeliveries.endpointId,
  messageId: appWebhookDeliveries.messageId,
  type: appWebhookMessages.type,
  subject: appWebhookMessages.subject,
  sequence: appWebhookMessages.sequence,
  status: appWebhookDeliveries.status,
  attempts: appWebhookDeliveries.attempts,
  nextAttemptAt: appWebhookDeliveries.nextAttemptAt,
  lastAttemptAt: appWebhookDeliveries.lastAttemptAt,
  deliveredAt: appWebhookDeliveries.deliveredAt,
  createdAt: appWebhookDeliveries.createdAt,
  lastStatusCode,
};

/**
 * What `resend` writes: due now. Its attempts so far stay counted (the console lists each), so a
 * failure after a resend is retried as its age allows: a delivery first tried more than three days
 * ago gets this one attempt, a younger one its remaining retries.
 */
const PENDING_AGAIN = {
  status: 'pending' as const,
  nextAttemptAt: sql`now()`,
  deliveredAt: null,
};

export const endpointRepository = {
  async insert(db: DbOrTx, row: typeof appWebhookEndpoints.$inferInsert): Promise<EndpointRow> {
    const [inserted] = await db.insert(appWebhookEndpoints).values(row).returning();
    return inserted!;
  },

  async list(db: DbOrTx): Promise<EndpointRow[]> {
    return db.select().from(appWebhookEndpoints).orderBy(desc(appWebhookEndpoints.createdAt));
  },

  async find(db: DbOrTx, id: string): Promise<EndpointRow | undefined> {
    const [row] = await db.select().from(appWebhookEndpoints).where(eq(appWebhookEndpoints.id, id));
    return row;
  },

  async update(db: DbOrTx, id: string, changes: EndpointChanges): Promise<EndpointRow | undefined> {
    const [row] = await db
      .update(appWebhookEndpoints)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(appWebhookEndpoints.id, id))
      .returning();
    return row;
  },

  /** Its deliveries and their attempts go with it; the messages stay (other endpoints share them). */
  async delete(db: DbOrTx, id: string): Promise<EndpointRow | undefined> {
    const [row] = await db.delete(appWebhookEndpoints).where(eq(appWebhookEndpoints.id, id)).returning();
    return row;
  },

  /** Newest first, `limit + 1` rows so the caller knows whether a next page exists. */
  async deliveries(
    db: DbOrTx,
    endpointId: string,
    filter: { status?: AppWebhookDeliveryStatus },
    page: { limit: number; before?: { at: Date; id: string } },
  ): Promise<DeliveryRow[]> {
    const before = page.before;
    return db
      .select(deliveryColumns)
      .from(appWebhookDeliveries)
      .innerJoin(appWebhookMessages, eq(appWebhookMessages.id, appWebhookDeliveries.messageId))
      .where(
        and(
          eq(appWebhookDeliveries.endpointId, endpointId),
          filter.status ? eq(appWebhookDeliveries.status, filter.status) : undefined,
          before
            ? or(
                lt(appWebhookDeliveries.createdAt, before.at),
                and(eq(appWebhookDeliveries.createdAt, before.at), lt(appWebhookDeliveries.id, before.id)),
              )
            : undefined,
        ),
      )
      .orderBy(desc(appWebhookDeliveries.createdAt), desc(appWebhookDeliveries.id))
      .limit(page.limit + 1);
  },

  async delivery(db: DbOrTx, id: string): Promise<(DeliveryRow & { body: string }) | undefined> {
    const [row] = await db
      .select({ ...deliveryColumns, body: appWebhookMessages.body })
      .from(appWebhookDeliveries)
      .innerJoin(appWebhookMessages, eq(appWebhookMessages.id, appWebhookDeliveries.messageId))
      .where(eq(appWebhookDeliveries.id, id));
    return row;
  },

  async attempts(db: DbOrTx, deliveryId: string): Promise<AttemptRow[]> {
    return db
      .select()
      .from(appWebhookAttempts)
      .where(eq(appWebhookAttempts.deliveryId, deliveryId))
      .orderBy(asc(appWebhookAttempts.attemptedAt), asc(appWebhookAttempts.id));
  },

  /** The delivery id the outbox gave a message's delivery to one endpoint. */
  async deliveryIdOf(db: DbOrTx, messageId: string, endpointId: string): Promise<string | undefined> {
    const [row] = await db
      .select({ id: appWebhookDeliveries.id })
      .from(appWebhookDeliveries)
      .where(
        and(eq(appWebhookDeliveries.messageId, messageId), eq(appWebhookDeliveries.endpointId, endpointId)),
      );
    return row?.id;
  },

  /** Whatever its status, the delivery is due again now; returns whether it exists. */
  async resend(db: DbOrTx, deliveryId: string): Promise<boolean> {
    const rows = await db
      .update(appWebhookDeliveries)
      .set(PENDING_AGAIN)
      .where(eq(appWebhookDeliveries.id, deliveryId))
      .returning({ id: appWebhookDeliveries.id });
    return rows.length > 0;
  },

  /** Every failed delivery of the endpoint created at or after `since` is due again; returns how many. */
  async resendFailed(db: DbOrTx, endpointId: string, since: Date): Promise<number> {
    const rows = await db
      .update(appWebhookDeliveries)
      .set(PENDING_AGAIN)
      .where(
        and(
          eq(appWebhookDeliveries.endpointId, endpointId),
          eq(appWebhookDeliveries.status, 'failed'),
          gte(appWebhookDeliveries.createdAt, since),
        ),
      )
      .returning({ id: appWebhookDeliveries.id });
    return rows.length;
  },

  /**
   * The new secret signs from now on; the old one keeps signing beside it for `overlapHours` (by the
   * database's clock), or stops at once with 0. One statement: the
   * old value read is the one replaced, even if two rotations race.
   */
  async rotateSecret(
    db: DbOrTx,
    id: string,
    secretEncrypted: string,
    overlapHours: number,
  ): Promise<EndpointRow | undefined> {
    const overlaps = overlapHours > 0;
    const [row] = await db
      .update(appWebhookEndpoints)
      .set({
        secretEncrypted,
        previousSecretEncrypted: overlaps ? sql`${appWebhookEndpoints.secretEncrypted}` : null,
        previousSecretExpiresAt: overlaps ? sql`now() + make_interval(hours => ${overlapHours}::int)` : null,
        updatedAt: sql`now()`,
      })
      .where(eq(appWebhookEndpoints.id, id))
      .returning();
    return row;
  },
};
