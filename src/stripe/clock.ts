import type Stripe from 'stripe';
import { callStripe } from './errors.js';
import { idOf } from './mapping.js';

/** An object as Stripe has it, and a time on Stripe's clock its state is at least as new as. */
export interface AtStripeTime<T> {
  object: T;
  at: Date;
}

/**
 * Stripe's clock for an object it has just answered with, in whole seconds. An object on a test
 * clock (customers, subscriptions and invoices name theirs) lives at the clock's frozen time, months
 * from the wall clock; stamped with the wall clock, it would look newer than the events that follow.
 * The clock can be advanced between any two requests, so its time is read first and the object read
 * again after it (`readAgain`): the time read after an object would date its state as of before an
 * advance with the advance's end, and every event of that advance would then look stale. Any other
 * object is dated by the answer's `Date` header, else now.
 */
export async function atStripeTime<T>(
  stripe: Stripe,
  answered: T,
  readAgain: () => Promise<T>,
): Promise<AtStripeTime<T>> {
  const clock = idOf((answered as { test_clock?: string | { id: string } | null }).test_clock);
  if (clock) {
    const testClock = await callStripe(() => stripe.testHelpers.testClocks.retrieve(clock));
    return { object: await readAgain(), at: new Date(testClock.frozen_time * 1000) };
  }
  const header = (answered as { lastResponse?: { headers?: Record<string, string> } }).lastResponse?.headers
    ?.date;
  const date = header ? new Date(header) : null;
  const at = date && !Number.isNaN(date.getTime()) ? date : new Date();
  return { object: answered, at: new Date(Math.floor(at.getTime() / 1000) * 1000) };
}
