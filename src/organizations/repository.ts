import {
  and,
  asc,
  type Column,
  count,
  eq,
  getTableColumns,
  isNotNull,
  notInArray,
  type Placeholder,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import {
  customers,
  type OrganizationRole,
  organizationMembers,
  organizations,
  subscriptions,
} from '../db/schema/index.js';
import { stripeStatusesOf } from '../subscriptions/status.js';

export type OrganizationRow = typeof organizations.$inferSelect;
export type MemberRow = typeof organizationMembers.$inferSelect;
export type OrganizationWrite = Omit<typeof organizations.$inferInsert, 'createdAt' | 'updatedAt'>;

/**
 * The organisations `userId` is a member of (any role), as an array: `= any(…)` over it makes the
 * user's few organisations the index condition itself, so the planner cannot choose to hash-join
 * every row instead.
 */
export const memberOrganizations = (userId: Placeholder | string): SQL =>
  sql`array(select ${organizationMembers.organizationId} from ${organizationMembers} where ${organizationMembers.userId} = ${userId})`;

/** A payer (`kind`, `id` columns) that is the user themself or one of their organisations. */
export const userOrTheirOrganization = (kind: Column, id: Column, userId: Placeholder | string): SQL =>
  sql`((${kind} = 'user' and ${id} = ${userId}) or (${kind} = 'organization' and ${id} = any(${memberOrganizations(userId)})))`;

export interface Membership {
  organization: OrganizationRow;
  role: OrganizationRole;
  holdsSeat: boolean;
}

export const organizationRepository = {
  async find(db: DbOrTx, id: string): Promise<OrganizationRow | null> {
    const [row] = await db.select().from(organizations).where(eq(organizations.id, id)).limit(1);
    return row ?? null;
  },

  /** Locks the organisation's row for the rest of the transaction: membership changes queue here. */
  async lock(db: DbOrTx, id: string): Promise<OrganizationRow | null> {
    const [row] = await db.select().from(organizations).where(eq(organizations.id, id)).for('update');
    return row ?? null;
  },

  /** Inserts or replaces; `created` tells which. */
  async upsert(db: DbOrTx, row: OrganizationWrite): Promise<{ row: OrganizationRow; created: boolean }> {
    const { id, ...fields } = row;
    const [saved] = await db
      .insert(organizations)
      .values(row)
      .onConflictDoUpdate({ target: organizations.id, set: { ...fields, updatedAt: sql`now()` } })
      // xmax is 0 on a row this statement inserted, the updating transaction's id on one it updated.
      .returning({ ...getTableColumns(organizations), created: sql<boolean>`(xmax = 0)` });
    const { created, ...written } = saved!;
    return { row: written, created };
  },

  async delete(db: DbOrTx, id: string): Promise<boolean> {
    const deleted = await db
      .delete(organizations)
      .where(eq(organizations.id, id))
      .returning({ id: organizations.id });
    return deleted.length > 0;
  },

  async members(db: DbOrTx, organizationId: string): Promise<MemberRow[]> {
    return db
      .select()
      .from(organizationMembers)
      .where(eq(organizationMembers.organizationId, organizationId))
      .orderBy(asc(organizationMembers.createdAt), asc(organizationMembers.userId));
  },

  async member(db: DbOrTx, organizationId: string, userId: string): Promise<MemberRow | null> {
    const [row] = await db
      .select()
      .from(organizationMembers)
      .where(
        and(eq(organizationMembers.organizationId, organizationId), eq(organizationMembers.userId, userId)),
      )
      .limit(1);
    return row ?? null;
  },

  async memberCount(db: DbOrTx, organizationId: string): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(organizationMembers)
      .where(eq(organizationMembers.organizationId, organizationId));
    return row?.n ?? 0;
  },

  /** How many members hold a seat: a per-seat subscription's quantity in `members` seat mode. */
  async seatHolders(db: DbOrTx, organizationId: string): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(organizationMembers)
      .where(
        and(eq(organizationMembers.organizationId, organizationId), eq(organizationMembers.holdsSeat, true)),
      );
    return row?.n ?? 0;
  },

  async putMember(
    db: DbOrTx,
    member: { organizationId: string; userId: string; role: OrganizationRole; holdsSeat: boolean },
  ): Promise<{ row: MemberRow; before: MemberRow | null }> {
    const before = await organizationRepository.member(db, member.organizationId, member.userId);
    const [row] = await db
      .insert(organizationMembers)
      .values(member)
      .onConflictDoUpdate({
        target: [organizationMembers.organizationId, organizationMembers.userId],
        set: { role: member.role, holdsSeat: member.holdsSeat, updatedAt: sql`now()` },
      })
      .returning();
    return { row: row!, before };
  },

  async removeMember(db: DbOrTx, organizationId: string, userId: string): Promise<MemberRow | null> {
    const [row] = await db
      .delete(organizationMembers)
      .where(
        and(eq(organizationMembers.organizationId, organizationId), eq(organizationMembers.userId, userId)),
      )
      .returning();
    return row ?? null;
  },

  /** The organisations a user belongs to, with their role, by name's creation order. */
  async membershipsOf(db: DbOrTx, userId: string): Promise<Membership[]> {
    const rows = await db
      .select({
        organization: organizations,
        role: organizationMembers.role,
        holdsSeat: organizationMembers.holdsSeat,
      })
      .from(organizationMembers)
      .innerJoin(organizations, eq(organizations.id, organizationMembers.organizationId))
      .where(eq(organizationMembers.userId, userId))
      .orderBy(asc(organizationMembers.createdAt), asc(organizations.id));
    return rows;
  },

  /** The organisation's live Stripe customer's id, if one was made. */
  async customerId(db: DbOrTx, organizationId: string): Promise<string | null> {
    const [row] = await db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.organizationId, organizationId), eq(customers.deleted, false)))
      .limit(1);
    return row?.id ?? null;
  },

  /**
   * The organisation's per-seat subscription (one with a seat mode; with `mode`, that one) that has
   * not ended, if any; the oldest should there be several.
   */
  async seatSubscription(
    db: DbOrTx,
    organizationId: string,
    mode?: 'manual' | 'members',
  ): Promise<{ id: string; seatMode: 'manual' | 'members' } | null> {
    const [row] = await db
      .select({ id: subscriptions.id, seatMode: subscriptions.seatMode })
      .from(subscriptions)
      .innerJoin(customers, eq(customers.id, subscriptions.customerId))
      .where(
        and(
          eq(customers.organizationId, organizationId),
          mode ? eq(subscriptions.seatMode, mode) : isNotNull(subscriptions.seatMode),
          eq(subscriptions.provider, 'stripe'),
          notInArray(subscriptions.status, stripeStatusesOf('cancelled')),
        ),
      )
      .orderBy(asc(subscriptions.createdAt))
      .limit(1);
    return row?.seatMode ? { id: row.id, seatMode: row.seatMode } : null;
  },

  /** A subscription of any of the organisation's customers that has not ended. */
  async liveSubscription(db: DbOrTx, organizationId: string): Promise<string | null> {
    const [row] = await db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .innerJoin(customers, eq(customers.id, subscriptions.customerId))
      .where(
        and(
          eq(customers.organizationId, organizationId),
          notInArray(subscriptions.status, stripeStatusesOf('cancelled')),
        ),
      )
      .limit(1);
    return row?.id ?? null;
  },
};
