// Ending a trial with `trial_end=now` does what a trial running out on the test clock does: without
// a payment method, `trial_settings.end_behavior.missing_payment_method` decides whether the
// subscription pauses (no invoice), is canceled, or is invoiced
// (https://docs.stripe.com/billing/subscriptions/trials/free-trials).

import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  advanceClock,
  at,
  billingTestHarness,
  type Catalog,
  eventTypesSince,
  latestEventId,
} from './testing/billing-fixtures.js';

let catalog: Catalog;
let stripe: Stripe;

const billing = billingTestHarness();
beforeEach(() => {
  ({ stripe, catalog } = billing);
});

type Missing = Stripe.SubscriptionCreateParams.TrialSettings.EndBehavior.MissingPaymentMethod;

/** A 7-day trial without a payment method, on a clock, ended one way or the other. */
async function trialEnded(missing: Missing, how: 'now' | 'clock') {
  const start = at('2026-06-01T00:00:00Z');
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
  const customer = await stripe.customers.create({ test_clock: clock.id });
  const created = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: catalog.basic.id }],
    trial_period_days: 7,
    trial_settings: { end_behavior: { missing_payment_method: missing } },
  });
  const since = await latestEventId(stripe);
  if (how === 'now') await stripe.subscriptions.update(created.id, { trial_end: 'now' });
  else await advanceClock(stripe, clock.id, start + 7 * 86_400 + 1);
  const subscription = await stripe.subscriptions.retrieve(created.id);
  const invoices = (await stripe.invoices.list({ subscription: created.id })).data;
  // The clock's own events, and those of the days it passed, are not part of the trial's end.
  const passing = ['customer.subscription.trial_will_end', 'invoice.upcoming'];
  const events = (await eventTypesSince(stripe, since)).filter(
    (type) => !type.startsWith('test_helpers.') && !passing.includes(type),
  );
  return { subscription, invoices, events };
}

describe('ending a trial without a payment method', () => {
  it.each([
    ['pause', 'paused', 'customer.subscription.paused'],
    ['cancel', 'canceled', 'customer.subscription.deleted'],
  ] as const)(
    '%s: trial_end=now leaves it %s with no invoice, as the clock does',
    async (missing, status, event) => {
      const now = await trialEnded(missing, 'now');
      const clock = await trialEnded(missing, 'clock');
      for (const ended of [now, clock]) {
        expect(ended.subscription.status).toBe(status);
        // Only the trial's own zero-amount invoice exists.
        expect(ended.invoices.map((i) => i.billing_reason)).toEqual(['subscription_create']);
        expect(ended.events).toContain(event);
        expect(ended.events).not.toContain('invoice.created');
      }
      expect(now.events).toEqual(clock.events);
    },
  );

  it('create_invoice: trial_end=now bills the first period, as the clock does', async () => {
    const now = await trialEnded('create_invoice', 'now');
    const clock = await trialEnded('create_invoice', 'clock');
    for (const ended of [now, clock]) {
      expect(ended.invoices).toHaveLength(2);
      expect(ended.events).toContain('invoice.created');
      expect(ended.events).not.toContain('customer.subscription.paused');
    }
  });
});
