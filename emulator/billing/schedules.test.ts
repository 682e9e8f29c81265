// Subscription schedules and test clocks through the official SDK.

import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  advanceClock,
  at,
  billingTestHarness,
  type Catalog,
  customerWithCard,
  HOUR,
} from './testing/billing-fixtures.js';

let stripe: Stripe;
let catalog: Catalog;

const billing = billingTestHarness();
beforeEach(() => {
  ({ stripe, catalog } = billing);
});

describe('subscription schedules', () => {
  it('keeps an archived price its subscription bills, and refuses it in a phase that did not hold it', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: at('2026-03-05T00:00:00Z') });
    const customer = await customerWithCard(stripe, { testClock: clock.id });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.pro.id }],
    });
    await stripe.prices.update(catalog.pro.id, { active: false });
    const schedule = await stripe.subscriptionSchedules.create({ from_subscription: subscription.id });
    expect(schedule.phases[0]!.items[0]!.price).toBe(catalog.pro.id);
    const current = schedule.phases[0]!;
    const updated = await stripe.subscriptionSchedules.update(schedule.id, {
      phases: [
        { items: [{ price: catalog.pro.id }], start_date: current.start_date, end_date: current.end_date },
        { items: [{ price: catalog.basic.id }], duration: { interval: 'month', interval_count: 1 } },
      ],
    });
    expect(updated.phases.map((p) => p.items[0]!.price)).toEqual([catalog.pro.id, catalog.basic.id]);

    await stripe.prices.update(catalog.basic.id, { active: false });
    const other = await stripe.subscriptions.create({
      customer: (await customerWithCard(stripe, { testClock: clock.id })).id,
      items: [{ price: catalog.proYearly.id }],
    });
    const otherSchedule = await stripe.subscriptionSchedules.create({ from_subscription: other.id });
    const phase = otherSchedule.phases[0]!;
    await expect(
      stripe.subscriptionSchedules.update(otherSchedule.id, {
        phases: [
          {
            items: [{ price: catalog.proYearly.id }],
            start_date: phase.start_date,
            end_date: phase.end_date,
          },
          { items: [{ price: catalog.basic.id }] },
        ],
      }),
    ).rejects.toMatchObject({
      message: 'The price specified is inactive. This field only accepts active prices.',
    });
  });

  it('downgrades at period end: the next phase bills the renewal, then the schedule releases', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: at('2026-03-05T00:00:00Z') });
    const customer = await customerWithCard(stripe, { testClock: clock.id });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.pro.id }],
    });
    const schedule = await stripe.subscriptionSchedules.create({ from_subscription: subscription.id });
    expect(schedule).toMatchObject({
      status: 'active',
      subscription: subscription.id,
      end_behavior: 'release',
    });
    expect(schedule.phases).toHaveLength(1);
    expect((await stripe.subscriptions.retrieve(subscription.id)).schedule).toBe(schedule.id);

    const current = schedule.phases[0]!;
    const updated = await stripe.subscriptionSchedules.update(schedule.id, {
      phases: [
        { items: [{ price: catalog.pro.id }], start_date: current.start_date, end_date: current.end_date },
        { items: [{ price: catalog.basic.id }], duration: { interval: 'month', interval_count: 1 } },
      ],
    });
    expect(updated.phases.map((p) => p.items[0]!.price)).toEqual([catalog.pro.id, catalog.basic.id]);

    await advanceClock(stripe, clock.id, at('2026-04-05T00:00:00Z') + HOUR + 1);
    const renewed = await stripe.subscriptions.retrieve(subscription.id);
    expect(renewed.items.data[0]!.price.id).toBe(catalog.basic.id);
    const invoice = await stripe.invoices.retrieve(String(renewed.latest_invoice));
    expect(invoice).toMatchObject({ total: 2000, status: 'paid' });

    await advanceClock(stripe, clock.id, at('2026-05-05T00:00:00Z') + HOUR + 1);
    expect(await stripe.subscriptionSchedules.retrieve(schedule.id)).toMatchObject({
      status: 'released',
      released_subscription: subscription.id,
    });
    expect(await stripe.subscriptions.retrieve(subscription.id)).toMatchObject({
      status: 'active',
      schedule: null,
    });
  });

  it('releases on request, and cancels the subscription with the schedule', async () => {
    const customer = await customerWithCard(stripe);
    const first = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.basic.id }],
    });
    const released = await stripe.subscriptionSchedules.release(
      (await stripe.subscriptionSchedules.create({ from_subscription: first.id })).id,
    );
    expect(released).toMatchObject({
      status: 'released',
      subscription: null,
      released_subscription: first.id,
    });
    const second = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.basic.id }],
    });
    const schedule = await stripe.subscriptionSchedules.create({ from_subscription: second.id });
    expect((await stripe.subscriptionSchedules.cancel(schedule.id)).status).toBe('canceled');
    expect((await stripe.subscriptions.retrieve(second.id)).status).toBe('canceled');
    const types = (await stripe.events.list({ limit: 40 })).data.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'subscription_schedule.created',
        'subscription_schedule.released',
        'subscription_schedule.canceled',
      ]),
    );
  });

  // https://docs.stripe.com/changelog/clover/2025-09-30/remove-iterations
  it('measures a phase by its duration, refuses the removed iterations, and refuses duration with end_date', async () => {
    const customer = await customerWithCard(stripe);
    const start = Math.floor(Date.parse('2030-01-31T00:00:00Z') / 1000);
    const schedule = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: start,
      phases: [
        { items: [{ price: catalog.basic.id }], duration: { interval: 'month', interval_count: 2 } },
        { items: [{ price: catalog.pro.id }], duration: { interval: 'week' } },
      ],
    });
    expect(schedule.phases.map((p) => [p.start_date, p.end_date])).toEqual([
      [start, at('2030-03-31T00:00:00Z')],
      [at('2030-03-31T00:00:00Z'), at('2030-04-07T00:00:00Z')],
    ]);

    const legacyPhase = { items: [{ price: catalog.basic.id }], iterations: 1 };
    await expect(
      stripe.subscriptionSchedules.create({
        customer: customer.id,
        start_date: 'now',
        phases: [legacyPhase],
      }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'phases[0][iterations]' });
    await expect(
      stripe.subscriptionSchedules.create({
        customer: customer.id,
        start_date: 'now',
        phases: [{ items: [{ price: catalog.basic.id }], duration: { interval: 'month' }, end_date: start }],
      }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'phases[0][duration]' });
  });

  it('starts a subscription from a customer and phases', async () => {
    const customer = await customerWithCard(stripe);
    const schedule = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: 'now',
      end_behavior: 'cancel',
      phases: [{ items: [{ price: catalog.basic.id, quantity: 2 }] }],
    });
    expect(schedule.status).toBe('active');
    const subscription = await stripe.subscriptions.retrieve(String(schedule.subscription));
    expect(subscription).toMatchObject({ status: 'active', schedule: schedule.id });
    expect(subscription.items.data[0]!.quantity).toBe(2);
  });
});

