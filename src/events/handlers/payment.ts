import type Stripe from 'stripe';
import { upsertMirror } from '../../mirror/repository.js';
import { refundRepository } from '../../refunds/repository.js';
import { chargeRow, checkoutSessionRow, idOf, paymentIntentRow, refundRow } from '../../stripe/mapping.js';
import { applyInOrder, type EventHandler, type HandlerContext, on, type TypedHandler } from './context.js';

/** Stripe's answer to which invoice a payment intent paid (its invoice payments), or null. */
export interface InvoiceOfPayment {
  invoiceOfPayment(paymentIntentId: string): Promise<string | null>;
}

const CHARGE = [
  'charge.succeeded',
  'charge.failed',
  'charge.refunded',
  'charge.updated',
  'charge.captured',
] as const;
const REFUND = ['charge.refund.updated', 'refund.created', 'refund.updated', 'refund.failed'] as const;
const PAYMENT_INTENT = [
  'payment_intent.created',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.processing',
  'payment_intent.requires_action',
] as const;
const CHECKOUT_SESSION = [
  'checkout.session.completed',
  'checkout.session.expired',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
] as const;

const charge: TypedHandler<(typeof CHARGE)[number]> = (ctx, event) =>
  applyInOrder(ctx, 'charge', event.data.object, (current, stamp, mode) =>
    upsertMirror(ctx.tx, 'charge', chargeRow(current), stamp, mode),
  );

/**
 * The invoice a refund's payment paid: from the mirror (the refund's row once found, or the
 * payment's `invoice_payment.paid`), else from Stripe. Undefined (the row keeps what it holds): the
 * refund names no payment.
 */
async function invoiceOfRefund(
  ctx: HandlerContext,
  payments: InvoiceOfPayment,
  refund: Stripe.Refund,
): Promise<string | null | undefined> {
  const paymentIntentId = idOf(refund.payment_intent);
  if (!paymentIntentId) return undefined;
  return (
    (await refundRepository.knownInvoice(ctx.tx, refund.id, paymentIntentId)) ??
    payments.invoiceOfPayment(paymentIntentId)
  );
}

const refund =
  (payments: InvoiceOfPayment): TypedHandler<(typeof REFUND)[number]> =>
  async (ctx, event) => {
    const invoiceId = await invoiceOfRefund(ctx, payments, event.data.object);
    return applyInOrder(ctx, 'refund', event.data.object, (current, stamp, mode) =>
      upsertMirror(ctx.tx, 'refund', refundRow(current, invoiceId), stamp, mode),
    );
  };

const paymentIntent: TypedHandler<(typeof PAYMENT_INTENT)[number]> = (ctx, event) =>
  applyInOrder(ctx, 'payment_intent', event.data.object, (current, stamp, mode) =>
    upsertMirror(ctx.tx, 'payment_intent', paymentIntentRow(current), stamp, mode),
  );

const checkoutSession: TypedHandler<(typeof CHECKOUT_SESSION)[number]> = (ctx, event) =>
  applyInOrder(ctx, 'checkout.session', event.data.object, (current, stamp, mode) =>
    upsertMirror(ctx.tx, 'checkout.session', checkoutSessionRow(current), stamp, mode),
  );

export const paymentHandlers = (payments: InvoiceOfPayment): Record<string, EventHandler> => ({
  ...on(CHARGE, charge),
  ...on(REFUND, refund(payments)),
  ...on(PAYMENT_INTENT, paymentIntent),
  ...on(CHECKOUT_SESSION, checkoutSession),
});
