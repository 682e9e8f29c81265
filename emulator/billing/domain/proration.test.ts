import { describe, expect, it } from 'vitest';
import {
  prorationDateLabel,
  remainingFraction,
  remainingTimeCharge,
  remainingTimeDescription,
  unusedTimeCredit,
  unusedTimeDescription,
} from './proration.js';

const period = { start: 1_000_000, end: 1_000_000 + 30 * 86_400 };

describe('proration', () => {
  it('scales to the second over the current period', () => {
    // 10 days and 1 second left of 30 days.
    const at = period.end - (10 * 86_400 + 1);
    expect(remainingFraction(period, at)).toBeCloseTo((10 * 86_400 + 1) / (30 * 86_400), 12);
    // $20.00 × 864001/2592000 = 666.667… → 667; $50.00 × the same = 1666.668… → 1667.
    expect(unusedTimeCredit({ unitAmount: 2000, quantity: 1 }, period, at)).toBe(-667);
    expect(remainingTimeCharge({ unitAmount: 5000, quantity: 1 }, period, at)).toBe(1667);
  });

  it('rounds each line by itself and mirrors credits and charges', () => {
    const half = period.start + 15 * 86_400;
    expect(unusedTimeCredit({ unitAmount: 999, quantity: 1 }, period, half)).toBe(-500);
    expect(remainingTimeCharge({ unitAmount: 999, quantity: 1 }, period, half)).toBe(500);
    expect(remainingTimeCharge({ unitAmount: 1000, quantity: 3 }, period, half)).toBe(1500);
  });

  it('is zero outside the period and full at its start', () => {
    expect(remainingTimeCharge({ unitAmount: 1000, quantity: 1 }, period, period.end + 5)).toBe(0);
    expect(remainingTimeCharge({ unitAmount: 1000, quantity: 1 }, period, period.start)).toBe(1000);
  });

  it('describes lines like Stripe', () => {
    const at = Date.parse('2026-01-05T12:00:00Z') / 1000;
    expect(prorationDateLabel(at)).toBe('5 Jan 2026');
    expect(unusedTimeDescription('Basic', 1, at)).toBe('Unused time on Basic after 5 Jan 2026');
    expect(remainingTimeDescription('Pro', 3, at)).toBe('Remaining time on 3 × Pro after 5 Jan 2026');
  });
});
