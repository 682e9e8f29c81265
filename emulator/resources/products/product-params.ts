/** Declared parameters of `/v1/products`. */
import { listFields } from '../../core/list.js';
import { type ParamFields, p } from '../../core/params.js';
import { defaultPriceDataParam } from '../prices/price-params.js';

const packageDimensions = (emptyable: boolean) =>
  p.object(
    {
      height: p.number({ min: 0, required: true }),
      length: p.number({ min: 0, required: true }),
      weight: p.number({ min: 0, required: true }),
      width: p.number({ min: 0, required: true }),
    },
    { emptyable },
  );

const taxDetails = p.object(
  { performance_location: p.string(), tax_code: p.string({ emptyable: true }) },
  { emptyable: true },
);

export const createProductFields: ParamFields = {
  name: p.string({ required: true }),
  active: p.boolean(),
  default_price_data: defaultPriceDataParam,
  description: p.string({ maxLength: 40000 }),
  id: p.string(),
  images: p.array(p.string(), { maxItems: 8 }),
  marketing_features: p.array(p.object({ name: p.string({ required: true, maxLength: 80 }) }), {
    maxItems: 15,
  }),
  metadata: p.metadata(),
  package_dimensions: packageDimensions(false),
  shippable: p.boolean(),
  statement_descriptor: p.string({ maxLength: 22 }),
  tax_code: p.string(),
  tax_details: taxDetails,
  type: p.enum(['good', 'service']),
  unit_label: p.string({ maxLength: 12 }),
  url: p.string(),
};

export const updateProductFields: ParamFields = {
  active: p.boolean(),
  default_price: p.ref('price'),
  description: p.string({ emptyable: true, maxLength: 40000 }),
  images: p.array(p.string(), { maxItems: 8, emptyable: true }),
  marketing_features: p.array(p.object({ name: p.string({ required: true, maxLength: 80 }) }), {
    maxItems: 15,
    emptyable: true,
  }),
  metadata: p.metadata(),
  name: p.string(),
  package_dimensions: packageDimensions(true),
  shippable: p.boolean(),
  statement_descriptor: p.string({ maxLength: 22 }),
  tax_code: p.string({ emptyable: true }),
  tax_details: taxDetails,
  unit_label: p.string({ emptyable: true, maxLength: 12 }),
  url: p.string({ emptyable: true }),
};

export const listProductFields: ParamFields = listFields({
  active: p.boolean(),
  created: p.range(),
  ids: p.array(p.string(), { maxItems: 100 }),
  shippable: p.boolean(),
  type: p.enum(['good', 'service']),
  url: p.string(),
});
