/**
 * Look-ups other modules (billing, hosted pages) use to reach catalog and customer records,
 * throwing the 404 Stripe would answer, with the parameter that named the missing object.
 */
import type Stripe from 'stripe';
import { mustGet } from '../core/records.js';
import type { Store } from '../core/store.js';
import {
  couponsOf,
  customersOf,
  type PriceTier,
  pricesOf,
  priceTiersOf,
  productsOf,
  promotionCodesOf,
  type StoredPrice,
} from './collections.js';

export const requireProduct = (store: Store, id: string, param = 'product'): Stripe.Product =>
  mustGet(productsOf(store), id, 'product', param);

export const requirePrice = (store: Store, id: string, param = 'price'): StoredPrice =>
  mustGet(pricesOf(store), id, 'price', param);

/** A live customer; deleted customers are "No such customer" for every use but retrieve. */
export const requireCustomer = (store: Store, id: string, param = 'customer'): Stripe.Customer =>
  mustGet(customersOf(store), id, 'customer', param);

export const requireCoupon = (store: Store, id: string, param = 'coupon'): Stripe.Coupon =>
  mustGet(couponsOf(store), id, 'coupon', param);

export const requirePromotionCode = (
  store: Store,
  id: string,
  param = 'promotion_code',
): Stripe.PromotionCode => mustGet(promotionCodesOf(store), id, 'promotion code', param);

/** A tiered price's tiers (Stripe shows them only through `expand[]=tiers`). */
export const tiersOf = (store: Store, priceId: string): PriceTier[] | undefined =>
  priceTiersOf(store).get(priceId)?.tiers;

/** The active promotion code with this customer-facing code, if any (codes are case-insensitive). */
export function findPromotionCodeByCode(store: Store, code: string): Stripe.PromotionCode | undefined {
  const wanted = code.toLowerCase();
  return promotionCodesOf(store).find((promo) => promo.active && promo.code.toLowerCase() === wanted);
}

export { resolvePaymentMethod, testCardOf } from './payment-methods/card-objects.js';
export { assertCouponRedeemable, redeemCoupon, redeemPromotionCode } from './redemptions.js';
