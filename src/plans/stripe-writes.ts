import type { Logger } from 'pino';
import { newId } from '../shared/ids.js';
import { type PriceSpec, type StripeCatalog, stripeIdempotencyKey } from '../stripe/index.js';
import type { NewPriceRow } from './repository.js';
import type { PriceInput } from './schemas.js';
import { toTiers } from './views.js';

/** Creates one price in Stripe (recurring, or one-time for a one-time plan) and returns the catalog row that mirrors it. */
export async function createStripePrice(
  catalog: StripeCatalog,
  planId: string,
  productId: string,
  price: PriceInput,
  idempotencyKey: string,
  options: { transferLookupKey?: boolean; replaces?: string } = {},
): Promise<NewPriceRow> {
  const tiers = toTiers(price.tiers);
  const spec: PriceSpec = {
    planId,
    productId,
    currency: price.currency,
    unitAmount: price.unit_amount ?? null,
    tiersMode: price.tiers_mode ?? null,
    tiers,
    interval: price.interval ?? null,
    intervalCount: price.interval_count,
    lookupKey: price.lookup_key ?? null,
    transferLookupKey: options.transferLookupKey ?? false,
  };
  const created = await catalog.createPrice(spec, idempotencyKey);
  return {
    id: newId('pp'),
    planId,
    stripePriceId: created.id,
    currency: spec.currency,
    unitAmount: spec.unitAmount,
    billingScheme: tiers ? 'tiered' : 'per_unit',
    tiersMode: spec.tiersMode,
    tiers,
    interval: spec.interval,
    intervalCount: spec.intervalCount,
    lookupKey: spec.lookupKey,
    active: true,
    replacesPriceId: options.replaces ?? null,
  };
}

/**
 * After a failed plan write, archives the Stripe objects it had already made, so nothing half-made
 * stays live. Best effort: a failure here is logged, and the objects are marked for a sync to skip.
 */
export async function abandonStripeObjects(
  catalog: StripeCatalog,
  logger: Logger,
  productId: string | null,
  priceIds: string[],
): Promise<void> {
  try {
    for (const priceId of priceIds)
      await catalog.setPriceActive(priceId, false, stripeIdempotencyKey('abandon', undefined, priceId));
    if (productId)
      await catalog.setProductActive(
        productId,
        false,
        stripeIdempotencyKey('abandon', undefined, productId),
        true,
      );
  } catch (error) {
    logger.error(
      { err: error, productId, priceIds },
      'could not archive Stripe objects of a failed plan write',
    );
  }
}
