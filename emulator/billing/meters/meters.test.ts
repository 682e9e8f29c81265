import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../testing/harness.js';

let h: Harness;
let stripe: Stripe;
beforeAll(async () => {
  h = await startHarness();
  stripe = h.stripe;
});
beforeEach(() => h.emulator.reset());
afterAll(() => h.emulator.close());

const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
const HOUR = 3_600;
const DAY = 86_400;

const refusal = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (error) {
    return error as Stripe.errors.StripeError;
  }
  throw new Error('expected the call to be refused');
};

const tokens = (overrides: Partial<Stripe.Billing.MeterCreateParams> = {}) =>
  stripe.billing.meters.create({
    display_name: 'Tokens',
    event_name: 'tokens',
    default_aggregation: { formula: 'sum' },
    ...overrides,
  });

describe('billing meters', () => {
  it('creates a meter with Stripe’s defaults, updates its name, deactivates and reactivates it', async () => {
    h.emulator.clock.set(NOW);
    const meter = await tokens();
    expect(meter).toEqual({
      id: expect.stringMatching(/^mtr_/),
      object: 'billing.meter',
      created: NOW,
      customer_mapping: { event_payload_key: 'stripe_customer_id', type: 'by_id' },
      default_aggregation: { formula: 'sum' },
      display_name: 'Tokens',
      event_name: 'tokens',
      event_time_window: null,
      livemode: false,
      status: 'active',
      status_transitions: { deactivated_at: null },
      updated: NOW,
      value_settings: { event_payload_key: 'value' },
    });
    h.emulator.clock.set(NOW + 60);
    expect(await stripe.billing.meters.update(meter.id, { display_name: 'AI tokens' })).toMatchObject({
      display_name: 'AI tokens',
      updated: NOW + 60,
    });
    const off = await stripe.billing.meters.deactivate(meter.id);
    expect(off).toMatchObject({ status: 'inactive', status_transitions: { deactivated_at: NOW + 60 } });
    expect((await stripe.billing.meters.list({ status: 'active' })).data).toEqual([]);
    expect((await stripe.billing.meters.list({ status: 'inactive' })).data.map((m) => m.id)).toEqual([
      meter.id,
    ]);
    const on = await stripe.billing.meters.reactivate(meter.id);
    expect(on).toMatchObject({ status: 'active', status_transitions: { deactivated_at: null } });
    expect((await stripe.billing.meters.retrieve(meter.id)).display_name).toBe('AI tokens');
    const types = (await stripe.events.list()).data.map((e) => e.type).reverse();
    expect(types).toEqual([
      'billing.meter.created',
      'billing.meter.updated',
      'billing.meter.deactivated',
      'billing.meter.reactivated',
    ]);
  });

  it('refuses what Stripe refuses: missing fields, a second active meter for an event name', async () => {
    const missing = await refusal(
      stripe.billing.meters.create({
        display_name: 'X',
        event_name: 'x',
      } as Stripe.Billing.MeterCreateParams),
    );
    expect(missing).toMatchObject({
      statusCode: 400,
      code: 'parameter_missing',
      param: 'default_aggregation',
    });
    const formula = await refusal(
      stripe.billing.meters.create({
        display_name: 'X',
        event_name: 'x',
        default_aggregation: { formula: 'max' },
      }),
    );
    expect(formula).toMatchObject({ statusCode: 400, param: 'default_aggregation[formula]' });
    const first = await tokens();
    const taken = await refusal(tokens({ display_name: 'Again' }));
    expect(taken).toMatchObject({ statusCode: 400, param: 'event_name' });
    await stripe.billing.meters.deactivate(first.id);
    const second = await tokens({ display_name: 'Again' });
    // The event name is now the second meter's: the first cannot come back.
    expect(await refusal(stripe.billing.meters.reactivate(first.id))).toMatchObject({ statusCode: 400 });
    expect(second.status).toBe('active');
    expect(await refusal(stripe.billing.meters.retrieve('mtr_missing'))).toMatchObject({ statusCode: 404 });
    expect((await stripe.billing.meters.list()).data).toHaveLength(2);
  });
});