describe('test clocks', () => {
  it('creates, lists, advances with advancing → ready, and deletes with its objects', async () => {
    const frozen = at('2026-02-01T00:00:00Z');
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: frozen, name: 'Feb' });
    expect(clock).toMatchObject({ status: 'ready', frozen_time: frozen, name: 'Feb' });
    expect((await stripe.testHelpers.testClocks.list()).data.map((c) => c.id)).toEqual([clock.id]);
    const customer = await customerWithCard(stripe, { testClock: clock.id });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.basic.id }],
    });
    expect(subscription.created).toBe(frozen);

    const advancing = await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: frozen + 3600 });
    expect(advancing.status).toBe('advancing');
    await expect(
      stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: frozen }),
    ).rejects.toMatchObject({
      statusCode: 400,
    });
    const ready = await advanceClock(stripe, clock.id, frozen + 7200);
    expect(ready).toMatchObject({ status: 'ready', frozen_time: frozen + 7200 });
    await expect(
      stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: frozen }),
    ).rejects.toMatchObject({
      param: 'frozen_time',
    });

    expect(await stripe.testHelpers.testClocks.del(clock.id)).toMatchObject({ id: clock.id, deleted: true });
    await expect(stripe.subscriptions.retrieve(subscription.id)).rejects.toMatchObject({ statusCode: 404 });
    await expect(stripe.testHelpers.testClocks.retrieve(clock.id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('sends invoice.upcoming three days before a renewal, with the coming total', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: at('2026-02-01T00:00:00Z') });
    const customer = await customerWithCard(stripe, { testClock: clock.id });
    await stripe.subscriptions.create({ customer: customer.id, items: [{ price: catalog.pro.id }] });
    await advanceClock(stripe, clock.id, at('2026-02-26T00:00:00Z') - 1);
    expect((await stripe.events.list({ type: 'invoice.upcoming' })).data).toHaveLength(0);
    await advanceClock(stripe, clock.id, at('2026-02-26T00:00:00Z'));
    const upcoming = (await stripe.events.list({ type: 'invoice.upcoming' })).data;
    expect(upcoming).toHaveLength(1);
    expect(upcoming[0]!.data.object).toMatchObject({
      object: 'invoice',
      total: 5000,
      billing_reason: 'upcoming',
    });
  });
});
