import { describe, expect, it } from 'vitest';
import { EPOCH, periodOf } from './periods.js';

const at = (iso: string) => new Date(iso);

describe('periodOf', () => {
  it('cuts UTC calendar days, Monday weeks, months and years', () => {
    const t = at('2026-03-11T23:59:59Z'); // a Wednesday
    expect(periodOf('day', t)).toEqual({
      start: at('2026-03-11T00:00:00Z'),
      end: at('2026-03-12T00:00:00Z'),
    });
    expect(periodOf('week', t)).toEqual({
      start: at('2026-03-09T00:00:00Z'),
      end: at('2026-03-16T00:00:00Z'),
    });
    expect(periodOf('week', at('2026-03-15T12:00:00Z')).start).toEqual(at('2026-03-09T00:00:00Z'));
    expect(periodOf('week', at('2026-03-16T00:00:00Z')).start).toEqual(at('2026-03-16T00:00:00Z'));
    expect(periodOf('month', t)).toEqual({
      start: at('2026-03-01T00:00:00Z'),
      end: at('2026-04-01T00:00:00Z'),
    });
    expect(periodOf('year', t)).toEqual({
      start: at('2026-01-01T00:00:00Z'),
      end: at('2027-01-01T00:00:00Z'),
    });
    expect(periodOf('never', t)).toEqual({ start: EPOCH, end: null });
  });

  it('takes the subscription’s own period, stepping by its interval outside it', () => {
    const anchor = {
      start: at('2026-01-31T10:00:00Z'),
      end: at('2026-02-28T10:00:00Z'),
      interval: 'month' as const,
      intervalCount: 1,
    };
    expect(periodOf('billing_period', at('2026-02-10T00:00:00Z'), anchor)).toEqual({
      start: anchor.start,
      end: anchor.end,
    });
    expect(periodOf('billing_period', at('2026-03-05T00:00:00Z'), anchor)).toEqual({
      start: at('2026-02-28T10:00:00Z'),
      end: at('2026-03-31T10:00:00Z'),
    });
    expect(periodOf('billing_period', at('2026-01-15T00:00:00Z'), anchor)).toEqual({
      start: at('2025-12-31T10:00:00Z'),
      end: anchor.start,
    });
    expect(periodOf('billing_period', at('2026-02-10T00:00:00Z'))).toEqual(
      periodOf('month', at('2026-02-10T00:00:00Z')),
    );
  });
});
