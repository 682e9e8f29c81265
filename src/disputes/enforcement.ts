import type { Cause, ChangeAnnouncer } from '../app-webhooks/announcements.js';
import { announceDisputeAction, announceWarningAction } from '../app-webhooks/dispute-announcements.js';
import { asSystem } from '../audit/context.js';
import { type AuditEntry, recordAudit } from '../audit/record.js';
import type { DbOrTx } from '../db/client.js';
import type { HandlerContext } from '../events/handlers/context.js';
import type { StripeDisputeActions } from '../stripe/disputes.js';
import { idOf, type PaymentLinks } from '../stripe/mapping.js';
import { cancelsSubscription, type FraudPolicies } from './policy.js';
import { type DisputeRow, disputeRepository as repo } from './repository.js';

export interface DisputeDeps {
  /** The deployment's policies, read afresh for every event (an admin may have just changed them). */
  policies: (tx: DbOrTx) => Promise<FraudPolicies>;
  stripe: StripeDisputeActions;
  announcer: ChangeAnnouncer;
}

const ENDED: ReadonlySet<string> = new Set(['canceled', 'incomplete_expired']);

/** Recur acting on a dispute or warning, in the audit trail: `system`, caused by the event applied. */
function audit(ctx: HandlerContext, entry: AuditEntry): Promise<void> {
  return asSystem(`event:${ctx.event.id}`, () => recordAudit(ctx.tx, entry));
}

const frozen = (row: DisputeRow, accessFrozen: boolean): AuditEntry => ({
  action: accessFrozen ? 'subscription.access_suspend' : 'subscription.access_restore',
  objectType: 'subscription',
  objectId: row.subscriptionId,
  before: { access_frozen: !accessFrozen, dispute_id: row.id },
  after: { access_frozen: accessFrozen, dispute_id: row.id, dispute_status: row.status },
});

/**
 * The payment intent, customer, invoice and subscription behind a charge, found the first time a
 * dispute or warning of it is seen (its row then keeps them): the charge from the mirror or
 * Stripe, the invoice it paid through its invoice payment, and that invoice's subscription.
 */
export async function paymentLinks(
  ctx: HandlerContext,
  deps: DisputeDeps,
  object: 'dispute' | 'radar.early_fraud_warning',
  id: string,
  chargeId: string,
): Promise<PaymentLinks> {
  const known = await repo.linksOf(ctx.tx, object, id);
  if (known) return known;
  const mirrored = await repo.charge(ctx.tx, chargeId);
  const charge = mirrored ?? (await ctx.objects.retrieve('charge', chargeId))?.object;
  const customerId = mirrored
    ? mirrored.customerId
    : idOf(charge && 'customer' in charge ? charge.customer : null);
  const paymentIntentId = mirrored
    ? mirrored.paymentIntentId
    : idOf(charge && 'payment_intent' in charge ? charge.payment_intent : null);
  const invoiceId = paymentIntentId ? await deps.stripe.invoiceOfPayment(paymentIntentId) : null;
  let subscriptionId = invoiceId ? await repo.subscriptionOfInvoice(ctx.tx, invoiceId) : null;
  if (invoiceId && subscriptionId === undefined) {
    const invoice = (await ctx.objects.retrieve('invoice', invoiceId))?.object;
    subscriptionId = idOf(invoice?.parent?.subscription_details?.subscription);
  }
  return {
    paymentIntentId,
    customerId: customerId ?? null,
    invoiceId,
    subscriptionId: subscriptionId ?? null,
  };
}

/**
 * Cancels a subscription that is still live, keyed so that a retry after a lost answer (or a
 * rolled-back transaction) replays Stripe's first answer, and records it in the audit trail with
 * `why`. False when it had ended already.
 */
async function cancelLive(
  ctx: HandlerContext,
  deps: DisputeDeps,
  subscriptionId: string,
  key: string,
  why: Record<string, string>,
): Promise<boolean> {
  const current = await ctx.objects.retrieve('subscription', subscriptionId);
  if (!current || ENDED.has(current.object.status)) return false;
  const answer = await deps.stripe.cancelSubscription(subscriptionId, key);
  ctx.logger.info({ subscriptionId, key }, 'subscription cancelled over a disputed payment');
  await audit(ctx, {
    action: 'subscription.cancel',
    objectType: 'subscription',
    objectId: subscriptionId,
    before: { status: current.object.status },
    after: { status: answer.status, ...why },
  });
  return true;
}

