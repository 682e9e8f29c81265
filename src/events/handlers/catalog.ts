import type Stripe from 'stripe';
import { lockObject } from '../../mirror/locks.js';
import type { CatalogSync } from '../../sync/catalog.js';
import { type EventHandler, type HandlerContext, on, type TypedHandler } from './context.js';

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
    const result = await importPrice(ctx, sync, invalidateCache, event.data.object.id);
    return result === null || result === 'skipped' ? 'noop' : 'applied';
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

/**
 * Reads a price again from Stripe and files it in the catalog (see `fileInCatalog`): Stripe is the
 * truth for it, and a price has no `updated` time to order its events by. Null when Stripe no
 * longer has the price.
 */
export async function importPrice(
  ctx: HandlerContext,
  sync: CatalogSync,
  invalidateCache: () => Promise<void>,
  priceId: string,
): Promise<'created' | 'updated' | 'skipped' | null> {
  const fetched = await ctx.objects.retrieve('price', priceId);
  if (!fetched) return null;
  return fileInCatalog(ctx, sync, invalidateCache, fetched.object);
}

/** The product a price belongs to. */
export const productOf = (price: Stripe.Price): string =>
  typeof price.product === 'string' ? price.product : price.product.id;

/**
 * Files a price in the catalog. Its event may be applied before its product's, and a
 * subscription's before its price's: this waits for any event about the product and, if the
 * catalog still lacks the product, brings it in first so that the price has a plan. 'skipped' when
 * the catalog takes neither (a product of Recur's own it does not know is left to the plan service
 * or a backfill: see `CatalogSync.applyProduct`).
 */
export async function fileInCatalog(
  ctx: HandlerContext,
  sync: CatalogSync,
  invalidateCache: () => Promise<void>,
  price: Stripe.Price,
): Promise<'created' | 'updated' | 'skipped'> {
  const productId = productOf(price);
  await lockObject(ctx.tx, productId);
  if (!(await sync.knowsProduct(productId, ctx.tx))) {
    // Unknown until now, the product is in the catalog only if this applying made it.
    const product = await ctx.objects.retrieve('product', productId);
    if (!product) return 'skipped';
    if ((await sync.applyProduct(product.object, ctx.tx, { adoptOwn: false })) !== 'created')
      return 'skipped';
  }
  const result = await sync.applyPrice(price, ctx.tx);
  ctx.afterCommit(invalidateCache);
  return result;
}
