import { lockObject } from '../../mirror/locks.js';
import type { CatalogSync } from '../../sync/catalog.js';
import { type EventHandler, on, type TypedHandler } from './context.js';

/**
 * Product and price events keep the plan catalog equal to Stripe when someone edits it in the
 * Dashboard. Products order themselves by their `updated` time; prices have none, so a price event
 * is a signal to read the price again.
 */
export function catalogHandlers(
  sync: CatalogSync,
  invalidateCache: () => Promise<void>,
): Record<string, EventHandler> {
  const product: TypedHandler<'product.created' | 'product.updated'> = async (ctx, event) => {
    const result = await sync.applyProduct(event.data.object, ctx.tx, {
      adoptOwn: false,
    });
    ctx.afterCommit(invalidateCache);
    return result === 'skipped' ? 'stale' : 'applied';
  };
  const productDeleted: TypedHandler<'product.deleted'> = async (ctx, event) => {
    await sync.removeProduct(event.data.object.id, ctx.tx);
    ctx.afterCommit(invalidateCache);
    return 'applied';
  };
  const price: TypedHandler<'price.created' | 'price.updated'> = async (ctx, event) => {
    const fetched = await ctx.objects.retrieve('price', event.data.object.id);
    if (!fetched) return 'noop';
    const current = fetched.object;
    const productId = typeof current.product === 'string' ? current.product : current.product.id;
    // A price's event may be applied before its product's: wait for any event about the product,
    // and if the catalog still lacks it, bring the product in first so the price has a plan.
    await lockObject(ctx.tx, productId);
    if (!(await sync.knowsProduct(productId, ctx.tx))) {
      const product = await ctx.objects.retrieve('product', productId);
      if (product) await sync.applyProduct(product.object, ctx.tx, { adoptOwn: false });
    }
    const result = await sync.applyPrice(current, ctx.tx);
    ctx.afterCommit(invalidateCache);
    return result === 'skipped' ? 'noop' : 'applied';
  };
  const priceDeleted: TypedHandler<'price.deleted'> = async (ctx, event) => {
    await sync.deactivatePrice(event.data.object.id, ctx.tx);
    ctx.afterCommit(invalidateCache);
    return 'applied';
  };
  return {
    ...on(['product.created', 'product.updated'], product),
    ...on(['product.deleted'], productDeleted),
    ...on(['price.created', 'price.updated'], price),
    ...on(['price.deleted'], priceDeleted),
  };
}
