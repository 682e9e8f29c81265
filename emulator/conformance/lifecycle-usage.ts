/**
 * The usage-based part of the conformance lifecycle: billing meters, meter events and their
 * summaries, and a subscription with a metered price renewed on a test clock (so its invoice
 * carries a usage line) and previewed.
 */
import Stripe from 'stripe';
import { advanceClock } from '../billing/testing/billing-fixtures.js';

const DAY = 86_400;

export async function usageLifecycle(stripe: Stripe, k: <T>(call: Promise<T>) => Promise<T>) {
  const meter = await k(
    stripe.billing.meters.create({
      display_name: 'Tokens',
      event_name: 'lifecycle_tokens',
      default_aggregation: { formula: 'sum' },
    }),
  );
  await k(stripe.billing.meters.update(meter.id, { display_name: 'AI tokens' }));
  await k(stripe.billing.meters.deactivate(meter.id));
  await k(stripe.billing.meters.reactivate(meter.id));
  await k(stripe.billing.meters.retrieve(meter.id));
  await k(stripe.billing.meters.list({ status: 'active' }));

  const product = await k(stripe.products.create({ name: 'Tokens' }));
  const perUnit = await k(
    stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount_decimal: Stripe.Decimal.from('0.5'),
      recurring: { interval: 'month', usage_type: 'metered', meter: meter.id },
    }),
  );
  const clock = await k(
    stripe.testHelpers.testClocks.create({ frozen_time: Math.floor(Date.now() / 1000), name: 'Usage' }),
  );
  const customer = await k(
    stripe.customers.create({
      test_clock: clock.id,
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    }),
  );
  const subscription = await k(
    stripe.subscriptions.create({ customer: customer.id, items: [{ price: perUnit.id }] }),
  );
  await k(
    stripe.billing.meterEvents.create({
      event_name: 'lifecycle_tokens',
      payload: { stripe_customer_id: customer.id, value: '120' },
      identifier: 'lifecycle-1',
    }),
  );
  await k(
    stripe.billing.meters.listEventSummaries(meter.id, {
      customer: customer.id,
      start_time: Math.floor(clock.frozen_time / 60) * 60 - DAY,
      end_time: Math.floor(clock.frozen_time / 60) * 60 + 60,
      value_grouping_window: 'hour',
    }),
  );
  await k(stripe.invoices.createPreview({ subscription: subscription.id }));
  await advanceClock(stripe, clock.id, clock.frozen_time + 32 * DAY);
  await k(stripe.invoices.list({ customer: customer.id }));
  await k(stripe.testHelpers.testClocks.del(clock.id));
}
