/**
 * Saving prices: lookup keys are unique across prices, and `transfer_lookup_key` moves a key from
 * the price holding it to this one (an update of the old price, with its event).
 */
import type { EmulatorContext } from '../../core/context.js';
import { previousAttributes } from '../../core/diff.js';
import { invalidRequest } from '../../core/errors.js';
import { pricesOf, priceTiersOf, type StoredPrice } from '../collections.js';
import { type BuiltPrice, buildPrice, type PriceInput } from './price-builder.js';

/** Frees `lookupKey` for `priceId`, or refuses when another price holds it and no transfer was asked. */
export function claimLookupKey(
  ctx: EmulatorContext,
  lookupKey: string,
  priceId: string,
  transfer: boolean,
  param = 'lookup_key',
): void {
  const prices = pricesOf(ctx.store);
  const holder = prices.find((price) => price.lookup_key === lookupKey && price.id !== priceId);
  if (!holder) return;
  if (!transfer) {
    throw invalidRequest(
      `A price (\`${holder.id}\`) already uses that lookup key. Pass transfer_lookup_key=true to move it to this price.`,
      { param },
    );
  }
  const before = structuredClone(holder);
  holder.lookup_key = null;
  prices.save(holder);
  ctx.events.emit('price.updated', holder, { previousAttributes: previousAttributes(before, holder) });
}

/** Stores and announces a price built by `buildPrice`. */
export function storePrice(
  ctx: EmulatorContext,
  { price, tiers }: BuiltPrice,
  transferLookupKey = false,
): StoredPrice {
  if (price.lookup_key) claimLookupKey(ctx, price.lookup_key, price.id, transferLookupKey);
  pricesOf(ctx.store).save(price);
  if (tiers) priceTiersOf(ctx.store).save({ id: price.id, tiers });
  ctx.events.emit('price.created', price);
  return price;
}

/** Validates, stores and announces a new price of `productId`. */
export function createPrice(ctx: EmulatorContext, input: PriceInput, productId: string): StoredPrice {
  return storePrice(ctx, buildPrice(input, productId, ctx.clock.now()), input.transfer_lookup_key ?? false);
}
