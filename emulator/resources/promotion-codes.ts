/**
 * `/v1/promotion_codes`: customer-facing codes for a coupon. Since the 2025 API versions the
 * coupon sits under `promotion: { type: 'coupon', coupon }`.
 */
import type Stripe from 'stripe';
import type { EmulatorContext, EmulatorModule } from '../core/context.js';
import { onlyChanged, previousAttributes } from '../core/diff.js';
import { invalidRequest, parameterMissing } from '../core/errors.js';
import { newId, randomToken } from '../core/ids.js';
import { inRange, listFields, type PaginationParams, paginate } from '../core/list.js';
import { p, type RangeFilter } from '../core/params.js';
import { initialMetadata, type MetadataUpdate, mergeMetadata, mustGet } from '../core/records.js';
import { promotionCodesOf } from './collections.js';
import { requireCoupon, requireCustomer } from './lookups.js';
import { currencyCode } from './shared-params.js';

const NOUN = 'promotion code';
const CODE = /^[a-zA-Z0-9_-]{3,500}$/;

interface PromotionCodeCreate {
  promotion: { type: 'coupon'; coupon?: string };
  code?: string;
  active?: boolean;
  customer?: string;
  expires_at?: number;
  max_redemptions?: number;
  metadata?: MetadataUpdate | null;
  restrictions?: {
    first_time_transaction?: boolean;
    minimum_amount?: number;
    minimum_amount_currency?: string;
  };
}

interface PromotionCodeList extends PaginationParams {
  active?: boolean;
  code?: string;
  coupon?: string;
  created?: number | RangeFilter;
  customer?: string;
}

function install(ctx: EmulatorContext): void {
  const codes = promotionCodesOf(ctx.store);

  ctx.expand.reference('promotion_code', 'promotion.coupon', 'coupon');
  ctx.expand.reference('promotion_code', 'customer', 'customer');

  const assertCodeFree = (code: string) => {
    const lower = code.toLowerCase();
    if (codes.find((promo) => promo.active && promo.code.toLowerCase() === lower)) {
      throw invalidRequest(`An active promotion code with \`code: ${code}\` already exists.`, {
        param: 'code',
      });
    }
  };

  ctx.route<PromotionCodeCreate>({
    method: 'POST',
    path: '/v1/promotion_codes',
    params: {
      promotion: p.object(
        { type: p.enum(['coupon'], { required: true }), coupon: p.ref('coupon') },
        { required: true },
      ),
      code: p.string(),
      active: p.boolean(),
      customer: p.ref('customer'),
      customer_account: p.string(),
      expires_at: p.timestamp(),
      max_redemptions: p.integer({ min: 1 }),
      metadata: p.metadata(),
      restrictions: p.object({
        first_time_transaction: p.boolean(),
        minimum_amount: p.integer({ min: 0 }),
        minimum_amount_currency: p.string(),
      }),
    },
    handler: ({ params }) => {
      const now = ctx.clock.now();
      if (!params.promotion.coupon) throw parameterMissing('promotion[coupon]');
      const coupon = requireCoupon(ctx.store, params.promotion.coupon, 'promotion[coupon]');
      if (params.customer) requireCustomer(ctx.store, params.customer);
      if (params.code !== undefined && !CODE.test(params.code)) {
        throw invalidRequest('Promotion codes may contain only letters, digits, dashes and underscores.', {
          param: 'code',
        });
      }
      const code = params.code ?? randomToken(8, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789');
      if (params.active !== false) assertCodeFree(code);
      if (params.expires_at !== undefined) {
        if (params.expires_at <= now) {
          throw invalidRequest('Invalid expires_at: must be in the future.', { param: 'expires_at' });
        }
        if (coupon.redeem_by !== null && params.expires_at > coupon.redeem_by) {
          throw invalidRequest("The promotion code's expires_at cannot be after its coupon's redeem_by.", {
            param: 'expires_at',
          });
        }
      }
      const restrictions = params.restrictions ?? {};
      if (restrictions.minimum_amount !== undefined && !restrictions.minimum_amount_currency) {
        throw parameterMissing('restrictions[minimum_amount_currency]');
      }
      const promo: Stripe.PromotionCode = {
        id: newId('promo'),
        object: 'promotion_code',
        active: params.active ?? true,
        code,
        created: now,
        customer: params.customer ?? null,
        customer_account: null,
        expires_at: params.expires_at ?? null,
        livemode: false,
        max_redemptions: params.max_redemptions ?? null,
        metadata: initialMetadata(params.metadata),
        promotion: { coupon: coupon.id, type: 'coupon' },
        restrictions: {
          first_time_transaction: restrictions.first_time_transaction ?? false,
          minimum_amount: restrictions.minimum_amount ?? null,
          minimum_amount_currency: restrictions.minimum_amount_currency
            ? currencyCode(restrictions.minimum_amount_currency, 'restrictions[minimum_amount_currency]')
            : null,
        },
        times_redeemed: 0,
      };
      codes.save(promo);
      ctx.events.emit('promotion_code.created', promo);
      return promo;
    },
  });

  ctx.route({
    method: 'GET',
    path: '/v1/promotion_codes/:id',
    handler: ({ pathParams }) => mustGet(codes, pathParams.id!, NOUN),
  });

  ctx.route<{ active?: boolean; metadata?: MetadataUpdate | null }>({
    method: 'POST',
    path: '/v1/promotion_codes/:id',
    params: {
      active: p.boolean(),
      metadata: p.metadata(),
      restrictions: p.object({ currency_options: p.object({}) }),
    },
    handler: ({ pathParams, params }) => {
      const promo = mustGet(codes, pathParams.id!, NOUN);
      if (params.active === true && !promo.active) assertCodeFree(promo.code);
      const updated: Stripe.PromotionCode = {
        ...promo,
        ...(params.active !== undefined && { active: params.active }),
        metadata: mergeMetadata(promo.metadata, params.metadata),
      };
      const previous = previousAttributes(promo, updated);
      if (onlyChanged(previous, [])) return promo;
      codes.save(updated);
      ctx.events.emit('promotion_code.updated', updated, { previousAttributes: previous });
      return updated;
    },
  });

  ctx.route<PromotionCodeList>({
    method: 'GET',
    path: '/v1/promotion_codes',
    params: listFields({
      active: p.boolean(),
      code: p.string(),
      coupon: p.string(),
      created: p.range(),
      customer: p.string(),
      customer_account: p.string(),
    }),
    handler: ({ params }) =>
      paginate(codes.newestFirst(), params, {
        url: '/v1/promotion_codes',
        noun: NOUN,
        matches: (promo) =>
          (params.active === undefined || promo.active === params.active) &&
          (!params.code || promo.code.toLowerCase() === params.code.toLowerCase()) &&
          (!params.coupon || promo.promotion.coupon === params.coupon) &&
          (!params.customer || promo.customer === params.customer) &&
          inRange(promo.created, params.created),
      }),
  });
}

export const promotionCodesModule: EmulatorModule = { name: 'promotion_codes', install };