describe('meter events and summaries', () => {
  let customer: Stripe.Customer;
  beforeEach(async () => {
    h.emulator.clock.set(NOW);
    customer = await stripe.customers.create({ email: 'usage@example.com' });
  });
  const send = (value: string, extra: Partial<Stripe.Billing.MeterEventCreateParams> = {}) =>
    stripe.billing.meterEvents.create({
      event_name: 'tokens',
      payload: { stripe_customer_id: customer.id, value },
      ...extra,
    });
  const total = async (meter: string, start = NOW - DAY, end = NOW + HOUR) =>
    (
      await stripe.billing.meters.listEventSummaries(meter, {
        customer: customer.id,
        start_time: start,
        end_time: end,
      })
    ).data[0]!.aggregated_value;

  it('accepts an event, answers it as Stripe does, and counts a repeated identifier once', async () => {
    const meter = await tokens();
    const event = await send('25', { identifier: 'req-1', timestamp: NOW - 60 });
    expect(event).toEqual({
      object: 'billing.meter_event',
      created: NOW,
      event_name: 'tokens',
      identifier: 'req-1',
      livemode: false,
      payload: { stripe_customer_id: customer.id, value: '25' },
      timestamp: NOW - 60,
    });
    const repeat = await refusal(send('25', { identifier: 'req-1' }));
    expect(repeat).toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
      message: 'An event already exists with identifier req-1.',
    });
    const generated = await send('5');
    expect(generated.identifier).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.timestamp).toBe(NOW);
    expect(await total(meter.id)).toBe(30);
  });

  it('refuses timestamps more than 35 days old or 5 minutes ahead', async () => {
    const meter = await tokens();
    for (const timestamp of [NOW - 35 * DAY - 1, NOW + 301]) {
      expect(await refusal(send('1', { timestamp }))).toMatchObject({ statusCode: 400, param: 'timestamp' });
    }
    await send('1', { timestamp: NOW - 35 * DAY });
    await send('1', { timestamp: NOW + 300 });
    expect(await total(meter.id, NOW - 40 * DAY)).toBe(2);
  });

  it('accepts but does not count what Stripe rejects asynchronously', async () => {
    const meter = await tokens();
    await stripe.billing.meterEvents.create({
      event_name: 'nobody_listens',
      payload: { stripe_customer_id: customer.id, value: '1' },
    });
    await stripe.billing.meterEvents.create({
      event_name: 'tokens',
      payload: { stripe_customer_id: 'cus_unknown', value: '1' },
    });
    await stripe.billing.meterEvents.create({ event_name: 'tokens', payload: { value: '1' } });
    await send('many');
    await send('2.5');
    expect(await total(meter.id)).toBe(2.5);
    await stripe.billing.meters.deactivate(meter.id);
    await send('100');
    expect(await total(meter.id)).toBe(2.5);
  });

  it('aggregates with count and last, custom payload keys, and pre-aggregated windows', async () => {
    const count = await tokens({ event_name: 'calls', default_aggregation: { formula: 'count' } });
    const last = await tokens({
      event_name: 'seats',
      default_aggregation: { formula: 'last' },
      customer_mapping: { event_payload_key: 'account', type: 'by_id' },
      value_settings: { event_payload_key: 'seats' },
    });
    const hourly = await tokens({ event_name: 'gauge', event_time_window: 'hour' });
    for (const [i, value] of ['3', '7', '4'].entries()) {
      await stripe.billing.meterEvents.create({
        event_name: 'calls',
        payload: { stripe_customer_id: customer.id },
        timestamp: NOW - 3 * HOUR + i,
      });
      await stripe.billing.meterEvents.create({
        event_name: 'seats',
        payload: { account: customer.id, seats: value },
        timestamp: NOW - 3 * HOUR + i,
      });
      await stripe.billing.meterEvents.create({
        event_name: 'gauge',
        payload: { stripe_customer_id: customer.id, value },
        timestamp: NOW - 3 * HOUR + i,
      });
    }
    await stripe.billing.meterEvents.create({
      event_name: 'gauge',
      payload: { stripe_customer_id: customer.id, value: '10' },
      timestamp: NOW - HOUR,
    });
    expect(await total(count.id)).toBe(3);
    expect(await total(last.id)).toBe(4);
    // One event per hour counts: the latest sent in each (4, then 10).
    expect(await total(hourly.id)).toBe(14);
  });

  it('summarises [start, end) per hour or day, newest first, paginated', async () => {
    const meter = await tokens();
    await send('1', { timestamp: NOW - 2 * DAY + 10 });
    await send('2', { timestamp: NOW - DAY - 1 });
    await send('4', { timestamp: NOW - DAY });
    await send('8', { timestamp: NOW });
    const list = (params: Partial<Stripe.Billing.MeterListEventSummariesParams>) =>
      stripe.billing.meters.listEventSummaries(meter.id, {
        customer: customer.id,
        start_time: NOW - 2 * DAY,
        end_time: NOW,
        ...params,
      });
    const whole = await list({});
    expect(whole.data).toEqual([
      {
        id: expect.stringMatching(/^mtrusg_/),
        object: 'billing.meter_event_summary',
        aggregated_value: 7,
        end_time: NOW,
        livemode: false,
        meter: meter.id,
        start_time: NOW - 2 * DAY,
      },
    ]);
    const days = await list({ value_grouping_window: 'day' });
    expect(days.data.map((s) => [s.start_time, s.aggregated_value])).toEqual([
      [NOW - DAY, 4],
      [NOW - 2 * DAY, 3],
    ]);
    const hours = await list({ value_grouping_window: 'hour', limit: 24 });
    expect(hours.has_more).toBe(true);
    expect(hours.data[0]).toMatchObject({ start_time: NOW - HOUR, aggregated_value: 0 });
    expect(hours.data.at(-1)).toMatchObject({ start_time: NOW - DAY, aggregated_value: 4 });
    const next = await list({
      value_grouping_window: 'hour',
      limit: 24,
      starting_after: hours.data.at(-1)!.id,
    });
    expect(next.data.map((s) => s.aggregated_value).reduce((a, b) => a + b, 0)).toBe(3);
    expect(next.data.at(-1)!.start_time).toBe(NOW - 2 * DAY);
    expect(await refusal(list({ start_time: NOW - DAY + 1 }))).toMatchObject({
      statusCode: 400,
      param: 'start_time',
    });
    expect(await refusal(list({ customer: 'cus_missing' }))).toMatchObject({
      statusCode: 400,
      param: 'customer',
    });
  });
});

