import { describe, expect, it } from 'vitest';
import { createPlan } from './support/billing.js';
import { billingTestApp } from './support/billing-app.js';
import { advanceClock, DAY, HOUR } from './support/subscriptions.js';
import { serviceOk, subscribedUser } from './support/usage.js';
import { settled } from './support/wait.js';

// Limits follow the payer's plan and its periods: a billing_period count starts again at the
// subscription's own renewal (from the mirror), an upgrade raises the limit at once, a downgrade
// waits for the next period.
const h = billingTestApp();

const payer = (userId: string) => ({ payerKind: 'user' as const, payerId: userId });

describe('usage periods', () => {
  it('starts a billing_period count again at the renewal, and counts a late event into the period it belongs to', async () => {
    const plan = await createPlan(h.t, {
      key: 'metered',
      benefits: [{ key: 'api_calls', limit: 100, reset: 'billing_period' }],
    });
    const { subscription, clock } = await subscribedUser(
      h.t,
      h.stripe,
      'gus',
      plan.prices[0]!.stripe_price_id,
    );
    await serviceOk(h.t, '/api/usage', {
      user_id: 'gus',
      feature: 'api_calls',
      value: 70,
      idempotency_key: 'a',
    });
    const first = await serviceOk(h.t, '/api/check', { user_id: 'gus', feature: 'api_calls' });
    const periodEnd = subscription.items.data[0]!.current_period_end;
    expect(first).toMatchObject({ used: 70, resets_at: new Date(periodEnd * 1000).toISOString() });

    await advanceClock(h.stripe, clock, periodEnd + HOUR);
    await settled(h.t);
    const renewed = new Date((periodEnd + 2 * HOUR) * 1000);
    const check = () =>
      h.t.services.usage.check(
        { payer: payer('gus'), feature: 'api_calls', required: 1, reserve: false },
        renewed,
      );
    expect(await check()).toMatchObject({
      used: 0,
      balance: 100,
      period_start: new Date(periodEnd * 1000).toISOString(),
    });
    // An event from before the renewal, reported late, counts into the period it happened in.
    await h.t.services.usage.track(
      [
        {
          payer: payer('gus'),
          feature: 'api_calls',
          value: 5,
          idempotencyKey: 'late',
          timestamp: new Date((periodEnd - HOUR) * 1000),
        },
        { payer: payer('gus'), feature: 'api_calls', value: 2, idempotencyKey: 'new' },
      ],
      renewed,
    );
    expect(await check()).toMatchObject({ used: 2 });
    expect(
      await h.t.services.usage.check(
        { payer: payer('gus'), feature: 'api_calls', required: 1, reserve: false },
        new Date((periodEnd - DAY) * 1000),
      ),
    ).toMatchObject({ used: 75 });
  });

  it('raises the limit at once on an upgrade, and lowers it only at the next period on a downgrade', async () => {
    const basic = await createPlan(h.t, {
      key: 'basic',
      benefits: [{ key: 'exports', limit: 10, reset: 'month' }],
    });
    const pro = await createPlan(h.t, {
      key: 'pro',
      benefits: [{ key: 'exports', limit: 50, reset: 'month' }],
      prices: [{ currency: 'usd', unit_amount: 5000, interval: 'month' }],
    });
    const { subscription } = await subscribedUser(h.t, h.stripe, 'hal', basic.prices[0]!.stripe_price_id);
    const track = (key: string, value: number) =>
      serviceOk(h.t, '/api/usage', { user_id: 'hal', feature: 'exports', value, idempotency_key: key });
    const check = () => serviceOk(h.t, '/api/check', { user_id: 'hal', feature: 'exports' });
    await track('a', 8);
    expect(await check()).toMatchObject({ limit: 10, balance: 2 });

    const move = async (price: string) => {
      const current = await h.stripe.subscriptions.retrieve(subscription.id);
      await h.stripe.subscriptions.update(subscription.id, {
        items: [{ id: current.items.data[0]!.id, price }],
        proration_behavior: 'none',
      });
      await settled(h.t);
    };
    await move(pro.prices[0]!.stripe_price_id);
    expect(await check()).toMatchObject({ limit: 50, balance: 42 });
    await track('b', 1);

    await move(basic.prices[0]!.stripe_price_id);
    expect(await check()).toMatchObject({ limit: 50, balance: 41 });
    const now = new Date();
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 2));
    expect(
      await h.t.services.usage.check(
        { payer: payer('hal'), feature: 'exports', required: 1, reserve: false },
        nextMonth,
      ),
    ).toMatchObject({ limit: 10, used: 0, balance: 10 });
  });

  it('keeps the limit held until the period ends when the downgrade comes before any use', async () => {
    const basic = await createPlan(h.t, {
      key: 'basic',
      benefits: [
        { key: 'exports', limit: 10, reset: 'month' },
        { key: 'api_calls', limit: 100, reset: 'billing_period' },
      ],
    });
    const pro = await createPlan(h.t, {
      key: 'pro',
      benefits: [
        { key: 'exports', limit: 50, reset: 'month' },
        { key: 'api_calls', limit: 1000, reset: 'billing_period' },
      ],
      prices: [{ currency: 'usd', unit_amount: 5000, interval: 'month' }],
    });
    const { subscription, clock } = await subscribedUser(
      h.t,
      h.stripe,
      'ivy',
      pro.prices[0]!.stripe_price_id,
    );
    // Downgraded in Stripe's Dashboard, a day into the period, before Ivy used anything.
    const dayIn = subscription.items.data[0]!.current_period_start + DAY;
    await advanceClock(h.stripe, clock, dayIn);
    await h.stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]!.id, price: basic.prices[0]!.stripe_price_id }],
      proration_behavior: 'none',
    });
    await settled(h.t);
    const checkAt = (feature: string, at?: Date) =>
      h.t.services.usage.check({ payer: payer('ivy'), feature, required: 1, reserve: false }, at);
    const now = new Date((dayIn + 60) * 1000);
    expect(await checkAt('exports', now)).toMatchObject({ limit: 50, used: 0, balance: 50 });
    expect(await checkAt('api_calls', now)).toMatchObject({ limit: 1000, used: 0, balance: 1000 });

    // The calendar month's floor ends with the month; the billing period's with the renewal.
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 2));
    expect(await checkAt('exports', nextMonth)).toMatchObject({ limit: 10, balance: 10 });
    const periodEnd = subscription.items.data[0]!.current_period_end;
    await advanceClock(h.stripe, clock, periodEnd + HOUR);
    await settled(h.t);
    expect(await checkAt('api_calls', new Date((periodEnd + 2 * HOUR) * 1000))).toMatchObject({
      limit: 100,
      used: 0,
      period_start: new Date(periodEnd * 1000).toISOString(),
    });
  });
});
