/**
 * Coupon and promotion-code redemption rules, for the modules that apply discounts (billing,
 * Checkout): what makes a coupon or code unusable, and the counting of redemptions.
 */
import type Stripe from 'stripe';
import type { EmulatorContext } from '../core/context.js';
import { invalidRequest } from '../core/errors.js';
import { mustGet } from '../core/records.js';
import { couponsOf, promotionCodesOf } from './collections.js';

/** Stripe's `valid`: not past `redeem_by` and below `max_redemptions`. */
export function isCouponValid(coupon: Stripe.Coupon, now: number): boolean {
  if (coupon.redeem_by !== null && now > coupon.redeem_by) return false;
  if (coupon.max_redemptions !== null && coupon.times_redeemed >= coupon.max_redemptions) return false;
  return true;
}

/** The coupon as it reads now: `valid` follows the clock as well as redemptions. */
export function withCurrentValidity(coupon: Stripe.Coupon, now: number): Stripe.Coupon {
  const valid = isCouponValid(coupon, now);
  return valid === coupon.valid ? coupon : { ...coupon, valid };
}

export function assertCouponRedeemable(
  ctx: EmulatorContext,
  couponId: string,
  param = 'coupon',
): Stripe.Coupon {
  const coupon = mustGet(couponsOf(ctx.store), couponId, 'coupon', param);
  if (!isCouponValid(coupon, ctx.clock.now()))
    throw invalidRequest(`Coupon expired: ${couponId}`, { param, code: 'coupon_expired' });
  return coupon;
}

/** Counts one redemption of a coupon (checked redeemable first). */
export function redeemCoupon(ctx: EmulatorContext, couponId: string, param = 'coupon'): Stripe.Coupon {
  const coupon = assertCouponRedeemable(ctx, couponId, param);
  const redeemed = { ...coupon, times_redeemed: coupon.times_redeemed + 1 };
  redeemed.valid = isCouponValid(redeemed, ctx.clock.now());
  return couponsOf(ctx.store).save(redeemed);
}

export interface PromotionUse {
  customerId?: string | null;
  /** Amount the code would discount, to test `restrictions.minimum_amount`. */
  amount?: number;
  currency?: string;
  /** Whether the customer has paid before (for `restrictions.first_time_transaction`). */
  customerHasPaid?: boolean;
}

/** Checks a promotion code against its restrictions and counts one redemption of it and its coupon. */
export function redeemPromotionCode(
  ctx: EmulatorContext,
  promotionCodeId: string,
  use: PromotionUse = {},
  param = 'promotion_code',
): Stripe.PromotionCode {
  const codes = promotionCodesOf(ctx.store);
  const promo = mustGet(codes, promotionCodeId, 'promotion code', param);
  const now = ctx.clock.now();
  const refuse = (why: string) =>
    invalidRequest(`This promotion code cannot be redeemed: ${why}.`, { param });
  if (!promo.active) throw refuse('it is inactive');
  if (promo.expires_at !== null && now > promo.expires_at) throw refuse('it has expired');
  if (promo.max_redemptions !== null && promo.times_redeemed >= promo.max_redemptions) {
    throw refuse('it has reached its maximum number of redemptions');
  }
  if (promo.customer && promo.customer !== use.customerId)
    throw refuse('it is restricted to another customer');
  const { minimum_amount, minimum_amount_currency, first_time_transaction } = promo.restrictions;
  if (minimum_amount !== null && use.amount !== undefined && use.amount < minimum_amount) {
    throw refuse(
      `the order is below the minimum amount of ${minimum_amount} ${minimum_amount_currency ?? ''}`.trim(),
    );
  }
  if (first_time_transaction && use.customerHasPaid) throw refuse('it is only valid for a first purchase');
  const couponId = promo.promotion.coupon;
  if (typeof couponId === 'string') redeemCoupon(ctx, couponId, param);
  return codes.save({ ...promo, times_redeemed: promo.times_redeemed + 1 });
}
