import { asSystem } from '../../audit/context.js';
import { recordAudit } from '../../audit/record.js';
import type { PaymentNotice } from '../../payment-webhook/notice.js';
import { newId } from '../../shared/ids.js';
import type { StripeSubscriptionWrites } from '../../stripe/subscription-writes.js';
import { addBillingCycles, type BillingInterval } from '../../subscriptions/billing-cycle.js';
import {
  externalSubscriptionRepository as repo,
  type SubscriptionRow,
} from '../../subscriptions/external-repository.js';
import { type EventHandler, type HandlerContext, on, type TypedHandler } from './context.js';

const ENDED = new Set(['canceled', 'incomplete_expired']);

/**
 * A payment reported by the payment webhook: recorded once per event (the unique event id makes a
 * redelivery a no-op), then applied. External subscriptions are driven by it; for a Stripe-managed
 * one a success marks its open invoice paid out of band, and Stripe's webhooks bring the rest.
 */
export function paymentProviderHandlers(stripe: StripeSubscriptionWrites): Record<string, EventHandler> {
  const payment: TypedHandler<
    'payment_provider.payment_success' | 'payment_provider.payment_failed'
  > = async (ctx, event) => {
    const notice = event.data.object;
    const subscription = await repo.findSubscription(ctx.tx, notice.id);
    if (!subscription) throw new Error(`subscription ${notice.id} of a reported payment is missing`);
    const recorded = await repo.recordPayment(ctx.tx, {
      id: newId('xpay'),
      eventId: ctx.event.id,
      subscriptionId: subscription.id,
      outcome: notice.outcome,
      amount: notice.amount,
      currency: notice.currency,
      paidOn: notice.paid_on,
      invoiceId: notice.invoice_id,
    });
    if (!recorded) return 'noop';
    if (subscription.provider === 'external') return applyToExternal(ctx, subscription, notice);
    if (notice.outcome === 'success' && notice.invoice_id) await payOutOfBand(ctx, stripe, notice.invoice_id);
    return 'applied';
  };
  return on(['payment_provider.payment_success', 'payment_provider.payment_failed'], payment);
}

/**
 * A success pays the next cycle, counted from the old period end so that paying late does not move
 * the billing day; the first success of a pending subscription starts its first cycle on the day paid.
 */
async function applyToExternal(
  ctx: HandlerContext,
  subscription: SubscriptionRow,
  notice: PaymentNotice,
): Promise<'applied' | 'noop'> {
  if (ENDED.has(subscription.status)) return 'noop';
  const now = new Date();
  if (notice.outcome === 'failed') {
    await repo.updateSubscription(ctx.tx, subscription.id, { status: 'past_due' }, now);
    return 'applied';
  }
  const price = subscription.priceId ? await repo.priceOf(ctx.tx, subscription.priceId) : null;
  if (!price)
    throw new Error(`price ${subscription.priceId} of subscription ${subscription.id} is not in the catalog`);
  const start =
    subscription.status === 'incomplete' || !subscription.currentPeriodEnd
      ? new Date(notice.paid_at)
      : subscription.currentPeriodEnd;
  await repo.updateSubscription(
    ctx.tx,
    subscription.id,
    {
      status: 'active',
      currentPeriodStart: start,
      currentPeriodEnd: addBillingCycles(start, price.interval as BillingInterval, price.intervalCount),
    },
    now,
  );
  return 'applied';
}

/** Keyed by the event: a retry after a lost answer replays Stripe's first answer. */
async function payOutOfBand(ctx: HandlerContext, stripe: StripeSubscriptionWrites, invoiceId: string) {
  const fetched = await ctx.objects.retrieve('invoice', invoiceId);
  const invoice = fetched?.object;
  if (invoice?.status !== 'open') {
    ctx.logger.warn(
      { invoiceId, invoiceStatus: invoice?.status ?? 'missing' },
      'reported payment recorded; its invoice is no longer open, so nothing is paid in Stripe',
    );
    return;
  }
  await stripe.payInvoiceOutOfBand(invoiceId, `recur:payment_provider:${ctx.event.id}:pay`);
  // Recur writing to Stripe on its own initiative, for the payment provider's notice.
  await asSystem(`event:${ctx.event.id}`, () =>
    recordAudit(ctx.tx, {
      action: 'invoice.pay_out_of_band',
      objectType: 'invoice',
      objectId: invoiceId,
      before: { status: 'open' },
      after: { status: 'paid' },
    }),
  );
}
