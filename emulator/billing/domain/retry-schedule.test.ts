import { describe, expect, it } from 'vitest';
import { invoiceNumber } from './numbering.js';
import { nextRetryAt } from './retry-schedule.js';

describe('retry schedule', () => {
  it('retries 3, 7 and 14 days after the first attempt, then stops', () => {
    const first = 1_700_000_000;
    expect(nextRetryAt(first, 1)).toBe(first + 3 * 86_400);
    expect(nextRetryAt(first, 2)).toBe(first + 7 * 86_400);
    expect(nextRetryAt(first, 3)).toBe(first + 14 * 86_400);
    expect(nextRetryAt(first, 4)).toBeNull();
    expect(nextRetryAt(first, 1, [1])).toBe(first + 86_400);
  });

  it('numbers invoices per customer prefix', () => {
    expect(invoiceNumber('ABCD1234', 1)).toBe('ABCD1234-0001');
    expect(invoiceNumber('ABCD1234', 12345)).toBe('ABCD1234-12345');
  });
});
