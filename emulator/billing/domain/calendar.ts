// Billing-period arithmetic as Stripe does it: every boundary is computed from the billing cycle
// anchor (never from the previous boundary), in UTC, keeping the anchor's time of day. A monthly
// anchor on the 31st lands on the last day of shorter months and returns to the 31st afterwards.

export type Interval = 'day' | 'week' | 'month' | 'year';

export interface Recurrence {
  /** Stripe's interval; the SDK types it as an open string union. */
  interval: Interval | (string & {});
  interval_count: number;
}

const DAY = 86_400;

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

function addMonths(anchor: number, months: number): number {
  const d = new Date(anchor * 1000);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month));
  return Date.UTC(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) / 1000;
}

/** The `n`-th period boundary after `anchor` (n may be negative: boundaries before the anchor). */
export function boundary(anchor: number, recurrence: Recurrence, n: number): number {
  const steps = n * recurrence.interval_count;
  switch (recurrence.interval) {
    case 'day':
      return anchor + steps * DAY;
    case 'week':
      return anchor + steps * 7 * DAY;
    case 'month':
      return addMonths(anchor, steps);
    case 'year':
      return addMonths(anchor, steps * 12);
    default:
      throw new Error(`Unknown billing interval: ${recurrence.interval}`);
  }
}

/** The period boundary that follows `from` by one interval, keeping `anchor`'s day of month. */
export function nextBoundary(anchor: number, recurrence: Recurrence, from: number): number {
  return periodContaining(anchor, recurrence, from).end;
}

/** The billing period `[start, end)` that contains `at`, with boundaries derived from `anchor`. */
export function periodContaining(
  anchor: number,
  recurrence: Recurrence,
  at: number,
): { start: number; end: number } {
  // Estimate the index from the average interval length, then correct by stepping; the estimate
  // is never off by more than one or two periods, so the loops are short.
  const approx = approximateSeconds(recurrence);
  let n = Math.floor((at - anchor) / approx);
  while (boundary(anchor, recurrence, n) > at) n--;
  while (boundary(anchor, recurrence, n + 1) <= at) n++;
  return { start: boundary(anchor, recurrence, n), end: boundary(anchor, recurrence, n + 1) };
}

function approximateSeconds(recurrence: Recurrence): number {
  const perUnit: Record<string, number> = {
    day: DAY,
    week: 7 * DAY,
    month: 30.436875 * DAY,
    year: 365.2425 * DAY,
  };
  return (perUnit[recurrence.interval] ?? DAY) * recurrence.interval_count;
}

/** True when two recurrences bill on different cycles, which makes Stripe reset the anchor. */
export function sameCycle(a: Recurrence, b: Recurrence): boolean {
  const months = (r: Recurrence) =>
    r.interval === 'year' ? r.interval_count * 12 : r.interval === 'month' ? r.interval_count : null;
  const ma = months(a);
  const mb = months(b);
  if (ma !== null && mb !== null) return ma === mb;
  const days = (r: Recurrence) => (r.interval === 'week' ? 7 : 1) * r.interval_count;
  if (ma === null && mb === null) return days(a) === days(b);
  return false;
}
