import type { NotificationKind } from '../db/schema/index.js';
import type {
  EventOf,
  HandledType,
  HandlerContext,
  HandlerResult,
  TypedHandler,
} from '../events/handlers/context.js';
import { invoiceRepository } from '../invoices/repository.js';
import { idOf } from '../stripe/mapping.js';
import { notificationRepository as repo } from './repository.js';

/** Decides from an event whether the customer is told something, and queues it. */
export type Notice<T extends HandledType> = (ctx: HandlerContext, event: EventOf<T>) => Promise<void>;

/**
 * The event's mirror handler, then its notice, in the event's own transaction: the notification is
 * queued exactly when the event is applied, and a replayed event finds its dedupe key taken.
 */
export function notifying<T extends HandledType>(
  handler: (ctx: HandlerContext, event: EventOf<NoInfer<T>>) => Promise<HandlerResult>,
  notice: Notice<T>,
): TypedHandler<T> {
  return async (ctx, event) => {
    const result = await handler(ctx, event);
    await notice(ctx, event);
    return result;
  };
}

const iso = (unix: number | null | undefined) => (unix ? new Date(unix * 1000).toISOString() : null);

async function enqueue(
  ctx: HandlerContext,
  kind: NotificationKind,
  customerId: string | null,
  data: Record<string, unknown>,
): Promise<void> {
  if (!customerId) return;
  await repo.enqueue(ctx.tx, { customerId, kind, dedupeKey: `${ctx.event.id}:${kind}`, data });
}

export const paymentFailedNotice: Notice<'invoice.payment_failed'> = async (ctx, event) => {
  const invoice = event.data.object;
  // Delivered late, after the invoice was paid: the customer is not told of a failure already mended.
  const current = await invoiceRepository.findById(ctx.tx, invoice.id);
  if (current?.status === 'paid') return;
  // A payment that waits for the customer's authentication is not a failure to them: they are
  // asked to confirm it instead (`paymentActionNotice`), whichever of the two events comes first.
  // Stripe is asked only when the mirror does not know yet; a payment that succeeded since is no news.
  if (current?.paymentActionRequired) return;
  const payment = await ctx.objects.invoicePaymentStatus(invoice.id);
  if (payment === 'requires_action' || payment === 'succeeded') return;
  await enqueue(ctx, 'payment_failed', idOf(invoice.customer), {
    invoice_id: invoice.id,
    subscription_id: idOf(invoice.parent?.subscription_details?.subscription),
    amount: invoice.amount_remaining,
    currency: invoice.currency,
    next_payment_attempt: iso(invoice.next_payment_attempt),
    hosted_invoice_url: invoice.hosted_invoice_url ?? null,
  });
};

/**
 * The customer is asked to confirm a payment that needs 3-D Secure, with the link to Stripe's
 * hosted invoice page, where they authenticate. Not once the invoice is paid (a late delivery).
 */
export const paymentActionNotice: Notice<'invoice.payment_action_required'> = async (ctx, event) => {
  const invoice = event.data.object;
  const current = await invoiceRepository.findById(ctx.tx, invoice.id);
  if (current && current.status !== 'open') return;
  await enqueue(ctx, 'payment_action_required', idOf(invoice.customer), {
    invoice_id: invoice.id,
    subscription_id: idOf(invoice.parent?.subscription_details?.subscription),
    amount: invoice.amount_remaining,
    currency: invoice.currency,
    hosted_invoice_url: invoice.hosted_invoice_url ?? null,
  });
};

/** Only an invoice whose failure (or wait for confirmation) the customer was told of is announced as recovered. */
export const paymentRecoveredNotice: Notice<'invoice.paid'> = async (ctx, event) => {
  const invoice = event.data.object;
  const customerId = idOf(invoice.customer);
  // Through the customer's own notices (an index): every paid invoice asks this.
  if (!customerId) return;
  const told = await repo.exists(
    ctx.tx,
    customerId,
    ['payment_failed', 'payment_action_required'],
    'invoice_id',
    invoice.id,
  );
  if (!told) return;
  await enqueue(ctx, 'payment_recovered', customerId, {
    invoice_id: invoice.id,
    subscription_id: idOf(invoice.parent?.subscription_details?.subscription),
    amount: invoice.amount_paid,
    currency: invoice.currency,
    hosted_invoice_url: invoice.hosted_invoice_url ?? null,
  });
};

export const trialWillEndNotice: Notice<'customer.subscription.trial_will_end'> = async (ctx, event) => {
  const subscription = event.data.object;
  await enqueue(ctx, 'trial_will_end', idOf(subscription.customer), {
    subscription_id: subscription.id,
    trial_end: iso(subscription.trial_end),
  });
};

export const subscriptionCancelledNotice: Notice<'customer.subscription.deleted'> = async (ctx, event) => {
  const subscription = event.data.object;
  await enqueue(ctx, 'subscription_cancelled', idOf(subscription.customer), {
    subscription_id: subscription.id,
    ended_at: iso(subscription.ended_at ?? subscription.canceled_at),
    reason: subscription.cancellation_details?.reason ?? null,
  });
};
