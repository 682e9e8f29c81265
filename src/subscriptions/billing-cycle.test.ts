import { describe, expect, it } from 'vitest';
import { addBillingCycles, utcDate } from './billing-cycle.js';

const at = (iso: string) => new Date(iso);

describe('addBillingCycles', () => {
  it('moves on by days, weeks, months and years in UTC, keeping the time of day', () => {
    expect(addBillingCycles(at('2025-01-01T10:30:00Z'), 'day', 3).toISOString()).toBe(
      '2025-01-04T10:30:00.000Z',
    );
    expect(addBillingCycles(at('2025-01-01T10:30:00Z'), 'week', 2).toISOString()).toBe(
      '2025-01-15T10:30:00.000Z',
    );
    expect(addBillingCycles(at('2025-01-01T10:30:00Z'), 'month', 1).toISOString()).toBe(
      '2025-02-01T10:30:00.000Z',
    );
    expect(addBillingCycles(at('2025-11-15T00:00:00Z'), 'month', 3).toISOString()).toBe(
      '2026-02-15T00:00:00.000Z',
    );
    expect(addBillingCycles(at('2025-03-01T00:00:00Z'), 'year', 1).toISOString()).toBe(
      '2026-03-01T00:00:00.000Z',
    );
  });

  it('clamps to the last day of a shorter month', () => {
    expect(utcDate(addBillingCycles(at('2025-01-31T12:00:00Z'), 'month', 1))).toBe('2025-02-28');
    expect(utcDate(addBillingCycles(at('2024-01-31T12:00:00Z'), 'month', 1))).toBe('2024-02-29');
    expect(utcDate(addBillingCycles(at('2024-02-29T12:00:00Z'), 'year', 1))).toBe('2025-02-28');
  });
});
