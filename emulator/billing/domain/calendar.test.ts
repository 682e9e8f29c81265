import { describe, expect, it } from 'vitest';
import { boundary, periodContaining, sameCycle } from './calendar.js';

const at = (iso: string) => Date.parse(iso) / 1000;
const monthly = { interval: 'month', interval_count: 1 } as const;

describe('billing calendar', () => {
  it('keeps the anchor day of month, clamping short months and returning afterwards', () => {
    const anchor = at('2026-01-31T10:20:30Z');
    expect(boundary(anchor, monthly, 1)).toBe(at('2026-02-28T10:20:30Z'));
    expect(boundary(anchor, monthly, 2)).toBe(at('2026-03-31T10:20:30Z'));
    expect(boundary(anchor, monthly, 13)).toBe(at('2027-02-28T10:20:30Z'));
  });

  it('handles leap years for yearly anchors on 29 February', () => {
    const anchor = at('2028-02-29T00:00:00Z');
    expect(boundary(anchor, { interval: 'year', interval_count: 1 }, 1)).toBe(at('2029-02-28T00:00:00Z'));
    expect(boundary(anchor, { interval: 'year', interval_count: 1 }, 4)).toBe(at('2032-02-29T00:00:00Z'));
  });

  it('steps days and weeks by exact seconds, with interval_count', () => {
    const anchor = at('2026-03-01T00:00:00Z');
    expect(boundary(anchor, { interval: 'week', interval_count: 2 }, 1)).toBe(anchor + 14 * 86_400);
    expect(boundary(anchor, { interval: 'day', interval_count: 1 }, -1)).toBe(anchor - 86_400);
    expect(boundary(anchor, { interval: 'month', interval_count: 3 }, 1)).toBe(at('2026-06-01T00:00:00Z'));
  });

  it('finds the period containing a time, boundaries inclusive at the start', () => {
    const anchor = at('2026-01-15T00:00:00Z');
    expect(periodContaining(anchor, monthly, at('2026-04-15T00:00:00Z'))).toEqual({
      start: at('2026-04-15T00:00:00Z'),
      end: at('2026-05-15T00:00:00Z'),
    });
    expect(periodContaining(anchor, monthly, at('2026-04-14T23:59:59Z')).start).toBe(
      at('2026-03-15T00:00:00Z'),
    );
    expect(periodContaining(anchor, monthly, at('2025-12-20T00:00:00Z')).end).toBe(anchor);
  });

  it('tells whether two prices bill on the same cycle', () => {
    expect(sameCycle(monthly, { interval: 'month', interval_count: 1 })).toBe(true);
    expect(sameCycle(monthly, { interval: 'year', interval_count: 1 })).toBe(false);
    expect(
      sameCycle({ interval: 'month', interval_count: 12 }, { interval: 'year', interval_count: 1 }),
    ).toBe(true);
    expect(sameCycle({ interval: 'week', interval_count: 1 }, { interval: 'day', interval_count: 7 })).toBe(
      true,
    );
    expect(sameCycle({ interval: 'week', interval_count: 4 }, monthly)).toBe(false);
  });
});
