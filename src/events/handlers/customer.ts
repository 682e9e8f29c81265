import type Stripe from 'stripe';
import { upsertMirror } from '../../mirror/repository.js';
import { customerRow, paymentMethodRow } from '../../stripe/mapping.js';
import { applyInOrder, type EventHandler } from './context.js';

const customer: EventHandler = (ctx) => {
  const snapshot = ctx.event.data.object as Stripe.Customer;
  // A deleted customer keeps its row (billing history outlives it in Stripe), marked deleted.
  const deleted = ctx.event.type === 'customer.deleted';
  return applyInOrder(ctx, 'customer', snapshot, (current, stamp, mode) =>
    upsertMirror(
      ctx.tx,
      'customer',
      {
        createdAt: new Date(snapshot.created * 1000),
        ...customerRow(current, ctx.cipher),
        ...(deleted ? { deleted: true } : {}),
      },
      stamp,
      mode,
    ),
  );
};

const paymentMethod: EventHandler = (ctx) =>
  applyInOrder(ctx, 'payment_method', ctx.event.data.object as Stripe.PaymentMethod, (current, stamp, mode) =>
    upsertMirror(ctx.tx, 'payment_method', paymentMethodRow(current), stamp, mode),
  );

export const customerHandlers: Record<string, EventHandler> = {
  'customer.created': customer,
  'customer.updated': customer,
  'customer.deleted': customer,
  'payment_method.attached': paymentMethod,
  'payment_method.detached': paymentMethod,
  'payment_method.updated': paymentMethod,
};
