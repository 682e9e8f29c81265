import { and, eq, notInArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { type PlanKind, plans, subscriptions } from '../db/schema/index.js';
import { stripeStatusesOf } from './status.js';

/** A payer's subscription as the add-ons' end with their base reads it. */
export interface PayerSubscription {
  id: string;
  planId: string;
  kind: PlanKind;
  requiresPlans: string[];
  status: string;
  provider: 'stripe' | 'external';
  /** When it is set to end (Stripe's `cancel_at`, or its period end when it cancels then). */
  endsAt: Date | null;
  /** When it ended, for one that has. */
  endedAt: Date | null;
  metadata: Record<string, string>;
}

/**
 * In one statement, the customer's subscriptions to base plans (ended or not) and its Stripe
 * add-ons that require base plans and have not ended: all a payer's add-ons need to follow their base.
 */
export async function addOnsAndBases(db: DbOrTx, customerId: string): Promise<PayerSubscription[]> {
  const rows = await db
    .select({
      id: subscriptions.id,
      planId: plans.id,
      kind: plans.kind,
      requiresPlans: plans.requiresPlans,
      status: subscriptions.status,
      provider: subscriptions.provider,
      cancelAt: subscriptions.cancelAt,
      cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
      currentPeriodEnd: subscriptions.currentPeriodEnd,
      endedAt: subscriptions.endedAt,
      canceledAt: subscriptions.canceledAt,
      metadata: subscriptions.metadata,
    })
    .from(subscriptions)
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .where(
      and(
        eq(subscriptions.customerId, customerId),
        or(
          eq(plans.kind, 'base'),
          and(
            eq(subscriptions.provider, 'stripe'),
            sql`jsonb_array_length(${plans.requiresPlans}) > 0`,
            notInArray(subscriptions.status, stripeStatusesOf('cancelled')),
          ),
        ),
      ),
    );
  return rows.map((r) => ({
    id: r.id,
    planId: r.planId,
    kind: r.kind,
    requiresPlans: r.requiresPlans,
    status: r.status,
    provider: r.provider,
    endsAt: r.cancelAt ?? (r.cancelAtPeriodEnd ? r.currentPeriodEnd : null),
    endedAt: r.endedAt ?? r.canceledAt,
    metadata: r.metadata,
  }));
}
