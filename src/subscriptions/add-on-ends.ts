import type Stripe from 'stripe';
import { asSystem } from '../audit/context.js';
import { type AuditEntry, recordAudit } from '../audit/record.js';
import type { EventHandler, HandlerContext } from '../events/handlers/context.js';
import { idOf } from '../stripe/mapping.js';
import { ENDS_WITH_METADATA, type StripeSubscriptionWrites } from '../stripe/subscription-writes.js';
import { addOnsAndBases, type PayerSubscription } from './add-on-repository.js';
import { stripeStatusesOf } from './status.js';

const ENDED: ReadonlySet<string> = new Set(stripeStatusesOf('cancelled'));
const FOLLOWED: ReadonlySet<string> = new Set(['status', 'cancel_at', 'cancel_at_period_end']);

/**
 * The payer whose add-ons may have to follow a base after this event: a subscription made or
 * ended, or one whose status or end changed. Other events (renewals, payments) cannot end a base.
 */
function payerToCheck(ctx: HandlerContext): string | null {
  const { event } = ctx;
  if (event.type === 'customer.subscription.created' || event.type === 'customer.subscription.deleted')
    return idOf(event.data.object.customer);
  if (event.type === 'customer.subscription.updated') {
    const changed = Object.keys(event.data.previous_attributes ?? {});
    if (changed.some((field) => FOLLOWED.has(field))) return idOf(event.data.object.customer);
  }
  return null;
}

/** Runs `handler`, then has the payer's add-ons follow their bases as the mirror now holds them. */
export function followingBases(handler: EventHandler, stripe: StripeSubscriptionWrites): EventHandler {
  return async (ctx) => {
    const result = await handler(ctx);
    const customerId = payerToCheck(ctx);
    if (customerId) await addOnsFollowBases(ctx, stripe, customerId);
    return result;
  };
}

/**
 * An add-on that requires base plans lives only beside one of them. Read from the mirror after the
 * write, so the newest state decides whatever order the events came in: with none of its bases
 * live any more (and one of them ended), it is cancelled at once; while every live base it may
 * stand on is set to end, it is set to end with the last of them; a base resumed undoes an end
 * Recur set (and only one Recur set: the add-on's metadata names the base it follows).
 */
export async function addOnsFollowBases(
  ctx: HandlerContext,
  stripe: StripeSubscriptionWrites,
  customerId: string,
): Promise<void> {
  const rows = await addOnsAndBases(ctx.tx, customerId);
  const bases = rows.filter((r) => r.kind === 'base');
  for (const addOn of rows.filter((r) => r.kind === 'add_on')) {
    const own = bases.filter((b) => addOn.requiresPlans.includes(b.planId));
    const live = own.filter((b) => !ENDED.has(b.status));
    if (live.length > 0) {
      await followEnd(ctx, stripe, addOn.id, live);
      continue;
    }
    const ended = own.reduce<PayerSubscription | null>(
      (last, b) => (last === null || (b.endedAt?.getTime() ?? 0) > (last.endedAt?.getTime() ?? 0) ? b : last),
      null,
    );
    if (ended) await endWithBase(ctx, stripe, addOn.id, ended.id);
  }
}

/** Recur acting for the base's change, in the audit trail: `system`, caused by that base. */
function audit(ctx: HandlerContext, baseId: string, entry: AuditEntry): Promise<void> {
  return asSystem(`base_subscription:${baseId}`, () => recordAudit(ctx.tx, entry));
}

/**
 * Keyed by the add-on and the base that ended, so that a retry, a replay or another event of the
 * same end replays Stripe's first answer; Stripe's own state is read first, as the mirror of the
 * add-on may lag behind it.
 */
async function endWithBase(
  ctx: HandlerContext,
  stripe: StripeSubscriptionWrites,
  addOnId: string,
  baseId: string,
): Promise<void> {
  const current = (await ctx.objects.retrieve('subscription', addOnId))?.object;
  if (!current || ENDED.has(current.status)) return;
  const answer = await stripe.endWithBase(addOnId, baseId, `recur:add_on:${addOnId}:base_ended:${baseId}`);
  ctx.logger.info({ subscriptionId: addOnId, baseId }, 'add-on cancelled with its base');
  await audit(ctx, baseId, {
    action: 'subscription.cancel',
    objectType: 'subscription',
    objectId: addOnId,
    before: { status: current.status },
    after: { status: answer.status, base_subscription_id: baseId },
  });
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

async function followEnd(
  ctx: HandlerContext,
  stripe: StripeSubscriptionWrites,
  addOnId: string,
  live: PayerSubscription[],
): Promise<void> {
  const current = (await ctx.objects.retrieve('subscription', addOnId))?.object;
  if (!current || ENDED.has(current.status)) return;
  const following = current.metadata[ENDS_WITH_METADATA] || null;
  const last = live.every((b) => b.endsAt !== null)
    ? live.reduce((a, b) => (b.endsAt!.getTime() > a.endsAt!.getTime() ? b : a))
    : null;
  if (last) {
    const at = seconds(last.endsAt!);
    // An end of the add-on's own that comes first stays; one Recur set follows the base.
    const settled = following
      ? following === last.id && current.cancel_at === at
      : current.cancel_at !== null && current.cancel_at <= at;
    if (!settled) await follow(ctx, stripe, current, { baseId: last.id, cancelAt: at });
  } else if (following && current.cancel_at !== null) {
    await follow(ctx, stripe, current, null);
  }
}

async function follow(
  ctx: HandlerContext,
  stripe: StripeSubscriptionWrites,
  current: Stripe.Subscription,
  to: { baseId: string; cancelAt: number } | null,
): Promise<void> {
  const baseId = to?.baseId ?? current.metadata[ENDS_WITH_METADATA]!;
  const key = `recur:add_on:${current.id}:ends_with:${baseId}:${to?.cancelAt ?? 'none'}:${ctx.event.id}`;
  const answer = await stripe.followBase(current.id, to, key);
  ctx.logger.info(
    { subscriptionId: current.id, baseId, cancelAt: answer.cancel_at },
    'add-on follows its base',
  );
  await audit(ctx, baseId, {
    action: to ? 'subscription.cancel_at' : 'subscription.resume',
    objectType: 'subscription',
    objectId: current.id,
    before: { cancel_at: current.cancel_at },
    after: { cancel_at: answer.cancel_at, base_subscription_id: baseId },
  });
}
