// Usage-based invoicing: metered prices billed in arrears from their meter at each renewal (per
// unit, graduated, volume), at a cancellation's final invoice and in previews; tiered licensed
// prices on subscription invoices and prorations. Driven through the SDK with test clocks.

import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  advanceClock,
  billingTestHarness,
  customerWithCard,
  DAY,
  HOUR,
  JAN_1_2026,
} from './testing/billing-fixtures.js';

const t = billingTestHarness();
const FEB_1 = JAN_1_2026 + 31 * DAY;
const MAR_1 = FEB_1 + 28 * DAY;

let stripe: Stripe;
let meter: Stripe.Billing.Meter;
let product: Stripe.Product;
let clock: Stripe.TestHelpers.TestClock;
let customer: Stripe.Customer;
beforeEach(async () => {
  stripe = t.stripe;
  meter = await stripe.billing.meters.create({
    display_name: 'Tokens',
    event_name: 'tokens',
    default_aggregation: { formula: 'sum' },
  });
  product = await stripe.products.create({ name: 'Tokens' });
  clock = await stripe.testHelpers.testClocks.create({ frozen_time: JAN_1_2026 });
  customer = await customerWithCard(stripe, { testClock: clock.id });
});

const meteredPrice = (params: Partial<Stripe.PriceCreateParams> = { unit_amount: 2 }) =>
  stripe.prices.create({
    product: product.id,
    currency: 'usd',
    recurring: { interval: 'month', usage_type: 'metered', meter: meter.id },
    ...params,
  });

const use = (value: number, timestamp: number, identifier?: string) =>
  stripe.billing.meterEvents.create({
    event_name: 'tokens',
    payload: { stripe_customer_id: customer.id, value: String(value) },
    timestamp,
    ...(identifier && { identifier }),
  });

const invoices = async (subscription: string) =>
  (await stripe.invoices.list({ subscription, limit: 100 })).data.reverse();

const lineOf = (invoice: Stripe.Invoice, price: Stripe.Price) =>
  invoice.lines.data.find((line) => line.pricing?.price_details?.price === price.id);

