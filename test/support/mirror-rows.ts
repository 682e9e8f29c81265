import type { creditLots, customers, disputes, subscriptions } from '../../src/db/schema/index.js';

/**
 * Mirror rows for tests that write the database directly: each builder fills what the schema
 * requires with plain values, and the test names what it is about.
 */
export function customerRow(
  id: string,
  owner: { externalId?: string; organizationId?: string; deleted?: boolean },
  at: Date,
): typeof customers.$inferInsert {
  return {
    id,
    externalId: owner.externalId ?? null,
    organizationId: owner.organizationId ?? null,
    deleted: owner.deleted ?? false,
    stripeEventAt: at,
    createdAt: at,
  };
}

/** A monthly subscription in dollars, charged automatically, its period running over `at`. */
export function subscriptionRow(
  fields: Pick<typeof subscriptions.$inferInsert, 'id' | 'customerId' | 'planId' | 'status' | 'createdAt'> &
    Partial<typeof subscriptions.$inferInsert>,
  at: Date,
): typeof subscriptions.$inferInsert {
  const day = 86_400_000;
  return {
    currency: 'usd',
    collectionMethod: 'charge_automatically',
    currentPeriodStart: new Date(at.getTime() - 5 * day),
    currentPeriodEnd: new Date(at.getTime() + 25 * day),
    stripeEventAt: at,
    ...fields,
  };
}

/** An open dispute that freezes the subscription's access. */
export function freezingDispute(id: string, subscriptionId: string, at: Date): typeof disputes.$inferInsert {
  return {
    id,
    chargeId: `ch_${id}`,
    subscriptionId,
    amount: 100,
    currency: 'usd',
    reason: 'fraudulent',
    status: 'needs_response',
    isChargeRefundable: false,
    accessFrozen: true,
    stripeEventAt: at,
    createdAt: at,
  };
}

/** An admin's grant of `feature` credits, `remaining` of them left. */
export function creditLot(
  id: string,
  payer: { payerKind: 'user' | 'organization'; payerId: string },
  feature: string,
  remaining: number,
  expiresAt: Date | null,
): typeof creditLots.$inferInsert {
  return {
    id,
    ...payer,
    feature,
    granted: remaining + 5,
    remaining,
    expiresAt,
    source: 'admin',
    sourceRef: id,
  };
}
