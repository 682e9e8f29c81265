import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { atStripeTime } from '../src/stripe/clock.js';
import { advanceClock, DAY, subscriptionHarness } from './support/subscriptions.js';
import { settled } from './support/wait.js';

const h = subscriptionHarness();

/** A customer paying by card on a test clock frozen at `frozenTime`, subscribed to Basic monthly. */
async function subscriberOnClock(frozenTime: number) {
  const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: frozenTime });
  const customer = await h.stripe.customers.create({
    email: 'past@example.com',
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
    test_clock: clock.id,
  });
  const sub = await h.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: h.catalog.basic.monthly }],
  });
  return { clock, sub };
}

/**
 * A customer on a test clock a year in the past: Recur's own write and Stripe's event about it fall
 * in the same second, so the worker reads the subscription again. That read must be stamped with the
 * clock's time, not the wall clock's, or every later event of the clock would look stale.
 */
describe('a same-second tie on a test clock in the past', () => {
  it('keeps applying the events that follow it', async () => {
    const yearAgo = Math.floor(Date.now() / 1000) - 365 * DAY;
    const { clock, sub } = await subscriberOnClock(yearAgo);
    await settled(h.t);

    // Recur's write lands first, Stripe's event about it (same second) after: the tie.
    await h.t.services.worker.stop();
    const operator = { kind: 'api_key', role: 'admin', keyId: 'tie-test' } as const;
    await h.t.services.subscriptions.cancel(operator, sub.id, { at_period_end: true }, {});
    await h.t.emulator.webhooksIdle();
    await h.t.services.worker.start();
    await settled(h.t);
    await advanceClock(h.stripe, clock.id, yearAgo + 40 * DAY);
    await settled(h.t);

    const [row] = await queryRows<{ status: string; stamped: number }>(
      h.t.database.db,
      sql`select status, extract(epoch from stripe_event_at)::int as stamped from subscriptions where id = ${sub.id}`,
    );
    expect(row!.status).toBe('canceled');
    const periodEnd = sub.items.data[0]!.current_period_end;
    expect(row!.stamped).toBe(periodEnd);
    const [churn] = await queryRows<{ at: number }>(
      h.t.database.db,
      sql`select extract(epoch from at)::int as at from mrr_movements where subscription_id = ${sub.id} and kind = 'churned'`,
    );
    expect(churn!.at).toBe(periodEnd);
  });
});

/**
 * The clock can be advanced between two requests: a subscription read just before an advance, then
 * dated by the clock read just after it, would carry the advance's end as its time, and the events of
 * the advance (a renewal) would all look older than it and be skipped. So the clock is read first
 * and the object again after it.
 */
describe('an object read just before its test clock is advanced', () => {
  it('is read again after the clock, so its state is as new as the time it is given', async () => {
    const start = Math.floor(Date.now() / 1000) - 365 * DAY;
    const { clock, sub } = await subscriberOnClock(start);
    const before = await h.stripe.subscriptions.retrieve(sub.id);

    await advanceClock(h.stripe, clock.id, start + 40 * DAY);
    const { object, at } = await atStripeTime(h.stripe, before, () =>
      h.stripe.subscriptions.retrieve(sub.id),
    );

    expect(at.getTime() / 1000).toBe(start + 40 * DAY);
    const periodStart = (s: typeof before) => s.items.data[0]!.current_period_start;
    expect(periodStart(object)).toBeGreaterThan(periodStart(before));
    expect(periodStart(object)).toBeLessThanOrEqual(start + 40 * DAY);
  });
});
