import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { advanceClock, DAY, subscriptionHarness } from './support/subscriptions.js';
import { settled } from './support/wait.js';

const h = subscriptionHarness();

/**
 * A customer on a test clock a year in the past: Recur's own write and Stripe's event about it fall
 * in the same second, so the worker reads the subscription again. That read must be stamped with the
 * clock's time, not the wall clock's, or every later event of the clock would look stale.
 */
describe('a same-second tie on a test clock in the past', () => {
  it('keeps applying the events that follow it', async () => {
    const yearAgo = Math.floor(Date.now() / 1000) - 365 * DAY;
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: yearAgo });
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
