import type Stripe from 'stripe';
import { lockObject } from '../../mirror/locks.js';
import type { CatalogSync } from '../../sync/catalog.js';
import type { EventHandler } from './context.js';

/**
 * Product and price events keep the plan catalog equal to Stripe when someone edits it in the
 * Dashboard. Products order themselves by their `updated` time; prices have none, so a price event
 * is a signal to read the price again.
 */
export function catalogHandlers(
  sync: CatalogSync,
  invalidateCache: () => Promise<void>,
): Record<string, EventHandler> {
  const product: EventHandler = async (ctx) => {
    const result = await sync.applyProduct(ctx.event.data.object as Stripe.Product, ctx.tx, {
      adoptOwn: false,
    });
    ctx.afterCommit(invalidateCache);
    return result === 'skipped' ? 'stale' : 'applied';
  };
  const productDeleted: EventHandler = async (ctx) => {
    await sync.removeProduct((ctx.event.data.object as Stripe.Product).id, ctx.tx);
    ctx.afterCommit(invalidateCache);
    return 'applied';
  };
  const price: EventHandler = async (ctx) => {
    const fetched = await ctx.objects.retrieve('price', (ctx.event.data.object as Stripe.Price).id);
    if (!fetched) return 'noop';
    const current = fetched.object as Stripe.Price;
    const productId = typeof current.product === 'string' ? current.product : current.product.id;
    // A price's event may be applied before its product's: wait for any event about the product,
    // and if the catalog still lacks it, bring the product in first so the price has a plan.
    await lockObject(ctx.tx, productId);
    if (!(await sync.knowsProduct(productId, ctx.tx))) {
      const product = await ctx.objects.retrieve('product', productId);
      if (product) await sync.applyProduct(product.object as Stripe.Product, ctx.tx, { adoptOwn: false });
    }
    const result = await sync.applyPrice(current, ctx.tx);
    ctx.afterCommit(invalidateCache);
    return result === 'skipped' ? 'noop' : 'applied';
  };
  const priceDeleted: EventHandler = async (ctx) => {
    await sync.deactivatePrice((ctx.event.data.object as Stripe.Price).id, ctx.tx);
    ctx.afterCommit(invalidateCache);
    return 'applied';
  };
  return {
    'product.created': product,
    'product.updated': product,
    'product.deleted': productDeleted,
    'price.created': price,
    'price.updated': price,
    'price.deleted': priceDeleted,
  };
}
