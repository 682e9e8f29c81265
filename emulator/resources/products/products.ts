/** `/v1/products`: create (optionally with a default price), retrieve, update, list, search, delete. */
import type Stripe from 'stripe';
import type { EmulatorContext, EmulatorModule } from '../../core/context.js';
import { onlyChanged, previousAttributes } from '../../core/diff.js';
import { invalidRequest } from '../../core/errors.js';
import { inRange, type PaginationParams, paginate } from '../../core/list.js';
import type { RangeFilter } from '../../core/params.js';
import { deletedObject, mergeMetadata, mustGet } from '../../core/records.js';
import { type SearchParams, searchFields, searchResult } from '../../core/search.js';
import type { Wire } from '../../core/wire.js';
import { pricesOf, productsOf } from '../collections.js';
import { requirePrice } from '../lookups.js';
import { buildPrice } from '../prices/price-builder.js';
import { storePrice } from '../prices/price-store.js';
import { createProductFields, listProductFields, updateProductFields } from './product-params.js';
import { newProduct, type ProductInput, taxDetails } from './product-store.js';

type ProductCreate = ProductInput & {
  default_price_data?: Wire<Stripe.ProductCreateParams.DefaultPriceData>;
};
type ProductUpdate = Omit<Wire<Stripe.ProductUpdateParams>, 'metadata'> & {
  metadata?: Record<string, string> | null;
};

interface ProductListParams extends PaginationParams {
  active?: boolean;
  created?: number | RangeFilter;
  ids?: string[];
  shippable?: boolean;
  type?: string;
  url?: string;
}

function install(ctx: EmulatorContext): void {
  const products = productsOf(ctx.store);

  ctx.expand.reference('product', 'default_price', 'price');

  ctx.route<ProductCreate>({
    method: 'POST',
    path: '/v1/products',
    params: createProductFields,
    handler: ({ params }) => {
      const { default_price_data: priceData, ...input } = params;
      const product = newProduct(ctx, input);
      // The default price is validated before anything is stored, so a bad price leaves no product.
      const built = priceData
        ? buildPrice(priceData, product.id, product.created, 'default_price_data')
        : null;
      if (built) product.default_price = built.price.id;
      products.save(product);
      ctx.events.emit('product.created', product);
      if (built) storePrice(ctx, built);
      return product;
    },
  });

  ctx.route({
    method: 'GET',
    path: '/v1/products/:id',
    handler: ({ pathParams }) => mustGet(products, pathParams.id!, 'product'),
  });

  ctx.route<ProductUpdate>({
    method: 'POST',
    path: '/v1/products/:id',
    params: updateProductFields,
    handler: ({ pathParams, params }) => {
      const product = mustGet(products, pathParams.id!, 'product');
      if (params.default_price !== undefined) {
        const price = requirePrice(ctx.store, params.default_price, 'default_price');
        if (price.product !== product.id) {
          throw invalidRequest('The default price must be a price of this product.', {
            param: 'default_price',
          });
        }
        if (!price.active) {
          throw invalidRequest('The price specified is inactive. This field only accepts active prices.', {
            param: 'default_price',
          });
        }
      }
      const { metadata, tax_code: taxCode, tax_details: details, ...changes } = params;
      const updated: Stripe.Product = { ...product };
      for (const [key, value] of Object.entries(changes)) {
        if (value !== undefined) (updated as unknown as Record<string, unknown>)[key] = value;
      }
      if (params.images === null) updated.images = [];
      if (params.marketing_features === null) updated.marketing_features = [];
      if (taxCode !== undefined || details !== undefined) {
        updated.tax_details =
          details === null ? null : taxDetails(taxCode ?? (product.tax_code as string | null), details);
        updated.tax_code = updated.tax_details?.tax_code ?? null;
      }
      updated.metadata = mergeMetadata(product.metadata, metadata);
      const previous = previousAttributes(product, { ...updated, updated: product.updated });
      if (onlyChanged(previous, [])) return product;
      updated.updated = ctx.clock.now();
      products.save(updated);
      ctx.events.emit('product.updated', updated, {
        previousAttributes: previousAttributes(product, updated),
      });
      return updated;
    },
  });

  ctx.route<ProductListParams>({
    method: 'GET',
    path: '/v1/products',
    params: listProductFields,
    handler: ({ params }) => {
      const ids = params.ids ? new Set(params.ids) : null;
      const matches = (product: Stripe.Product) =>
        (params.active === undefined || product.active === params.active) &&
        (!ids || ids.has(product.id)) &&
        (params.shippable === undefined || product.shippable === params.shippable) &&
        (!params.type || product.type === params.type) &&
        (!params.url || product.url === params.url) &&
        inRange(product.created, params.created);
      return paginate(products.newestFirst(), params, { url: '/v1/products', noun: 'product', matches });
    },
  });

  ctx.route<SearchParams>({
    method: 'GET',
    path: '/v1/products/search',
    params: searchFields,
    handler: ({ params }) =>
      searchResult(products.newestFirst(), params, {
        url: '/v1/products/search',
        resource: 'products',
        fields: {
          active: (product) => product.active,
          created: (product) => product.created,
          description: (product) => product.description,
          name: (product) => product.name,
          shippable: (product) => product.shippable,
          url: (product) => product.url,
        },
      }),
  });

  ctx.route({
    method: 'DELETE',
    path: '/v1/products/:id',
    handler: ({ pathParams }) => {
      const product = mustGet(products, pathParams.id!, 'product');
      if (pricesOf(ctx.store).find((price) => price.product === product.id)) {
        throw invalidRequest(
          'This product cannot be deleted because it has one or more user-created prices.',
          {
            param: 'id',
          },
        );
      }
      products.delete(product.id);
      ctx.events.emit('product.deleted', product);
      return deletedObject(product.id, 'product');
    },
  });
}

export const productsModule: EmulatorModule = { name: 'products', install };
