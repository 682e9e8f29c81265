import { and, eq, inArray, notInArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { plans, subscriptions } from '../db/schema/index.js';
import type { PlanKind } from '../db/schema/plans.js';
import { ConflictError } from '../http/errors.js';
import { stripeStatusesOf } from './status.js';

const notEnded = () => notInArray(subscriptions.status, stripeStatusesOf('cancelled'));

/** Subscriptions that have not ended (pending, active or suspended), by customer and plan. */
export const liveSubscriptions = {
  /** A subscription of this customer to this plan that has not ended. */
  async to(db: DbOrTx, customerId: string, planId: string): Promise<string | null> {
    const [row] = await db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(and(eq(subscriptions.customerId, customerId), eq(subscriptions.planId, planId), notEnded()))
      .limit(1);
    return row?.id ?? null;
  },

  /** The customer's subscription to a base plan that has not ended, if any. */
  async toBase(db: DbOrTx, customerId: string): Promise<string | null> {
    const [row] = await db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .innerJoin(plans, eq(plans.id, subscriptions.planId))
      .where(and(eq(subscriptions.customerId, customerId), eq(plans.kind, 'base'), notEnded()))
      .limit(1);
    return row?.id ?? null;
  },

  /** Whether the customer holds one of these plans in a subscription that has not ended. */
  async toAnyOf(db: DbOrTx, customerId: string, planIds: readonly string[]): Promise<boolean> {
    const [row] = await db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.customerId, customerId),
          inArray(subscriptions.planId, [...planIds]),
          notEnded(),
        ),
      )
      .limit(1);
    return row !== undefined;
  },

  /** Any subscription to the plan that has not ended, whoever holds it. */
  async onPlan(db: DbOrTx, planId: string): Promise<string | null> {
    const [row] = await db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(and(eq(subscriptions.planId, planId), notEnded()))
      .limit(1);
    return row?.id ?? null;
  },
};

/**
 * The one rule for a new subscription, shared by Checkout and POST /api/subscriptions, checked
 * before any write. A payer (the customer of a user or of an organisation; null before its first
 * purchase) holds at most one base plan at a time: a second is refused with the live one's id (a
 * change of plan goes through the change route). Each add-on is held at most once (more of it is
 * its quantity), and one that requires base plans needs a live subscription to one of them.
 */
export async function assertMayBuy(
  db: DbOrTx,
  who: string,
  customerId: string | null,
  plan: { id: string; key?: string; kind: PlanKind; requiresPlans: readonly string[] },
): Promise<void> {
  if (plan.kind === 'one_time') throw oneTimePlanRefused(plan.key ?? plan.id);
  const live =
    customerId === null
      ? null
      : plan.kind === 'base'
        ? await liveSubscriptions.toBase(db, customerId)
        : await liveSubscriptions.to(db, customerId, plan.id);
  if (live) throw alreadySubscribed(who, live, plan.kind);
  if (plan.kind === 'add_on' && plan.requiresPlans.length > 0) {
    if (customerId === null || !(await liveSubscriptions.toAnyOf(db, customerId, plan.requiresPlans)))
      throw new ConflictError(
        'base_plan_required',
        `${who} needs a subscription to one of this add-on's base plans first`,
        { plans: plan.requiresPlans },
      );
  }
}

/** A one-time plan is bought (Checkout in payment mode), never subscribed to. */
export function oneTimePlanRefused(plan: string): ConflictError {
  return new ConflictError(
    'plan_one_time',
    `Plan '${plan}' is a one-time purchase: buy it through Checkout (POST /api/checkout/sessions), it cannot be subscribed to`,
  );
}

export function alreadySubscribed(
  who: string,
  subscriptionId: string,
  kind: PlanKind = 'add_on',
): ConflictError {
  const message =
    kind === 'base'
      ? `${who} already has base subscription '${subscriptionId}'; change its plan instead of subscribing again`
      : `${who} already has subscription '${subscriptionId}' to this plan; change its quantity for more`;
  return new ConflictError('already_subscribed', message, { subscription_id: subscriptionId });
}