describe('metered prices at renewal', () => {
  it('bills the period just ended per unit, an identifier once, late usage within the grace hour', async () => {
    const tokens = await meteredPrice();
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: t.catalog.basic.id }, { price: tokens.id }],
    });
    const [first] = await invoices(subscription.id);
    expect(first!.amount_paid).toBe(2000);
    expect(lineOf(first!, tokens)).toMatchObject({ amount: 0, quantity: 0 });

    await advanceClock(stripe, clock.id, JAN_1_2026 + 20 * DAY);
    await use(100, JAN_1_2026 + DAY, 'req-a');
    await use(50, JAN_1_2026 + 10 * DAY, 'req-b');
    await expect(use(100, JAN_1_2026 + DAY, 'req-a')).rejects.toMatchObject({ statusCode: 400 });
    await use(9, JAN_1_2026 - 1); // before the period: never billed
    await advanceClock(stripe, clock.id, FEB_1 - 120);
    await use(3, FEB_1 - 1);
    await use(1000, FEB_1); // the next period's
    await advanceClock(stripe, clock.id, FEB_1 + 30 * 60);
    await use(7, FEB_1 - 10); // reported after the period ended, before its invoice is finalized
    await advanceClock(stripe, clock.id, FEB_1 + 2 * HOUR);

    const renewal = (await invoices(subscription.id))[1]!;
    expect(renewal).toMatchObject({
      billing_reason: 'subscription_cycle',
      status: 'paid',
      amount_paid: 2000 + 320,
    });
    expect(lineOf(renewal, tokens)).toMatchObject({
      amount: 320,
      quantity: 160,
      period: { start: JAN_1_2026, end: FEB_1 },
      description: '160 × Tokens (at $0.02 / month)',
    });
    expect(lineOf(renewal, t.catalog.basic)).toMatchObject({
      amount: 2000,
      period: { start: FEB_1, end: MAR_1 },
    });
    const summary = await stripe.billing.meters.listEventSummaries(meter.id, {
      customer: customer.id,
      start_time: JAN_1_2026,
      end_time: FEB_1,
    });
    expect(summary.data[0]!.aggregated_value).toBe(160);

    // The preview of the next renewal shows the usage recorded so far in this period.
    const preview = await stripe.invoices.createPreview({ subscription: subscription.id });
    expect(lineOf(preview, tokens)).toMatchObject({
      amount: 2000,
      quantity: 1000,
      period: { start: FEB_1, end: MAR_1 },
    });
    expect(preview.amount_due).toBe(4000);

    await use(0.5, FEB_1 + HOUR);
    await advanceClock(stripe, clock.id, MAR_1 + 2 * HOUR);
    const march = (await invoices(subscription.id))[2]!;
    // Decimal usage: the line's quantity is truncated, quantity_decimal keeps it; the amount rounds.
    expect(lineOf(march, tokens)).toMatchObject({ amount: 2001, quantity: 1000 });
    expect(String(lineOf(march, tokens)!.quantity_decimal)).toBe('1000.5');
    expect(march.amount_paid).toBe(4001);
  });

  it('prices usage through graduated and volume tiers, and bills a 0 line for no usage', async () => {
    const graduated = await meteredPrice({
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      tiers: [
        { up_to: 100, unit_amount: 0 },
        { up_to: 'inf', unit_amount: 5 },
      ],
    });
    const volume = await meteredPrice({
      billing_scheme: 'tiered',
      tiers_mode: 'volume',
      tiers: [
        { up_to: 100, unit_amount: 3 },
        { up_to: 'inf', unit_amount: 2, flat_amount: 100 },
      ],
    });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: graduated.id }, { price: volume.id }],
    });
    expect((await invoices(subscription.id))[0]!.total).toBe(0);
    await advanceClock(stripe, clock.id, JAN_1_2026 + 5 * DAY);
    await use(60, JAN_1_2026 + DAY);
    await use(90, JAN_1_2026 + 2 * DAY);
    await advanceClock(stripe, clock.id, FEB_1 + 2 * HOUR);
    const renewal = (await invoices(subscription.id))[1]!;
    // Graduated: 100 free, then 50 × 5. Volume: all 150 at the second tier, 150 × 2 + 100.
    expect(lineOf(renewal, graduated)).toMatchObject({ amount: 250, quantity: 150 });
    expect(lineOf(renewal, volume)).toMatchObject({ amount: 400, quantity: 150 });
    expect(renewal.amount_paid).toBe(650);

    await advanceClock(stripe, clock.id, MAR_1 + 2 * HOUR);
    const idle = (await invoices(subscription.id))[2]!;
    expect(idle.lines.data.map((line) => [line.quantity, line.amount])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(idle.total).toBe(0);
  });

  it('bills usage so far on a final invoice, and the last period’s usage at a period-end cancellation', async () => {
    const tokens = await meteredPrice();
    const now = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: tokens.id }] });
    await advanceClock(stripe, clock.id, JAN_1_2026 + 10 * DAY);
    await use(40, JAN_1_2026 + 5 * DAY);
    const canceled = await stripe.subscriptions.cancel(now.id, { invoice_now: true });
    const final = await stripe.invoices.retrieve(String(canceled.latest_invoice));
    expect(final).toMatchObject({ status: 'paid', amount_paid: 80 });
    expect(lineOf(final, tokens)).toMatchObject({
      quantity: 40,
      period: { start: JAN_1_2026, end: JAN_1_2026 + 10 * DAY },
    });

    const other = await customerWithCard(stripe, { testClock: clock.id });
    const later = await stripe.subscriptions.create({
      customer: other.id,
      items: [{ price: tokens.id }],
      cancel_at_period_end: true,
    });
    await stripe.billing.meterEvents.create({
      event_name: 'tokens',
      payload: { stripe_customer_id: other.id, value: '25' },
    });
    await advanceClock(stripe, clock.id, JAN_1_2026 + 41 * DAY + 2 * HOUR);
    expect((await stripe.subscriptions.retrieve(later.id)).status).toBe('canceled');
    const [, last] = await invoices(later.id);
    expect(last).toMatchObject({ status: 'paid', amount_paid: 50 });
    expect(lineOf(last!, tokens)).toMatchObject({
      quantity: 25,
      period: { start: JAN_1_2026 + 10 * DAY, end: JAN_1_2026 + 10 * DAY + 31 * DAY },
    });
  });

  it('bills the usage so far when the billing cycle restarts', async () => {
    const tokens = await meteredPrice();
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: t.catalog.basic.id }, { price: tokens.id }],
    });
    const at = JAN_1_2026 + 12 * DAY;
    await advanceClock(stripe, clock.id, at);
    await use(30, JAN_1_2026 + 3 * DAY);
    const updated = await stripe.subscriptions.update(subscription.id, {
      billing_cycle_anchor: { type: 'now' },
      proration_behavior: 'none',
    });
    const invoice = await stripe.invoices.retrieve(String(updated.latest_invoice));
    expect(lineOf(invoice, tokens)).toMatchObject({
      quantity: 30,
      amount: 60,
      period: { start: JAN_1_2026, end: at },
    });
    expect(lineOf(invoice, t.catalog.basic)).toMatchObject({ amount: 2000, period: { start: at } });
  });
});

