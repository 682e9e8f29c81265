/**
 * Builds a price from create parameters, enforcing Stripe's rules on their combinations: one way
 * to give the amount, tiers only with `billing_scheme=tiered`, billing periods of at most a year,
 * custom amounts only on one-time prices. `prefix` names the parameters in errors when the price
 * comes from a product's `default_price_data`.
 */
import type Stripe from 'stripe';
import { invalidRequest, parameterMissing, parametersExclusive } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { initialMetadata } from '../../core/records.js';
import type { Wire } from '../../core/wire.js';
import type { PriceTier, StoredPrice } from '../collections.js';
import { currencyCode } from '../shared-params.js';

export type PriceInput = Omit<Wire<Stripe.PriceCreateParams>, 'product' | 'product_data' | 'expand'>;

/** Stripe's longest billing period: one year, however it is expressed. */
const MAX_INTERVAL_COUNT: Record<string, number> = { day: 365, week: 52, month: 12, year: 1 };

const named = (prefix: string, name: string) => (prefix ? `${prefix}[${name}]` : name);

/** unit_amount and its decimal twin: whichever was given, both are shown. */
function amountPair(
  amount: number | undefined,
  decimal: string | undefined,
  names: [string, string],
): { amount: number | null; decimal: string | null } {
  if (amount !== undefined && decimal !== undefined) throw parametersExclusive(names);
  if (amount !== undefined) return { amount, decimal: String(amount) };
  if (decimal !== undefined) return { amount: /^\d+$/.test(decimal) ? Number(decimal) : null, decimal };
  return { amount: null, decimal: null };
}

function buildTiers(input: PriceInput, prefix: string): PriceTier[] {
  const tiers = input.tiers ?? [];
  if (tiers.length === 0) throw parameterMissing(named(prefix, 'tiers'));
  let previous = 0;
  return tiers.map((tier, index) => {
    const param = (field: string) => named(prefix, `tiers[${index}][${field}]`);
    const last = index === tiers.length - 1;
    if (last !== (tier.up_to === 'inf')) {
      throw invalidRequest(
        'Only the last tier can have up_to set to `inf`, and the last tier must have it.',
        {
          param: param('up_to'),
        },
      );
    }
    const upTo = tier.up_to === 'inf' ? null : tier.up_to;
    if (upTo !== null && upTo <= previous) {
      throw invalidRequest('Tiers must be given in increasing order of up_to.', { param: param('up_to') });
    }
    previous = upTo ?? previous;
    const unit = amountPair(tier.unit_amount, tier.unit_amount_decimal, [
      param('unit_amount'),
      param('unit_amount_decimal'),
    ]);
    const flat = amountPair(tier.flat_amount, tier.flat_amount_decimal, [
      param('flat_amount'),
      param('flat_amount_decimal'),
    ]);
    if (unit.decimal === null && flat.decimal === null) {
      throw invalidRequest('Each tier needs an amount: unit_amount or flat_amount.', {
        param: param('unit_amount'),
      });
    }
    return {
      flat_amount: flat.amount,
      flat_amount_decimal: flat.decimal,
      unit_amount: unit.amount,
      unit_amount_decimal: unit.decimal,
      up_to: upTo,
    };
  });
}

function buildRecurring(input: PriceInput, prefix: string): StoredPrice['recurring'] {
  const recurring = input.recurring;
  if (!recurring) return null;
  const count = recurring.interval_count ?? 1;
  if (count > (MAX_INTERVAL_COUNT[recurring.interval] ?? 0)) {
    throw invalidRequest('The maximum billing period is one year: 1 year, 12 months, 52 weeks or 365 days.', {
      param: named(prefix, 'recurring[interval_count]'),
    });
  }
  const usageType = recurring.usage_type ?? 'licensed';
  if (usageType === 'metered' && !recurring.meter) throw parameterMissing(named(prefix, 'recurring[meter]'));
  return {
    interval: recurring.interval,
    interval_count: count,
    meter: recurring.meter ?? null,
    trial_period_days: recurring.trial_period_days ?? null,
    usage_type: usageType,
  };
}

export interface BuiltPrice {
  price: StoredPrice;
  tiers: PriceTier[] | null;
}

export function buildPrice(input: PriceInput, productId: string, created: number, prefix = ''): BuiltPrice {
  const scheme = input.billing_scheme ?? 'per_unit';
  const recurring = buildRecurring(input, prefix);
  const custom = input.custom_unit_amount?.enabled ? input.custom_unit_amount : null;
  let unit = { amount: null as number | null, decimal: null as string | null };
  let tiers: PriceTier[] | null = null;

  if (scheme === 'tiered') {
    if (!input.tiers_mode) throw parameterMissing(named(prefix, 'tiers_mode'));
    if (input.unit_amount !== undefined || input.unit_amount_decimal !== undefined) {
      throw invalidRequest(
        'unit_amount cannot be set when billing_scheme is tiered; give the amounts in tiers.',
        {
          param: named(prefix, 'unit_amount'),
        },
      );
    }
    if (input.transform_quantity) {
      throw invalidRequest('transform_quantity cannot be used with tiered prices.', {
        param: named(prefix, 'transform_quantity'),
      });
    }
    tiers = buildTiers(input, prefix);
  } else {
    if (input.tiers || input.tiers_mode) {
      throw invalidRequest('Tiers can only be given when billing_scheme is tiered.', {
        param: named(prefix, input.tiers ? 'tiers' : 'tiers_mode'),
      });
    }
    if (custom) {
      if (recurring) {
        throw invalidRequest('custom_unit_amount is only supported for one-time prices.', {
          param: named(prefix, 'custom_unit_amount'),
        });
      }
      if (input.unit_amount !== undefined || input.unit_amount_decimal !== undefined) {
        throw parametersExclusive([named(prefix, 'unit_amount'), named(prefix, 'custom_unit_amount')]);
      }
    } else {
      unit = amountPair(input.unit_amount, input.unit_amount_decimal, [
        named(prefix, 'unit_amount'),
        named(prefix, 'unit_amount_decimal'),
      ]);
      if (unit.decimal === null) throw parameterMissing(named(prefix, 'unit_amount'));
    }
  }

  const price: StoredPrice = {
    id: newId('price'),
    object: 'price',
    active: input.active ?? true,
    billing_scheme: scheme,
    created,
    currency: currencyCode(input.currency, named(prefix, 'currency')),
    custom_unit_amount: custom
      ? { maximum: custom.maximum ?? null, minimum: custom.minimum ?? null, preset: custom.preset ?? null }
      : null,
    livemode: false,
    lookup_key: input.lookup_key ?? null,
    metadata: initialMetadata(input.metadata as Record<string, string> | undefined),
    nickname: input.nickname ?? null,
    product: productId,
    recurring,
    tax_behavior: input.tax_behavior ?? 'unspecified',
    tiers_mode: scheme === 'tiered' ? (input.tiers_mode ?? null) : null,
    transform_quantity: input.transform_quantity
      ? { divide_by: input.transform_quantity.divide_by, round: input.transform_quantity.round }
      : null,
    type: recurring ? 'recurring' : 'one_time',
    unit_amount: unit.amount,
    unit_amount_decimal: unit.decimal,
  };
  return { price, tiers };
}
