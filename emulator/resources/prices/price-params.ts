/** Declared parameters of `/v1/prices` (the shapes of the SDK's PriceCreateParams and friends). */
import { listFields } from '../../core/list.js';
import { type ParamFields, p } from '../../core/params.js';

export const INTERVALS = ['day', 'week', 'month', 'year'] as const;

export const tierParam = p.object({
  flat_amount: p.integer({ min: 0 }),
  flat_amount_decimal: p.decimal(),
  unit_amount: p.integer({ min: 0 }),
  unit_amount_decimal: p.decimal(),
  up_to: p.oneOf([p.enum(['inf']), p.integer({ min: 1 })], { required: true }),
});

export const recurringParam = p.object({
  interval: p.enum(INTERVALS, { required: true }),
  interval_count: p.integer({ min: 1 }),
  meter: p.string(),
  trial_period_days: p.integer({ min: 0, max: 730 }),
  usage_type: p.enum(['licensed', 'metered']),
});

export const customUnitAmountParam = p.object({
  enabled: p.boolean({ required: true }),
  maximum: p.integer({ min: 0 }),
  minimum: p.integer({ min: 0 }),
  preset: p.integer({ min: 0 }),
});

const taxBehavior = p.enum(['exclusive', 'inclusive', 'unspecified']);

export const createPriceFields: ParamFields = {
  currency: p.string({ required: true }),
  active: p.boolean(),
  billing_scheme: p.enum(['per_unit', 'tiered']),
  custom_unit_amount: customUnitAmountParam,
  lookup_key: p.string({ maxLength: 200 }),
  metadata: p.metadata(),
  nickname: p.string(),
  product: p.ref('product'),
  product_data: p.object({
    name: p.string({ required: true }),
    active: p.boolean(),
    id: p.string(),
    metadata: p.metadata(),
    statement_descriptor: p.string({ maxLength: 22 }),
    tax_code: p.string(),
    unit_label: p.string({ maxLength: 12 }),
  }),
  recurring: recurringParam,
  tax_behavior: taxBehavior,
  tiers: p.array(tierParam, { maxItems: 250 }),
  tiers_mode: p.enum(['graduated', 'volume']),
  transfer_lookup_key: p.boolean(),
  transform_quantity: p.object({
    divide_by: p.integer({ min: 1, required: true }),
    round: p.enum(['down', 'up'], { required: true }),
  }),
  unit_amount: p.integer({ min: 0 }),
  unit_amount_decimal: p.decimal(),
};

/** A product's `default_price_data`: the subset Stripe accepts there. */
export const defaultPriceDataParam = p.object({
  currency: p.string({ required: true }),
  custom_unit_amount: customUnitAmountParam,
  metadata: p.metadata(),
  recurring: p.object({
    interval: p.enum(INTERVALS, { required: true }),
    interval_count: p.integer({ min: 1 }),
  }),
  tax_behavior: taxBehavior,
  unit_amount: p.integer({ min: 0 }),
  unit_amount_decimal: p.decimal(),
});

export const updatePriceFields: ParamFields = {
  active: p.boolean(),
  lookup_key: p.string({ maxLength: 200, emptyable: true }),
  metadata: p.metadata(),
  nickname: p.string({ emptyable: true }),
  tax_behavior: taxBehavior,
  transfer_lookup_key: p.boolean(),
};

export const listPriceFields: ParamFields = listFields({
  active: p.boolean(),
  created: p.range(),
  currency: p.string(),
  lookup_keys: p.array(p.string(), { maxItems: 10 }),
  product: p.string(),
  recurring: p.object({
    interval: p.enum(INTERVALS),
    meter: p.string(),
    usage_type: p.enum(['licensed', 'metered']),
  }),
  type: p.enum(['one_time', 'recurring']),
});
