import type Stripe from 'stripe';
import { callStripe } from './errors.js';
import { idOf } from './mapping.js';

/**
 * Stripe's clock for an object it has just answered with, in whole seconds: the frozen time of the
 * test clock the object names (customers, subscriptions and invoices do), else the answer's `Date`
 * header, else now. An object on a test clock lives at the clock's time, months from the wall
 * clock: stamped with the wall clock, it would look newer than the events that follow it.
 */
export async function stripeTimeOf(stripe: Stripe, object: unknown): Promise<Date> {
  const clock = idOf((object as { test_clock?: string | { id: string } | null }).test_clock);
  if (clock) {
    const testClock = await callStripe(() => stripe.testHelpers.testClocks.retrieve(clock));
    return new Date(testClock.frozen_time * 1000);
  }
  const header = (object as { lastResponse?: { headers?: Record<string, string> } }).lastResponse?.headers
    ?.date;
  const answered = header ? new Date(header) : null;
  const at = answered && !Number.isNaN(answered.getTime()) ? answered : new Date();
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}
