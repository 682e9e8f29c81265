import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.js';
import { redeemCoupon, redeemPromotionCode } from './redemptions.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => h.emulator.reset());
afterAll(() => h.emulator.close());

describe('coupons', () => {
  it('creates percent and amount coupons with their durations', async () => {
    const percent = await h.stripe.coupons.create({
      percent_off: 25.5,
      duration: 'repeating',
      duration_in_months: 3,
    });
    expect(percent).toMatchObject({
      object: 'coupon',
      percent_off: 25.5,
      amount_off: null,
      currency: null,
      duration: 'repeating',
      duration_in_months: 3,
      times_redeemed: 0,
      valid: true,
    });
    expect(percent.id).toMatch(/^[A-Z0-9]{8}$/);
    const amount = await h.stripe.coupons.create({
      id: 'WELCOME',
      amount_off: 500,
      currency: 'USD',
      duration: 'once',
    });
    expect(amount).toMatchObject({ id: 'WELCOME', amount_off: 500, currency: 'usd', duration: 'once' });
    expect((await h.stripe.events.list({ type: 'coupon.created' })).data).toHaveLength(2);
  });

  it('enforces Stripe’s rules', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ duration: 'once' }, 'percent_off'],
      [{ percent_off: 10, amount_off: 100, currency: 'usd' }, 'amount_off'],
      [{ amount_off: 100 }, 'currency'],
      [{ percent_off: 120 }, 'percent_off'],
      [{ percent_off: 10, duration: 'repeating' }, 'duration_in_months'],
      [{ percent_off: 10, duration: 'forever', duration_in_months: 2 }, 'duration_in_months'],
      [{ percent_off: 10, redeem_by: now - 10 }, 'redeem_by'],
    ];
    for (const [params, param] of cases) {
      await expect(h.stripe.coupons.create(params as never), JSON.stringify(params)).rejects.toMatchObject({
        param,
      });
    }
  });

  it('becomes invalid once redeemed max_redemptions times or past redeem_by', async () => {
    const limited = await h.stripe.coupons.create({ percent_off: 10, max_redemptions: 1 });
    redeemCoupon(h.emulator.context, limited.id);
    expect(await h.stripe.coupons.retrieve(limited.id)).toMatchObject({ times_redeemed: 1, valid: false });
    expect(() => redeemCoupon(h.emulator.context, limited.id)).toThrow(/Coupon expired/);

    const now = Math.floor(Date.now() / 1000);
    const dated = await h.stripe.coupons.create({ percent_off: 10, redeem_by: now + 60 });
    h.emulator.clock.set(now + 120);
    expect((await h.stripe.coupons.retrieve(dated.id)).valid).toBe(false);
    h.emulator.clock.set(null);
  });

  it('updates name and metadata only, and deletes', async () => {
    const coupon = await h.stripe.coupons.create({ percent_off: 10, name: 'Ten' });
    expect(await h.stripe.coupons.update(coupon.id, { name: 'Tenner', metadata: { a: 'b' } })).toMatchObject({
      name: 'Tenner',
      metadata: { a: 'b' },
    });
    await expect(h.stripe.coupons.update(coupon.id, { percent_off: 20 } as never)).rejects.toMatchObject({
      code: 'parameter_unknown',
    });
    expect(await h.stripe.coupons.del(coupon.id)).toMatchObject({ id: coupon.id, deleted: true });
    await expect(h.stripe.coupons.retrieve(coupon.id)).rejects.toMatchObject({ statusCode: 404 });
    expect((await h.stripe.events.list({ type: 'coupon.deleted' })).data).toHaveLength(1);
  });

  it('shows applies_to only when expanded', async () => {
    const product = await h.stripe.products.create({ name: 'P' });
    const coupon = await h.stripe.coupons.create({ percent_off: 5, applies_to: { products: [product.id] } });
    expect(coupon.applies_to).toBeUndefined();
    const expanded = await h.stripe.coupons.retrieve(coupon.id, { expand: ['applies_to'] });
    expect(expanded.applies_to).toEqual({ products: [product.id] });
  });
});

describe('promotion codes', () => {
  it('creates a code for a coupon in the promotion shape of the current API', async () => {
    const coupon = await h.stripe.coupons.create({ percent_off: 20 });
    const promo = await h.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'FALL20',
      max_redemptions: 2,
      restrictions: { first_time_transaction: true, minimum_amount: 1000, minimum_amount_currency: 'usd' },
    });
    expect(promo).toMatchObject({
      object: 'promotion_code',
      code: 'FALL20',
      active: true,
      promotion: { type: 'coupon', coupon: coupon.id },
      restrictions: { first_time_transaction: true, minimum_amount: 1000, minimum_amount_currency: 'usd' },
      times_redeemed: 0,
    });
    expect(promo.id).toMatch(/^promo_/);
    const expanded = await h.stripe.promotionCodes.retrieve(promo.id, { expand: ['promotion.coupon'] });
    expect(expanded.promotion.coupon).toMatchObject({ id: coupon.id, object: 'coupon' });
  });

  it('keeps active codes unique, lists by code and coupon, and deactivates', async () => {
    const coupon = await h.stripe.coupons.create({ percent_off: 20 });
    const promo = await h.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'SAVE',
    });
    await expect(
      h.stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code: 'save' }),
    ).rejects.toMatchObject({ param: 'code' });
    expect((await h.stripe.promotionCodes.list({ code: 'SAVE' })).data.map((p) => p.id)).toEqual([promo.id]);
    expect((await h.stripe.promotionCodes.list({ coupon: coupon.id })).data).toHaveLength(1);
    const inactive = await h.stripe.promotionCodes.update(promo.id, { active: false });
    expect(inactive.active).toBe(false);
    const [event] = (await h.stripe.events.list({ type: 'promotion_code.updated' })).data;
    expect(event!.data.previous_attributes).toEqual({ active: true });
  });

  it('requires a coupon that exists', async () => {
    await expect(
      h.stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: 'NOPE' } }),
    ).rejects.toMatchObject({
      statusCode: 400,
      param: 'promotion[coupon]',
    });
  });

  it('redeems within its restrictions, counting the coupon too', async () => {
    const coupon = await h.stripe.coupons.create({ percent_off: 20 });
    const customer = await h.stripe.customers.create({});
    const promo = await h.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      customer: customer.id,
      max_redemptions: 1,
    });
    expect(() => redeemPromotionCode(h.emulator.context, promo.id, { customerId: 'cus_other' })).toThrow(
      /another customer/,
    );
    redeemPromotionCode(h.emulator.context, promo.id, { customerId: customer.id });
    expect((await h.stripe.promotionCodes.retrieve(promo.id)).times_redeemed).toBe(1);
    expect((await h.stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(1);
    expect(() => redeemPromotionCode(h.emulator.context, promo.id, { customerId: customer.id })).toThrow(
      /maximum/,
    );
  });
});
