export type BillingInterval = 'day' | 'week' | 'month' | 'year';

const DAY_MS = 86_400_000;

/**
 * `from` moved on by `count` intervals, in UTC. Months and years keep the day of the month, clamped
 * to the last day of a shorter month (Jan 31 → Feb 28), as Stripe bills.
 */
export function addBillingCycles(from: Date, interval: BillingInterval, count: number): Date {
  if (interval === 'day') return new Date(from.getTime() + count * DAY_MS);
  if (interval === 'week') return new Date(from.getTime() + count * 7 * DAY_MS);
  const months = interval === 'year' ? count * 12 : count;
  const target = new Date(from.getTime());
  const day = from.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}

/** The UTC calendar date (YYYY-MM-DD) of an instant: how the API states billing dates. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}
