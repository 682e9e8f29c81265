import type { UsageReset } from '../db/schema/plans.js';
import { addBillingCycles, type BillingInterval } from '../subscriptions/billing-cycle.js';

/** A counter's period: `end` is exclusive, null for `never`. */
export interface UsagePeriod {
  start: Date;
  end: Date | null;
}

export type Interval = BillingInterval;

/** The granting subscription's own period (from the mirror) and how it steps. */
export interface BillingAnchor {
  start: Date;
  end: Date;
  interval: Interval;
  intervalCount: number;
}

/** The one period of `reset: never`. */
export const EPOCH = new Date(0);

const DAY_MS = 86_400_000;

const utcDay = (at: Date) => Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());

/**
 * The period `at` falls in: UTC calendar periods (weeks start on Monday 00:00 UTC), the epoch for
 * `never`, and for `billing_period` the subscription's own period, stepped by its price's interval
 * for a moment outside it (a late event from the previous period, one after a renewal not yet
 * mirrored). Without a subscription, `billing_period` counts by calendar month.
 */
export function periodOf(reset: UsageReset, at: Date, anchor: BillingAnchor | null = null): UsagePeriod {
  switch (reset) {
    case 'never':
      return { start: EPOCH, end: null };
    case 'day': {
      const start = utcDay(at);
      return { start: new Date(start), end: new Date(start + DAY_MS) };
    }
    case 'week': {
      const daysSinceMonday = (at.getUTCDay() + 6) % 7;
      const start = utcDay(at) - daysSinceMonday * DAY_MS;
      return { start: new Date(start), end: new Date(start + 7 * DAY_MS) };
    }
    case 'month':
      return {
        start: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)),
        end: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)),
      };
    case 'year':
      return {
        start: new Date(Date.UTC(at.getUTCFullYear(), 0, 1)),
        end: new Date(Date.UTC(at.getUTCFullYear() + 1, 0, 1)),
      };
    case 'billing_period':
      return anchor ? billingPeriodOf(anchor, at) : periodOf('month', at);
  }
}

function billingPeriodOf(anchor: BillingAnchor, at: Date): UsagePeriod {
  if (at >= anchor.start && at < anchor.end) return { start: anchor.start, end: anchor.end };
  const step = (k: number) => addBillingCycles(anchor.start, anchor.interval, k * anchor.intervalCount);
  // Periods counted from the mirrored start, so that month lengths never drift.
  let k = at >= anchor.end ? 1 : -1;
  for (let guard = 0; guard < 10_000; guard++) {
    const start = step(k);
    const end = step(k + 1);
    if (at >= start && at < end) return { start, end };
    k += at >= end ? 1 : -1;
  }
  return { start: anchor.start, end: anchor.end };
}
