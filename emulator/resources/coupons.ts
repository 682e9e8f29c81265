/** `/v1/coupons`: percent or amount off, for once, some months or forever. */
import type Stripe from 'stripe';
import type { EmulatorContext, EmulatorModule } from '../core/context.js';
import { onlyChanged, previousAttributes } from '../core/diff.js';
import {
  invalidRequest,
  parameterMissing,
  parametersExclusive,
  resourceAlreadyExists,
} from '../core/errors.js';
import { newCouponId } from '../core/ids.js';
import { inRange, listFields, type PaginationParams, paginate } from '../core/list.js';
import { p, type RangeFilter } from '../core/params.js';
import {
  deletedObject,
  initialMetadata,
  type MetadataUpdate,
  mergeMetadata,
  mustGet,
} from '../core/records.js';
import { couponsOf } from './collections.js';
import { requireProduct } from './lookups.js';
import { withCurrentValidity } from './redemptions.js';
import { currencyCode } from './shared-params.js';

interface CouponCreate {
  id?: string;
  amount_off?: number;
  percent_off?: number;
  currency?: string;
  duration?: Stripe.Coupon.Duration;
  duration_in_months?: number;
  max_redemptions?: number;
  redeem_by?: number;
  name?: string;
  metadata?: MetadataUpdate | null;
  applies_to?: { products?: string[] };
}

interface AppliesTo {
  id: string;
  products: string[];
}

function checkCreate(params: CouponCreate, now: number): void {
  if (params.amount_off !== undefined && params.percent_off !== undefined) {
    throw parametersExclusive(['amount_off', 'percent_off']);
  }
  if (params.amount_off === undefined && params.percent_off === undefined) {
    throw invalidRequest('You must pass either amount_off or percent_off.', { param: 'percent_off' });
  }
  if (params.percent_off !== undefined && !(params.percent_off > 0 && params.percent_off <= 100)) {
    throw invalidRequest('Invalid percent_off: must be greater than 0 and at most 100.', {
      param: 'percent_off',
    });
  }
  if (params.amount_off !== undefined && !params.currency) throw parameterMissing('currency');
  const duration = params.duration ?? 'once';
  if (duration === 'repeating' && params.duration_in_months === undefined) {
    throw parameterMissing('duration_in_months');
  }
  if (duration !== 'repeating' && params.duration_in_months !== undefined) {
    throw invalidRequest('duration_in_months can only be set when duration is repeating.', {
      param: 'duration_in_months',
    });
  }
  if (params.redeem_by !== undefined && params.redeem_by <= now) {
    throw invalidRequest('Invalid redeem_by: must be in the future.', { param: 'redeem_by' });
  }
}

function install(ctx: EmulatorContext): void {
  const coupons = couponsOf(ctx.store);
  const appliesTo = ctx.store.collection<AppliesTo>('coupon_applies_to');

  // Shown only through expand[]=applies_to, as Stripe does.
  ctx.expand.define('coupon', 'applies_to', (_value, coupon) => {
    const record = appliesTo.get(String(coupon.id));
    return record ? { products: record.products } : undefined;
  });

  const current = (coupon: Stripe.Coupon) => withCurrentValidity(coupon, ctx.clock.now());

  ctx.route<CouponCreate>({
    method: 'POST',
    path: '/v1/coupons',
    params: {
      id: p.string(),
      amount_off: p.integer({ min: 1 }),
      percent_off: p.number(),
      currency: p.string(),
      duration: p.enum(['forever', 'once', 'repeating']),
      duration_in_months: p.integer({ min: 1 }),
      max_redemptions: p.integer({ min: 1 }),
      redeem_by: p.timestamp(),
      name: p.string({ maxLength: 40 }),
      metadata: p.metadata(),
      applies_to: p.object({ products: p.array(p.string()) }),
    },
    handler: ({ params }) => {
      const now = ctx.clock.now();
      checkCreate(params, now);
      if (params.id !== undefined && coupons.has(params.id)) {
        throw resourceAlreadyExists('Coupon already exists.', 'id');
      }
      const products = params.applies_to?.products ?? [];
      for (const [index, id] of products.entries())
        requireProduct(ctx.store, id, `applies_to[products][${index}]`);
      const coupon: Stripe.Coupon = {
        id: params.id ?? newCouponId(),
        object: 'coupon',
        amount_off: params.amount_off ?? null,
        created: now,
        currency: params.currency ? currencyCode(params.currency) : null,
        duration: params.duration ?? 'once',
        duration_in_months: params.duration_in_months ?? null,
        livemode: false,
        max_redemptions: params.max_redemptions ?? null,
        metadata: initialMetadata(params.metadata),
        name: params.name ?? null,
        percent_off: params.percent_off ?? null,
        redeem_by: params.redeem_by ?? null,
        times_redeemed: 0,
        valid: true,
      };
      coupons.save(coupon);
      if (params.applies_to) appliesTo.save({ id: coupon.id, products });
      ctx.events.emit('coupon.created', coupon);
      return coupon;
    },
  });

  ctx.route({
    method: 'GET',
    path: '/v1/coupons/:id',
    handler: ({ pathParams }) => current(mustGet(coupons, pathParams.id!, 'coupon')),
  });

  ctx.route<{ name?: string | null; metadata?: MetadataUpdate | null }>({
    method: 'POST',
    path: '/v1/coupons/:id',
    params: { name: p.string({ emptyable: true, maxLength: 40 }), metadata: p.metadata() },
    handler: ({ pathParams, params }) => {
      const coupon = mustGet(coupons, pathParams.id!, 'coupon');
      const updated: Stripe.Coupon = {
        ...coupon,
        ...(params.name !== undefined && { name: params.name }),
        metadata: mergeMetadata(coupon.metadata, params.metadata),
      };
      const previous = previousAttributes(coupon, updated);
      if (onlyChanged(previous, [])) return current(coupon);
      coupons.save(updated);
      ctx.events.emit('coupon.updated', updated, { previousAttributes: previous });
      return current(updated);
    },
  });

  ctx.route<PaginationParams & { created?: number | RangeFilter }>({
    method: 'GET',
    path: '/v1/coupons',
    params: listFields({ created: p.range() }),
    handler: ({ params }) => {
      const page = paginate(coupons.newestFirst(), params, {
        url: '/v1/coupons',
        noun: 'coupon',
        matches: (coupon) => inRange(coupon.created, params.created),
      });
      return { ...page, data: page.data.map(current) };
    },
  });

  ctx.route({
    method: 'DELETE',
    path: '/v1/coupons/:id',
    handler: ({ pathParams }) => {
      const coupon = mustGet(coupons, pathParams.id!, 'coupon');
      coupons.delete(coupon.id);
      appliesTo.delete(coupon.id);
      ctx.events.emit('coupon.deleted', current(coupon));
      return deletedObject(coupon.id, 'coupon');
    },
  });
}

export const couponsModule: EmulatorModule = { name: 'coupons', install };
