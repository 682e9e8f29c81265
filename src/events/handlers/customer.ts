import { upsertMirror } from '../../mirror/repository.js';
import { customerRow, paymentMethodRow } from '../../stripe/mapping.js';
import { applyInOrder, type EventHandler, on, type TypedHandler } from './context.js';

const customer: TypedHandler<'customer.created' | 'customer.updated' | 'customer.deleted'> = (ctx, event) => {
  const snapshot = event.data.object;
  // A deleted customer keeps its row (billing history outlives it in Stripe), marked deleted.
  const deleted = event.type === 'customer.deleted';
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

const paymentMethod: TypedHandler<
  'payment_method.attached' | 'payment_method.detached' | 'payment_method.updated'
> = (ctx, event) =>
  applyInOrder(ctx, 'payment_method', event.data.object, (current, stamp, mode) =>
    upsertMirror(ctx.tx, 'payment_method', paymentMethodRow(current), stamp, mode),
  );

export const customerHandlers: Record<string, EventHandler> = {
  ...on(['customer.created', 'customer.updated', 'customer.deleted'], customer),
  ...on(['payment_method.attached', 'payment_method.detached', 'payment_method.updated'], paymentMethod),
};
