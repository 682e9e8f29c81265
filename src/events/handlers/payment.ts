import { upsertMirror } from '../../mirror/repository.js';
import { chargeRow, checkoutSessionRow, paymentIntentRow, refundRow } from '../../stripe/mapping.js';
import { applyInOrder, type EventHandler, on, type TypedHandler } from './context.js';

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

const refund: TypedHandler<(typeof REFUND)[number]> = (ctx, event) =>
  applyInOrder(ctx, 'refund', event.data.object, (current, stamp, mode) =>
    upsertMirror(ctx.tx, 'refund', refundRow(current), stamp, mode),
  );

const paymentIntent: TypedHandler<(typeof PAYMENT_INTENT)[number]> = (ctx, event) =>
  applyInOrder(ctx, 'payment_intent', event.data.object, (current, stamp, mode) =>
    upsertMirror(ctx.tx, 'payment_intent', paymentIntentRow(current), stamp, mode),
  );

const checkoutSession: TypedHandler<(typeof CHECKOUT_SESSION)[number]> = (ctx, event) =>
  applyInOrder(ctx, 'checkout.session', event.data.object, (current, stamp, mode) =>
    upsertMirror(ctx.tx, 'checkout.session', checkoutSessionRow(current), stamp, mode),
  );

export const paymentHandlers: Record<string, EventHandler> = {
  ...on(CHARGE, charge),
  ...on(REFUND, refund),
  ...on(PAYMENT_INTENT, paymentIntent),
  ...on(CHECKOUT_SESSION, checkoutSession),
};