/**
 * Does what the dispute's state calls for, each action once per dispute: the access it suspends
 * (written with the row: `accessFrozen`) is announced, its return too, and a cancellation is made.
 * Read from the row after the write, so the newest state decides whatever order events came in.
 */
export async function actOnDispute(
  ctx: HandlerContext,
  deps: DisputeDeps,
  id: string,
  policies: FraudPolicies,
  cause: Cause,
): Promise<void> {
  const row = await repo.find(ctx.tx, id);
  if (!row) return;
  const { tx } = ctx;
  if (row.accessFrozen) {
    if (await repo.recordAction(tx, row.id, 'access_suspended', row.subscriptionId)) {
      await announceDisputeAction(tx, 'dispute.access_suspended', row, cause);
      await audit(ctx, frozen(row, true));
    }
  } else if (
    (await repo.hasAction(tx, row.id, 'access_suspended')) &&
    (await repo.recordAction(tx, row.id, 'access_restored', row.subscriptionId))
  ) {
    await announceDisputeAction(tx, 'dispute.access_restored', row, cause);
    await audit(ctx, frozen(row, false));
  }
  if (row.subscriptionId && cancelsSubscription(policies.dispute, row.status))
    await cancelDisputed(ctx, deps, row, cause);
}

async function cancelDisputed(ctx: HandlerContext, deps: DisputeDeps, row: DisputeRow, cause: Cause) {
  const subscriptionId = row.subscriptionId!;
  if (!(await repo.recordAction(ctx.tx, row.id, 'subscription_canceled', subscriptionId))) return;
  const why = { dispute_id: row.id, dispute_status: row.status };
  if (await cancelLive(ctx, deps, subscriptionId, `recur:dispute:${row.id}:cancel`, why))
    await announceDisputeAction(ctx.tx, 'dispute.subscription_canceled', row, cause);
}

/**
 * `refund_and_cancel`: an actionable warning refunds what is left of its charge and cancels the
 * subscription it paid, once per warning (the action rows), with Stripe idempotency keys of the
 * warning so that a retry never refunds twice.
 */
export async function actOnWarning(ctx: HandlerContext, deps: DisputeDeps, id: string, cause: Cause) {
  const row = await repo.findWarning(ctx.tx, id);
  if (!row?.actionable) return;
  const { tx } = ctx;
  let refundId: string | null = null;
  const refunding = await repo.recordAction(tx, row.id, 'charge_refunded', row.subscriptionId);
  if (refunding) {
    const charge = (await ctx.objects.retrieve('charge', row.chargeId))?.object;
    if (charge && !charge.disputed && charge.amount_refunded < charge.amount) {
      const refund = await deps.stripe.refundCharge(
        row.chargeId,
        { recur_early_fraud_warning: row.id },
        `recur:early_fraud_warning:${row.id}:refund`,
      );
      refundId = refund.id;
      await repo.setActionResult(tx, row.id, 'charge_refunded', refund.id);
      await audit(ctx, {
        action: 'refund.create',
        objectType: 'refund',
        objectId: refund.id,
        after: {
          charge_id: row.chargeId,
          amount: refund.amount,
          currency: refund.currency,
          reason: refund.reason,
          early_fraud_warning_id: row.id,
        },
      });
      ctx.logger.info({ warningId: row.id, refundId }, 'charge refunded over an early fraud warning');
    }
  }
  let canceledId: string | null = null;
  if (
    row.subscriptionId &&
    (await repo.recordAction(tx, row.id, 'subscription_canceled', row.subscriptionId))
  ) {
    const key = `recur:early_fraud_warning:${row.id}:cancel`;
    if (await cancelLive(ctx, deps, row.subscriptionId, key, { early_fraud_warning_id: row.id }))
      canceledId = row.subscriptionId;
  }
  if (refunding) await announceWarningAction(tx, row, { refundId, subscriptionId: canceledId }, cause);
}
