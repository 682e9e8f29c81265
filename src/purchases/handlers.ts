import type { Cause } from '../app-webhooks/announcements.js';
import type { EventHandler } from '../events/handlers/context.js';
import { fulfilPurchase, type PurchaseDeps, refundPurchases } from './fulfilment.js';

/** Checkout Session events that may complete a paid one-time purchase. */
const COMPLETING = ['checkout.session.completed', 'checkout.session.async_payment_succeeded'] as const;
/** Charge events that may say a purchase's charge is refunded in full. */
const REFUNDING = ['charge.refunded', 'charge.updated'] as const;

/**
 * Purchases follow the mirror's own handlers of these events: the session or the charge is
 * mirrored first, then the purchase is recorded (or refunded) in the same transaction. Whatever
 * the mirror made of a redelivered or stale event, the purchase steps are idempotent themselves.
 */
export function withPurchases(handlers: Map<string, EventHandler>, deps: PurchaseDeps): void {
  for (const type of COMPLETING) {
    const mirror = handlers.get(type)!;
    handlers.set(type, async (ctx) => {
      const result = await mirror(ctx);
      const { event } = ctx;
      if (event.type !== type || event.data.object.object !== 'checkout.session') return result;
      const cause: Cause = { key: event.id, at: ctx.eventAt };
      const purchase = await fulfilPurchase(ctx.tx, deps, event.data.object, cause);
      return purchase ? 'applied' : result;
    });
  }
  for (const type of REFUNDING) {
    const mirror = handlers.get(type)!;
    handlers.set(type, async (ctx) => {
      const result = await mirror(ctx);
      const { event } = ctx;
      if (event.type !== type || event.data.object.object !== 'charge') return result;
      const refunded = await refundPurchases(ctx.tx, deps, event.data.object, {
        key: event.id,
        at: ctx.eventAt,
      });
      return refunded > 0 ? 'applied' : result;
    });
  }
}
