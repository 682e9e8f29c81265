import type Stripe from 'stripe';
import { payerOfCustomer } from '../app-webhooks/fact-announcements.js';
import { payerKeyOf } from '../credits/plan-grants.js';
import type { DbOrTx } from '../db/client.js';
import { PRICE_INTERVALS } from '../db/schema/plans.js';
import type { EventHandler } from '../events/handlers/context.js';
import { planRepository } from '../plans/repository.js';
import { idOf, licensedOf } from '../stripe/mapping.js';
import type { PayerKey } from './credits-ledger.js';
import { periodOf, type UsagePeriod } from './periods.js';
import { payerSubscriptions, usageRepository } from './repository.js';
import { granting, type PayerSubscription, usageRuleOf } from './rules.js';

/** A limit held before a change, kept as its period's floor until that period ends. */
export interface LimitFloor {
  feature: string;
  period: UsagePeriod;
  limit: number;
}

/**
 * The limits a change lowered, each to be kept until the end of the period it was held in: a
 * downgrade takes effect at the next period, as it does when the period's counter already holds
 * the limit (see `addToCounter`). The period is the one the old rule counted in just before the
 * change, so a downgrade made at a renewal keeps nothing of the old limit in the new period.
 */
export function loweredLimits(
  before: readonly PayerSubscription[],
  after: readonly PayerSubscription[],
  at: Date,
  graceDays: number,
): LimitFloor[] {
  const justBefore = new Date(at.getTime() - 1);
  const held = granting(before, justBefore, graceDays);
  const now = granting(after, at, graceDays);
  const features = new Set(held.flatMap((sub) => sub.benefits.filter((b) => b.limit).map((b) => b.key)));
  const floors: LimitFloor[] = [];
  for (const feature of features) {
    const was = usageRuleOf(held, feature);
    const is = usageRuleOf(now, feature);
    if (!was.metered || was.limit <= is.limit) continue;
    floors.push({ feature, period: periodOf(was.reset, justBefore, was.anchor), limit: was.limit });
  }
  return floors;
}

const seconds = (value: number | null | undefined) => (value ? new Date(value * 1000) : null);

/**
 * The payer's subscriptions as they were before a change replaced `subscription`'s licensed item
 * `oldItem` (from Stripe's `previous_attributes`): its old price's plan, quantity and period in
 * place of the new ones. Null when the old price is none of the catalog's plans.
 */
async function beforeItemsChanged(
  tx: DbOrTx,
  subscription: Stripe.Subscription,
  oldItem: Stripe.SubscriptionItem,
  after: readonly PayerSubscription[],
): Promise<PayerSubscription[] | null> {
  const mine = after.find((sub) => sub.id === subscription.id);
  if (!mine) return null;
  const plan = (await planRepository.plansOfStripePrices(tx, [oldItem.price.id])).get(oldItem.price.id);
  if (!plan) return null;
  const recurring = oldItem.price.recurring;
  const was: PayerSubscription = {
    ...mine,
    planId: plan.id,
    kind: plan.kind,
    benefits: plan.benefits,
    quantity: oldItem.quantity ?? 1,
    currentPeriodStart: seconds(oldItem.current_period_start),
    currentPeriodEnd: seconds(oldItem.current_period_end),
    interval: PRICE_INTERVALS.find((i) => i === recurring?.interval) ?? mine.interval,
    intervalCount: recurring?.interval_count ?? mine.intervalCount,
  };
  return after.map((sub) => (sub.id === subscription.id ? was : sub));
}

/**
 * A subscription's items changed (another price, another quantity) in Stripe, by Recur or not: the
 * limits that lowered are kept as their period's floors, so a downgrade mid-period waits for the
 * next period even when nothing was used yet in this one. Redelivered or late, an event only ever
 * raises a floor to a limit the payer held in that period.
 */
export async function keepLoweredLimits(
  tx: DbOrTx,
  event: Stripe.CustomerSubscriptionUpdatedEvent,
  at: Date,
  graceDays: number,
): Promise<LimitFloor[]> {
  const previous = event.data.previous_attributes;
  const subscription = event.data.object;
  const oldItem = previous?.items?.data ? licensedOf(previous.items.data) : undefined;
  const newItem = licensedOf(subscription.items.data);
  // A renewal moves the items' periods only: no price or quantity changed, no limit could lower.
  if (
    !previous ||
    !oldItem ||
    (oldItem.price.id === newItem?.price.id && oldItem.quantity === newItem.quantity)
  )
    return [];
  const payer: PayerKey | null = payerKeyOf(await payerOfCustomer(tx, idOf(subscription.customer)));
  if (!payer) return [];
  const after = await payerSubscriptions(tx, payer);
  const before = await beforeItemsChanged(tx, subscription, oldItem, after);
  if (!before) return [];
  const floors = loweredLimits(before, after, at, graceDays);
  for (const floor of floors)
    await usageRepository.addToCounter(tx, { ...payer, feature: floor.feature }, floor.period, floor.limit);
  return floors;
}

/** Has `customer.subscription.updated` keep the limits it lowered until their period ends. */
export function withLimitFloors(handlers: Map<string, EventHandler>, graceDays: number): void {
  const type = 'customer.subscription.updated';
  const mirror = handlers.get(type)!;
  handlers.set(type, async (ctx) => {
    const result = await mirror(ctx);
    const { event } = ctx;
    if (event.type !== type) return result;
    return (await keepLoweredLimits(ctx.tx, event, ctx.eventAt, graceDays)).length > 0 ? 'applied' : result;
  });
}
