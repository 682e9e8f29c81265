/** Creating product records, shared by `POST /v1/products` and a price's `product_data`. */
import type Stripe from 'stripe';
import type { EmulatorContext } from '../../core/context.js';
import { resourceAlreadyExists } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { initialMetadata, type MetadataUpdate } from '../../core/records.js';
import { productsOf } from '../collections.js';

export interface ProductInput {
  name: string;
  id?: string;
  active?: boolean;
  description?: string;
  images?: string[];
  marketing_features?: Array<{ name: string }>;
  metadata?: MetadataUpdate | null;
  package_dimensions?: Stripe.Product.PackageDimensions;
  shippable?: boolean;
  statement_descriptor?: string;
  tax_code?: string;
  tax_details?: { performance_location?: string; tax_code?: string | null } | null;
  type?: string;
  unit_label?: string;
  url?: string;
}

/** `tax_details` mirrors `tax_code` and adds where the service is performed. */
export function taxDetails(
  taxCode: string | null | undefined,
  details: ProductInput['tax_details'],
): Stripe.Product.TaxDetails | null {
  const code = taxCode ?? details?.tax_code ?? null;
  const location = details?.performance_location ?? null;
  return code || location ? { performance_location: location, tax_code: code } : null;
}

export function newProduct(ctx: EmulatorContext, input: ProductInput, prefix = ''): Stripe.Product {
  const products = productsOf(ctx.store);
  if (input.id !== undefined && products.has(input.id)) {
    throw resourceAlreadyExists('Product already exists.', prefix ? `${prefix}[id]` : 'id');
  }
  const now = ctx.clock.now();
  return {
    id: input.id ?? newId('prod'),
    object: 'product',
    active: input.active ?? true,
    created: now,
    default_price: null,
    description: input.description ?? null,
    images: input.images ?? [],
    livemode: false,
    marketing_features: input.marketing_features?.map((feature) => ({ name: feature.name })) ?? [],
    metadata: initialMetadata(input.metadata),
    name: input.name,
    package_dimensions: input.package_dimensions ?? null,
    shippable: input.shippable ?? null,
    statement_descriptor: input.statement_descriptor ?? null,
    tax_code: input.tax_code ?? input.tax_details?.tax_code ?? null,
    tax_details: taxDetails(input.tax_code, input.tax_details),
    type: (input.type as Stripe.Product.Type | undefined) ?? 'service',
    unit_label: input.unit_label ?? null,
    updated: now,
    url: input.url ?? null,
  };
}

/** Stores and announces a new product. */
export function createProductRecord(ctx: EmulatorContext, input: ProductInput, prefix = ''): Stripe.Product {
  const product = newProduct(ctx, input, prefix);
  productsOf(ctx.store).save(product);
  ctx.events.emit('product.created', product);
  return product;
}
