// How a subscription schedule ends, on a test clock: `end_behavior` decides (release: the schedule
// is `released` and the subscription runs on; cancel: the schedule is `completed` and the
// subscription canceled), `subscription_schedule.expiring` comes 7 days before, and a schedule
// whose subscription ends first ends with it
// (https://docs.stripe.com/billing/subscriptions/subscription-schedules#completing-a-schedule,
// https://docs.stripe.com/api/subscription_schedules/object#subscription_schedule_object-end_behavior,
// and the event types of the pinned SDK).

import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  advanceClock,
  at,
  billingTestHarness,
  type Catalog,
  customerWithCard,
  DAY,
  eventTypesSince,
  HOUR,
  latestEventId,
} from './testing/billing-fixtures.js';

let stripe: Stripe;
let catalog: Catalog;

const billing = billingTestHarness();
beforeEach(() => {
  ({ stripe, catalog } = billing);
});

const START = at('2026-03-05T00:00:00Z');
const END = at('2026-05-05T00:00:00Z');

/** A two-month schedule that starts now on a fresh clock. */
async function scheduleOnClock(endBehavior: 'release' | 'cancel') {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: START });
  const customer = await customerWithCard(stripe, { testClock: clock.id });
  const schedule = await stripe.subscriptionSchedules.create({
    customer: customer.id,
    start_date: 'now',
    end_behavior: endBehavior,
    phases: [{ items: [{ price: catalog.basic.id }], duration: { interval: 'month', interval_count: 2 } }],
  });
  expect(schedule.phases[0]!.end_date).toBe(END);
  return { clock, schedule, subscription: String(schedule.subscription) };
}

const scheduleEvents = (types: string[]) =>
  types.filter(
    (type) => type.startsWith('subscription_schedule.') || type === 'customer.subscription.deleted',
  );

describe('a subscription schedule reaching its end', () => {
  it('cancel: completed, subscription canceled, after expiring 7 days before', async () => {
    const { clock, schedule, subscription } = await scheduleOnClock('cancel');
    const since = await latestEventId(stripe);
    await advanceClock(stripe, clock.id, END - 7 * DAY + 1);
    expect(scheduleEvents(await eventTypesSince(stripe, since))).toEqual(['subscription_schedule.expiring']);

    const before = await latestEventId(stripe);
    await advanceClock(stripe, clock.id, END + HOUR);
    expect(await stripe.subscriptionSchedules.retrieve(schedule.id)).toMatchObject({
      status: 'completed',
      completed_at: END,
      canceled_at: null,
      current_phase: null,
    });
    expect((await stripe.subscriptions.retrieve(subscription)).status).toBe('canceled');
    expect(scheduleEvents(await eventTypesSince(stripe, before))).toEqual([
      'subscription_schedule.completed',
      'customer.subscription.deleted',
    ]);
  });

  it('release: released, the subscription runs on, after expiring 7 days before', async () => {
    const { clock, schedule, subscription } = await scheduleOnClock('release');
    const since = await latestEventId(stripe);
    await advanceClock(stripe, clock.id, END + HOUR);
    expect(await stripe.subscriptionSchedules.retrieve(schedule.id)).toMatchObject({
      status: 'released',
      released_at: END,
      released_subscription: subscription,
      subscription: null,
    });
    expect((await stripe.subscriptions.retrieve(subscription)).status).toBe('active');
    expect(scheduleEvents(await eventTypesSince(stripe, since))).toEqual([
      'subscription_schedule.expiring',
      'subscription_schedule.released',
    ]);
  });

  it('ends with its subscription when the subscription is canceled first', async () => {
    const { schedule, subscription } = await scheduleOnClock('release');
    const since = await latestEventId(stripe);
    await stripe.subscriptions.cancel(subscription);
    expect(await stripe.subscriptionSchedules.retrieve(schedule.id)).toMatchObject({
      status: 'canceled',
      canceled_at: START,
      current_phase: null,
    });
    expect(scheduleEvents(await eventTypesSince(stripe, since))).toEqual([
      'customer.subscription.deleted',
      'subscription_schedule.canceled',
    ]);
  });
});
