import { describe, expect, it } from 'vitest';
import { allocateDiscounts, discountEnd } from './discounts.js';
import { invoiceMoney } from './totals.js';

describe('discounts', () => {
  it('takes a percentage from every discountable line, credits included', () => {
    const result = allocateDiscounts(
      [
        { amount: 5000, discountable: true },
        { amount: -667, discountable: true },
        { amount: 300, discountable: false },
      ],
      [{ id: 'di_1', coupon: { percent_off: 25, amount_off: null } }],
    );
    expect(result.lines).toEqual([
      [{ discount: 'di_1', amount: 1250 }],
      [{ discount: 'di_1', amount: -167 }],
      [],
    ]);
    expect(result.totals).toEqual([{ discount: 'di_1', amount: 1083 }]);
  });

  it('spreads a fixed amount in proportion and never below zero', () => {
    const result = allocateDiscounts(
      [
        { amount: 1000, discountable: true },
        { amount: 3000, discountable: true },
      ],
      [{ id: 'di_2', coupon: { percent_off: null, amount_off: 1001 } }],
    );
    expect(result.lines.map((l) => l[0]?.amount)).toEqual([250, 751]);
    const capped = allocateDiscounts(
      [{ amount: 500, discountable: true }],
      [{ id: 'di_3', coupon: { percent_off: null, amount_off: 2000 } }],
    );
    expect(capped.totals[0]?.amount).toBe(500);
  });

  it('applies discounts in order, each to what is left', () => {
    const result = allocateDiscounts(
      [{ amount: 10_000, discountable: true }],
      [
        { id: 'a', coupon: { percent_off: 50, amount_off: null } },
        { id: 'b', coupon: { percent_off: null, amount_off: 1000 } },
      ],
    );
    expect(result.totals).toEqual([
      { discount: 'a', amount: 5000 },
      { discount: 'b', amount: 1000 },
    ]);
  });

  it('ends repeating discounts after their months', () => {
    const start = Date.parse('2026-01-31T08:00:00Z') / 1000;
    expect(discountEnd(start, { duration: 'repeating', duration_in_months: 1 })).toBe(
      Date.parse('2026-02-28T08:00:00Z') / 1000,
    );
    expect(discountEnd(start, { duration: 'repeating', duration_in_months: 3 })).toBe(
      Date.parse('2026-04-30T08:00:00Z') / 1000,
    );
    expect(discountEnd(start, { duration: 'forever', duration_in_months: null })).toBeNull();
  });
});

describe('invoice money', () => {
  it('uses credit balance and carries a negative total back to the balance', () => {
    expect(invoiceMoney([5000, -667], [1083], -1000)).toEqual({
      subtotal: 4333,
      total_discount: 1083,
      total: 3250,
      starting_balance: -1000,
      amount_due: 2250,
      ending_balance: 0,
    });
    expect(invoiceMoney([-1500, 500], [], 0)).toMatchObject({
      total: -1000,
      amount_due: 0,
      ending_balance: -1000,
    });
  });
});
