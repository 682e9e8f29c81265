/** `/v1/prices`: create, retrieve, update (never the amount: prices are immutable), list, search. */
import type Stripe from 'stripe';
import type { EmulatorContext, EmulatorModule } from '../../core/context.js';
import { onlyChanged, previousAttributes } from '../../core/diff.js';
import { invalidRequest, parameterMissing, parametersExclusive } from '../../core/errors.js';
import { inRange, type PaginationParams, paginate } from '../../core/list.js';
import type { RangeFilter } from '../../core/params.js';
import { mergeMetadata, mustGet } from '../../core/records.js';
import { type SearchParams, searchFields, searchResult } from '../../core/search.js';
import type { Wire } from '../../core/wire.js';
import { pricesOf, productsOf, type StoredPrice } from '../collections.js';
import { requireProduct, tiersOf } from '../lookups.js';
import { createProductRecord } from '../products/product-store.js';
import { createPriceFields, listPriceFields, updatePriceFields } from './price-params.js';
import { claimLookupKey, createPrice } from './price-store.js';

interface PriceListParams extends PaginationParams {
  active?: boolean;
  created?: number | RangeFilter;
  currency?: string;
  lookup_keys?: string[];
  product?: string;
  recurring?: { interval?: string; meter?: string; usage_type?: string };
  type?: string;
}

function install(ctx: EmulatorContext): void {
  const prices = pricesOf(ctx.store);

  ctx.expand.reference('price', 'product', 'product');
  ctx.expand.define('price', 'tiers', (_value, price) =>
    price.billing_scheme === 'tiered' ? (tiersOf(ctx.store, String(price.id)) ?? []) : undefined,
  );

  ctx.route<Wire<Stripe.PriceCreateParams>>({
    method: 'POST',
    path: '/v1/prices',
    params: createPriceFields,
    handler: ({ params }) => {
      const { product, product_data: productData, ...input } = params;
      if (product && productData) throw parametersExclusive(['product', 'product_data']);
      if (!product && !productData) throw parameterMissing('product');
      const productId = product
        ? requireProduct(ctx.store, product).id
        : createProductRecord(ctx, productData!, 'product_data').id;
      return createPrice(ctx, input, productId);
    },
  });

  ctx.route({
    method: 'GET',
    path: '/v1/prices/:id',
    handler: ({ pathParams }) => mustGet(prices, pathParams.id!, 'price'),
  });

  ctx.route<Wire<Stripe.PriceUpdateParams>>({
    method: 'POST',
    path: '/v1/prices/:id',
    params: updatePriceFields,
    handler: ({ pathParams, params }) => {
      const price = mustGet(prices, pathParams.id!, 'price');
      const before = structuredClone(price);
      if (params.active === false && price.active) {
        const product = productsOf(ctx.store).get(String(price.product));
        if (product?.default_price === price.id) {
          throw invalidRequest(
            'This price cannot be archived because it is the default price of its product. Set another default_price on the product first.',
            { param: 'active' },
          );
        }
      }
      if (params.lookup_key)
        claimLookupKey(ctx, params.lookup_key, price.id, params.transfer_lookup_key ?? false);
      const updated: StoredPrice = {
        ...price,
        ...(params.active !== undefined && { active: params.active }),
        ...(params.lookup_key !== undefined && { lookup_key: params.lookup_key || null }),
        ...(params.nickname !== undefined && { nickname: params.nickname || null }),
        ...(params.tax_behavior !== undefined && { tax_behavior: params.tax_behavior }),
        metadata: mergeMetadata(price.metadata, params.metadata),
      };
      prices.save(updated);
      const previous = previousAttributes(before, updated);
      if (!onlyChanged(previous, []))
        ctx.events.emit('price.updated', updated, { previousAttributes: previous });
      return updated;
    },
  });

  ctx.route<PriceListParams>({
    method: 'GET',
    path: '/v1/prices',
    params: listPriceFields,
    handler: ({ params }) => {
      const lookupKeys = params.lookup_keys ? new Set(params.lookup_keys) : null;
      const currency = params.currency?.toLowerCase();
      const matches = (price: StoredPrice) =>
        (params.active === undefined || price.active === params.active) &&
        (!currency || price.currency === currency) &&
        (!params.product || price.product === params.product) &&
        (!params.type || price.type === params.type) &&
        (!lookupKeys || (price.lookup_key !== null && lookupKeys.has(price.lookup_key))) &&
        (!params.recurring?.interval || price.recurring?.interval === params.recurring.interval) &&
        (!params.recurring?.usage_type || price.recurring?.usage_type === params.recurring.usage_type) &&
        (!params.recurring?.meter || price.recurring?.meter === params.recurring.meter) &&
        inRange(price.created, params.created);
      return paginate(prices.newestFirst(), params, { url: '/v1/prices', noun: 'price', matches });
    },
  });

  ctx.route<SearchParams>({
    method: 'GET',
    path: '/v1/prices/search',
    params: searchFields,
    handler: ({ params }) =>
      searchResult(prices.newestFirst(), params, {
        url: '/v1/prices/search',
        resource: 'prices',
        fields: {
          active: (price) => price.active,
          created: (price) => price.created,
          currency: (price) => price.currency,
          lookup_key: (price) => price.lookup_key,
          product: (price) => String(price.product),
          type: (price) => price.type,
        },
      }),
  });
}

export const pricesModule: EmulatorModule = { name: 'prices', install };
