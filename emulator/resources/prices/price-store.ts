/**
 * Saving prices: lookup keys are unique across prices, and `transfer_lookup_key` moves a key from
 * the price holding it to this one (an update of the old price, with its event).
 */

import { metersOf } from '../../billing/meters/meter-store.js';
import type { EmulatorContext } from '../../core/context.js';
import { previousAttributes } from '../../core/diff.js';
import { invalidRequest, referenceMissing } from '../../core/errors.js';
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

/**
 * A metered price names the active meter that measures its usage: since API version 2025-03-31
 * (basil) `recurring.meter` is required for `usage_type=metered`
 * (https://docs.stripe.com/changelog/basil/2025-03-31/deprecate-legacy-usage-based-billing), and a
 * meter goes only with a metered price.
 */
function assertMeter(ctx: EmulatorContext, input: PriceInput): void {
  const recurring = input.recurring;
  if (!recurring?.meter) return;
  if ((recurring.usage_type ?? 'licensed') !== 'metered') {
    throw invalidRequest('A meter can only be set on a price with `recurring[usage_type]=metered`.', {
      param: 'recurring[meter]',
    });
  }
  const meter = metersOf(ctx.store).get(recurring.meter);
  if (!meter) throw referenceMissing('billing meter', recurring.meter, 'recurring[meter]');
  if (meter.status !== 'active') {
    throw invalidRequest(`The meter \`${meter.id}\` is inactive. Metered prices need an active meter.`, {
      param: 'recurring[meter]',
    });
  }
}

/** Validates, stores and announces a new price of `productId`. */
export function createPrice(ctx: EmulatorContext, input: PriceInput, productId: string): StoredPrice {
  const built = buildPrice(input, productId, ctx.clock.now());
  assertMeter(ctx, input);
  return storePrice(ctx, built, input.transfer_lookup_key ?? false);
}
