import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.js';

describe('toCsv', () => {
  it('writes a header and rows, quoting what needs it and leaving nulls empty', () => {
    const csv = toCsv(
      ['plan_id', 'name', 'active_subscriptions'],
      [
        { plan_id: 'p1', name: 'Pro, "yearly"', active_subscriptions: 3 },
        { plan_id: 'p2', name: null, active_subscriptions: 0 },
      ],
    );
    expect(csv).toBe('plan_id,name,active_subscriptions\r\np1,"Pro, ""yearly""",3\r\np2,,0\r\n');
  });

  it('keeps a spreadsheet from reading a text cell as a formula', () => {
    expect(toCsv(['name'], [{ name: '=HYPERLINK("x")' }])).toBe('name\r\n"\'=HYPERLINK(""x"")"\r\n');
    expect(toCsv(['n'], [{ n: -5 }])).toBe('n\r\n-5\r\n');
  });
});