describe('metered prices and items', () => {
  let meter: Stripe.Billing.Meter;
  let product: Stripe.Product;
  beforeEach(async () => {
    meter = await tokens();
    product = await stripe.products.create({ name: 'Tokens' });
  });
  const metered = (meterId: string) =>
    stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 2,
      recurring: { interval: 'month', usage_type: 'metered', meter: meterId },
    });

  it('needs an existing active meter, and only on a metered price', async () => {
    const price = await metered(meter.id);
    expect(price.recurring).toEqual({
      interval: 'month',
      interval_count: 1,
      meter: meter.id,
      trial_period_days: null,
      usage_type: 'metered',
    });
    expect(await refusal(metered('mtr_missing'))).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'recurring[meter]',
    });
    const licensedWithMeter = stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 2,
      recurring: { interval: 'month', meter: meter.id },
    });
    expect(await refusal(licensedWithMeter)).toMatchObject({ statusCode: 400, param: 'recurring[meter]' });
    await stripe.billing.meters.deactivate(meter.id);
    expect(await refusal(metered(meter.id))).toMatchObject({ statusCode: 400, param: 'recurring[meter]' });
  });

  it('subscription items of a metered price take no quantity and show none', async () => {
    const price = await metered(meter.id);
    const base = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1000,
      recurring: { interval: 'month' },
    });
    const customer = await stripe.customers.create({
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const refused = await refusal(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: base.id }, { price: price.id, quantity: 1 }],
      }),
    );
    expect(refused).toMatchObject({ statusCode: 400, param: 'items[1][quantity]' });
    expect((await stripe.subscriptions.list({ customer: customer.id })).data).toEqual([]);

    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: base.id, quantity: 2 }, { price: price.id }],
    });
    const [seat, usage] = subscription.items.data;
    expect(seat!.quantity).toBe(2);
    expect(usage).not.toHaveProperty('quantity');
    expect(usage!.plan.usage_type).toBe('metered');
    expect(usage!.plan.meter).toBe(meter.id);
    // Nothing is charged for usage in advance.
    const invoice = await stripe.invoices.retrieve(String(subscription.latest_invoice));
    expect(invoice.amount_due).toBe(2000);
    expect(invoice.lines.data.find((l) => l.pricing?.price_details?.price === price.id)).toMatchObject({
      amount: 0,
      quantity: 0,
    });
    expect(await refusal(stripe.subscriptionItems.update(usage!.id, { quantity: 3 }))).toMatchObject({
      statusCode: 400,
      param: 'items[0][quantity]',
    });
    const added = await stripe.subscriptionItems.create({
      subscription: subscription.id,
      price: (await metered(meter.id)).id,
    });
    expect(added).not.toHaveProperty('quantity');
  });

  it('Checkout line items of a metered price take no quantity', async () => {
    const price = await metered(meter.id);
    const session = (quantity?: number) =>
      stripe.checkout.sessions.create({
        mode: 'subscription',
        success_url: 'https://example.com/ok',
        line_items: [{ price: price.id, ...(quantity !== undefined && { quantity }) }],
      });
    expect(await refusal(session(1))).toMatchObject({
      statusCode: 400,
      param: 'line_items[0][quantity]',
      message:
        'Quantity should not be specified where usage_type is `metered`. Remove quantity from `line_items[0]`',
    });
    const created = await session();
    expect(created.amount_total).toBe(0);
    const items = await stripe.checkout.sessions.listLineItems(created.id);
    expect(items.data[0]).toMatchObject({ quantity: null, amount_total: 0 });

    // Paying on the hosted page subscribes to the metered price, without a quantity.
    const page = await fetch(`${h.emulator.url}/c/pay/${created.id}`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'usage@example.com', card: 'visa' }),
      redirect: 'manual',
    });
    expect(page.status).toBe(303);
    const done = await stripe.checkout.sessions.retrieve(created.id);
    const subscription = await stripe.subscriptions.retrieve(String(done.subscription));
    expect(subscription.items.data[0]!.price.id).toBe(price.id);
    expect(subscription.items.data[0]).not.toHaveProperty('quantity');
  });
});
