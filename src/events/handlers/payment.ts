import type Stripe from 'stripe';
import { upsertMirror } from '../../mirror/repository.js';
import { chargeRow, checkoutSessionRow, paymentIntentRow, refundRow } from '../../stripe/mapping.js';
import { applyInOrder, type EventHandler } from './context.js';

const charge: EventHandler = (ctx) =>
  applyInOrder(ctx, 'charge', ctx.event.data.object as Stripe.Charge, (current, stamp, mode) =>
    upsertMirror(ctx.tx, 'charge', chargeRow(current), stamp, mode),
  );

const refund: EventHandler = (ctx) =>
  applyInOrder(ctx, 'refund', ctx.event.data.object as Stripe.Refund, (current, stamp, mode) =>
    upsertMirror(ctx.tx, 'refund', refundRow(current), stamp, mode),
  );

const paymentIntent: EventHandler = (ctx) =>
  applyInOrder(ctx, 'payment_intent', ctx.event.data.object as Stripe.PaymentIntent, (current, stamp, mode) =>
    upsertMirror(ctx.tx, 'payment_intent', paymentIntentRow(current), stamp, mode),
  );

const checkoutSession: EventHandler = (ctx) =>
  applyInOrder(
    ctx,
    'checkout.session',
    ctx.event.data.object as Stripe.Checkout.Session,
    (current, stamp, mode) =>
      upsertMirror(ctx.tx, 'checkout.session', checkoutSessionRow(current), stamp, mode),
  );

export const paymentHandlers: Record<string, EventHandler> = {
  'charge.succeeded': charge,
  'charge.failed': charge,
  'charge.refunded': charge,
  'charge.updated': charge,
  'charge.captured': charge,
  'charge.refund.updated': refund,
  'refund.created': refund,
  'refund.updated': refund,
  'refund.failed': refund,
  'payment_intent.created': paymentIntent,
  'payment_intent.succeeded': paymentIntent,
  'payment_intent.payment_failed': paymentIntent,
  'payment_intent.canceled': paymentIntent,
  'payment_intent.processing': paymentIntent,
  'payment_intent.requires_action': paymentIntent,
  'checkout.session.completed': checkoutSession,
  'checkout.session.expired': checkoutSession,
  'checkout.session.async_payment_succeeded': checkoutSession,
  'checkout.session.async_payment_failed': checkoutSession,
};
