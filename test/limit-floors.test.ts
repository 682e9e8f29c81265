import { describe, expect, it } from 'vitest';
import type { Benefit } from '../src/db/schema/plans.js';
import { loweredLimits } from '../src/usage/limit-floors.js';
import type { PayerSubscription } from '../src/usage/rules.js';

// Which limits a change lowered, and the period each is kept for: the one the old rule counted in
// just before the change.
const JAN_15 = new Date('2026-01-15T00:00:00Z');
const FEB_15 = new Date('2026-02-15T00:00:00Z');
const MAR_15 = new Date('2026-03-15T00:00:00Z');

const sub = (benefits: Benefit[], start = JAN_15, end = FEB_15): PayerSubscription => ({
  id: 'sub_1',
  planId: 'plan',
  kind: 'base',
  quantity: 1,
  status: 'active',
  provider: 'stripe',
  cancelAtPeriodEnd: false,
  cancelAt: null,
  currentPeriodStart: start,
  currentPeriodEnd: end,
  benefits,
  interval: 'month',
  intervalCount: 1,
});
const calls = (value: number): Benefit => ({
  key: 'api_calls',
  value,
  limit: { reset: 'billing_period', overage: 'block' },
});
const exportsOf = (value: number): Benefit => ({
  key: 'exports',
  value,
  limit: { reset: 'month', overage: 'block' },
});

describe('loweredLimits', () => {
  it('keeps a limit lowered mid-period for the rest of that period, and nothing raised or kept', () => {
    const at = new Date('2026-02-01T12:00:00Z');
    const before = [sub([calls(1000), exportsOf(10)])];
    const after = [sub([calls(100), exportsOf(50)])];
    expect(loweredLimits(before, after, at, 0)).toEqual([
      { feature: 'api_calls', period: { start: JAN_15, end: FEB_15 }, limit: 1000 },
    ]);
  });

  it('keeps nothing of the old limit in the new period when the downgrade comes with the renewal', () => {
    const before = [sub([calls(1000)], JAN_15, FEB_15)];
    const after = [sub([calls(100)], FEB_15, MAR_15)];
    const [floor] = loweredLimits(before, after, FEB_15, 0);
    // Only the period that just ended is floored: a check in the new one reads 100.
    expect(floor!.period).toEqual({ start: JAN_15, end: FEB_15 });
  });
});