describe('tiered licensed prices', () => {
  it('bill the tiers of the quantity and prorate the tiered amounts', async () => {
    const seats = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      recurring: { interval: 'month' },
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      tiers: [
        { up_to: 5, unit_amount: 1000, flat_amount: 500 },
        { up_to: 'inf', unit_amount: 800 },
      ],
    });
    const volume = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      recurring: { interval: 'month' },
      billing_scheme: 'tiered',
      tiers_mode: 'volume',
      tiers: [
        { up_to: 5, unit_amount: 1000 },
        { up_to: 'inf', unit_amount: 800 },
      ],
    });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [
        { price: seats.id, quantity: 7 },
        { price: volume.id, quantity: 7 },
      ],
    });
    const first = (await invoices(subscription.id))[0]!;
    // Graduated: 500 + 5 × 1000 + 2 × 800. Volume: 7 × 800.
    expect(lineOf(first, seats)).toMatchObject({ amount: 7100, quantity: 7 });
    expect(lineOf(first, volume)).toMatchObject({ amount: 5600, quantity: 7 });

    const at = JAN_1_2026 + 10 * DAY;
    await advanceClock(stripe, clock.id, at);
    const item = subscription.items.data.find((i) => i.price.id === seats.id)!;
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, quantity: 3 }],
      proration_behavior: 'always_invoice',
    });
    const left = (FEB_1 - at) / (FEB_1 - JAN_1_2026);
    const proration = await stripe.invoices.retrieve(String(updated.latest_invoice));
    expect(proration.lines.data.map((line) => line.amount).sort((a, b) => a - b)).toEqual([
      -Math.round(7100 * left),
      Math.round(3500 * left),
    ]);
    await advanceClock(stripe, clock.id, FEB_1 + 2 * HOUR);
    const renewal = (await invoices(subscription.id))[2]!;
    expect(lineOf(renewal, seats)).toMatchObject({ amount: 3500, quantity: 3 });
    // The downgrade's credit invoice left its credit on the customer's balance, which the renewal
    // takes at finalization (https://docs.stripe.com/billing/customer/balance).
    const credit = Math.round(7100 * left) - Math.round(3500 * left);
    expect(proration.ending_balance).toBe(-credit);
    expect(renewal).toMatchObject({ starting_balance: -credit, ending_balance: 0 });
    expect(renewal.amount_paid).toBe(3500 + 5600 - credit);
  });
});
