// Coupons and promotion codes attached to subscriptions: turning `discounts[]` parameters into
// Discount objects, and retiring `once` discounts after the invoice that used them.

import type Stripe from 'stripe';
import { invalidRequest } from '../../core/errors.js';
import { redeemCoupon, redeemPromotionCode } from '../../resources/redemptions.js';
import { discountEnd } from '../domain/discounts.js';
import { newDiscount } from '../objects/subscription-objects.js';
import type { Billing } from './context.js';

export interface DiscountParam {
  coupon?: string;
  promotion_code?: string;
  discount?: string;
}

export function createDiscounts(
  billing: Billing,
  params: DiscountParam[] | null | undefined,
  owner: { customer: string; subscription: string | null },
  at: number,
): Stripe.Discount[] {
  return (params ?? []).map((param, index) => {
    if (param.discount) {
      const existing = billing.data.discounts.get(param.discount);
      if (!existing)
        throw invalidRequest(`No such discount: '${param.discount}'`, {
          param: `discounts[${index}][discount]`,
        });
      return existing;
    }
    const where = `discounts[${index}]`;
    // Redeeming checks the coupon's and the code's rules and counts the use, as Stripe does.
    const promotionCode = param.promotion_code
      ? redeemPromotionCode(
          billing.emulator,
          param.promotion_code,
          { customerId: owner.customer },
          `${where}[promotion_code]`,
        )
      : null;
    const promoted = promotionCode?.promotion.coupon;
    const couponId = promoted ? (typeof promoted === 'string' ? promoted : promoted.id) : param.coupon;
    if (!couponId)
      throw invalidRequest('Each discount needs a coupon or a promotion_code.', { param: where });
    const coupon = promotionCode
      ? billing.catalog.coupon(couponId, `${where}[promotion_code]`)
      : redeemCoupon(billing.emulator, couponId, `${where}[coupon]`);
    const discount = newDiscount({
      coupon,
      promotionCode: promotionCode?.id ?? null,
      customer: owner.customer,
      subscription: owner.subscription,
      start: at,
      end: discountEnd(at, coupon),
    });
    billing.data.discounts.save(discount);
    return discount;
  });
}

/** `once` coupons apply to one invoice: afterwards the subscription no longer carries them. */
export function retireOnceDiscounts(
  billing: Billing,
  subscription: Stripe.Subscription,
  invoice: Stripe.Invoice,
): void {
  const used = new Set(invoice.discounts.map((d) => (typeof d === 'string' ? d : d.id)));
  subscription.discounts = subscription.discounts.filter((d) => {
    const id = typeof d === 'string' ? d : d.id;
    if (!used.has(id)) return true;
    const discount = billing.data.discounts.get(id);
    const coupon = discount ? billing.catalog.coupon(String(discount.source.coupon)) : null;
    return coupon?.duration !== 'once';
  });
}
