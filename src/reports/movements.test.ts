import { describe, expect, it } from 'vitest';
import { monthChanges, monthsBetween, movementKind } from './movements.js';

const paying = (mrr: number, planId = 'basic') => ({ planId, mrr, cohortMonth: '2024-01-01' });

describe('movementKind', () => {
  it('names each change of MRR', () => {
    expect(movementKind(null, 2000, false)).toBe('new');
    expect(movementKind(null, 0, false)).toBeNull();
    expect(movementKind({ planId: 'basic', mrr: 0, cohortMonth: null }, 2000, false)).toBe('new');
    expect(movementKind(null, 2000, true)).toBe('reactivated');
    expect(movementKind(paying(2000), 5000, false)).toBe('expansion');
    expect(movementKind(paying(5000), 2000, false)).toBe('contraction');
    expect(movementKind(paying(2000), 0, false)).toBe('churned');
    expect(movementKind(paying(0), 2000, false)).toBe('reactivated');
    expect(movementKind(paying(2000), 2000, false)).toBeNull();
  });
});

describe('monthChanges', () => {
  it('moves the old MRR to the new plan on an upgrade, then adds the expansion', () => {
    expect(monthChanges(paying(2000, 'basic'), { planId: 'pro', mrr: 5000 }, 'expansion')).toEqual([
      { planId: 'basic', transferMrr: -2000, transferCount: -1 },
      { planId: 'pro', transferMrr: 2000, transferCount: 1 },
      { planId: 'pro', expansionMrr: 3000 },
    ]);
  });

  it('moves the plan without a movement when MRR stays (monthly to the same yearly amount)', () => {
    expect(monthChanges(paying(2000, 'a'), { planId: 'b', mrr: 2000 }, null)).toEqual([
      { planId: 'a', transferMrr: -2000, transferCount: -1 },
      { planId: 'b', transferMrr: 2000, transferCount: 1 },
    ]);
  });

  it('charges a churn to the plan left, and files a subscription without a plan under ""', () => {
    expect(monthChanges(paying(5000, 'pro'), { planId: 'pro', mrr: 0 }, 'churned')).toEqual([
      { planId: 'pro', churnedMrr: 5000, churnedCount: 1 },
    ]);
    expect(monthChanges(null, { planId: null, mrr: 100 }, 'new')).toEqual([
      { planId: '', newMrr: 100, newCount: 1 },
    ]);
  });
});

describe('monthsBetween', () => {
  it('counts whole calendar months across years', () => {
    expect(monthsBetween('2024-11-01', '2025-02-01')).toBe(3);
    expect(monthsBetween('2024-03-01', '2024-03-01')).toBe(0);
  });
});
