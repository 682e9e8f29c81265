import type Stripe from 'stripe';
import { callStripe } from './errors.js';

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
export async function atStripeTime<T extends object>(
  stripe: Stripe,
  answered: T,
  readAgain: () => Promise<T>,
): Promise<AtStripeTime<T>> {
  const clock = 'test_clock' in answered ? clockId(answered.test_clock) : null;
  if (clock) {
    const testClock = await callStripe(() => stripe.testHelpers.testClocks.retrieve(clock));
    return { object: await readAgain(), at: new Date(testClock.frozen_time * 1000) };
  }
  const header = dateHeader(answered);
  const date = header ? new Date(header) : null;
  const at = date && !Number.isNaN(date.getTime()) ? date : new Date();
  return { object: answered, at: new Date(Math.floor(at.getTime() / 1000) * 1000) };
}

/** A test clock named by id or expanded; the SDK's objects that have one type it so. */
function clockId(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || !('id' in value)) return null;
  return typeof value.id === 'string' ? value.id : null;
}

/** The `Date` header the SDK attaches to an answer as `lastResponse.headers`. */
function dateHeader(answered: object): string | null {
  if (!('lastResponse' in answered)) return null;
  const response = answered.lastResponse;
  if (typeof response !== 'object' || response === null || !('headers' in response)) return null;
  const { headers } = response;
  if (typeof headers !== 'object' || headers === null || !('date' in headers)) return null;
  return typeof headers.date === 'string' ? headers.date : null;
}
