// Subscriptions through the official SDK: creation under each payment behaviour, updates,
// cancellation, lists and the subscription item endpoints.

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
  switchCard,
} from './testing/billing-fixtures.js';

let catalog: Catalog;
let stripe: Stripe;

const billing = billingTestHarness();
beforeEach(() => {
  ({ stripe, catalog } = billing);
});

describe('creating a subscription', () => {
  it('charges the first invoice at once and announces the subscription active', async () => {
    const customer = await customerWithCard(stripe);
    const since = await latestEventId(stripe);
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.basic.id, quantity: 2 }],
      metadata: { plan: 'basic' },
      expand: ['latest_invoice.payments'],
    });
    expect(subscription).toMatchObject({
      status: 'active',
      metadata: { plan: 'basic' },
      collection_method: 'charge_automatically',
    });
    const invoice = subscription.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({
      status: 'paid',
      amount_paid: 4000,
      billing_reason: 'subscription_create',
    });
    expect(invoice.lines.data[0]!.description).toBe('2 × Basic (at $20.00 / month)');
    expect(invoice.parent?.subscription_details?.subscription).toBe(subscription.id);
    expect(invoice.payments?.data[0]).toMatchObject({
      object: 'invoice_payment',
      status: 'paid',
      amount_paid: 4000,
    });
    expect(await eventTypesSince(stripe, since)).toEqual([
      'customer.subscription.created',
      'invoice.created',
      // Its first invoice sets the customer's currency.
      'customer.updated',
      'invoice.finalized',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
      'invoice_payment.paid',
    ]);
  });

  it('with default_incomplete, waits for the client to confirm, then becomes active', async () => {
    const customer = await stripe.customers.create({ email: 'new@example.com' });
    const since = await latestEventId(stripe);
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.pro.id }],
      payment_behavior: 'default_incomplete',
      payment_settings: { save_default_payment_method: 'on_subscription' },
      expand: ['latest_invoice.confirmation_secret', 'latest_invoice.payments'],
    });
    expect(subscription.status).toBe('incomplete');
    const invoice = subscription.latest_invoice as Stripe.Invoice;
    expect(invoice.status).toBe('open');
    const intent = await stripe.paymentIntents.retrieve(
      String(invoice.payments!.data[0]!.payment.payment_intent),
    );
    expect(intent).toMatchObject({ status: 'requires_payment_method', amount: 5000 });
    expect(invoice.confirmation_secret).toEqual({
      client_secret: intent.client_secret,
      type: 'payment_intent',
    });
    expect(await eventTypesSince(stripe, since)).toEqual([
      'customer.subscription.created',
      'invoice.created',
      // Its first invoice sets the customer's currency.
      'customer.updated',
      'invoice.finalized',
      'payment_intent.created',
    ]);

    const paidSince = await latestEventId(stripe);
    const confirmed = await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    expect(confirmed.status).toBe('succeeded');
    expect(await eventTypesSince(stripe, paidSince)).toEqual([
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
      'invoice_payment.paid',
      'customer.subscription.updated',
    ]);
    const active = await stripe.subscriptions.retrieve(subscription.id);
    expect(active.status).toBe('active');
    expect(active.default_payment_method).toBe(confirmed.payment_method);
    const updated = await stripe.events.list({ type: 'customer.subscription.updated', limit: 1 });
    expect(updated.data[0]!.data.previous_attributes).toMatchObject({
      status: 'incomplete',
      default_payment_method: null,
    });
  });

  it('with default_incomplete and a saved card, leaves the intent ready for confirmation', async () => {
    const customer = await customerWithCard(stripe);
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.pro.id }],
      payment_behavior: 'default_incomplete',
      expand: ['latest_invoice.payments'],
    });
    const payment = (subscription.latest_invoice as Stripe.Invoice).payments!.data[0]!.payment;
    const intent = await stripe.paymentIntents.retrieve(String(payment.payment_intent));
    expect(intent.status).toBe('requires_confirmation');
    expect(intent.payment_method).toBe(customer.invoice_settings.default_payment_method);
  });

  it('with error_if_incomplete, refuses a declining card and creates nothing', async () => {
    const customer = await customerWithCard(stripe, { card: 'pm_card_chargeCustomerFail' });
    const error = await stripe.subscriptions
      .create({
        customer: customer.id,
        items: [{ price: catalog.basic.id }],
        payment_behavior: 'error_if_incomplete',
      })
      .catch((e: Stripe.errors.StripeError) => e);
    expect(error).toMatchObject({ type: 'StripeCardError', code: 'card_declined', statusCode: 402 });
    expect((await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toHaveLength(0);
  });

  it('leaves a declined first payment incomplete, and expires it after 23 hours', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: at('2026-03-01T00:00:00Z') });
    const customer = await customerWithCard(stripe, {
      card: 'pm_card_chargeCustomerFail',
      testClock: clock.id,
    });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.basic.id }],
    });
    expect(subscription.status).toBe('incomplete');
    const invoiceId = String(subscription.latest_invoice);
    expect(await stripe.invoices.retrieve(invoiceId)).toMatchObject({
      status: 'open',
      attempt_count: 1,
      next_payment_attempt: null,
    });
    await advanceClock(stripe, clock.id, subscription.created + 23 * HOUR - 1);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('incomplete');
    await advanceClock(stripe, clock.id, subscription.created + 23 * HOUR);
    expect(await stripe.subscriptions.retrieve(subscription.id)).toMatchObject({
      status: 'incomplete_expired',
      ended_at: subscription.created + 23 * HOUR,
    });
    expect((await stripe.invoices.retrieve(invoiceId)).status).toBe('void');
  });

  it('prorates the stretch up to a future billing cycle anchor', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: at('2026-04-10T00:00:00Z') });
    const customer = await customerWithCard(stripe, { testClock: clock.id });
    const anchor = at('2026-05-01T00:00:00Z');
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.basic.id }],
      billing_cycle_anchor: anchor,
      expand: ['latest_invoice'],
    });
    // The full period before the anchor is 1 April → 1 May (30 days); 21 days remain:
    // 2000 × 21/30 = 1400.
    const invoice = subscription.latest_invoice as Stripe.Invoice;
    expect(invoice.lines.data[0]).toMatchObject({
      amount: 1400,
      period: { start: at('2026-04-10T00:00:00Z'), end: anchor },
    });
    expect(subscription.items.data[0]!.current_period_end).toBe(anchor);
    expect(subscription.billing_cycle_anchor).toBe(anchor);
  });

  it('refuses unknown parameters and one-time prices like Stripe', async () => {
    const customer = await customerWithCard(stripe);
    await expect(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: catalog.basic.id }],
        colour: 'red',
      } as never),
    ).rejects.toMatchObject({ code: 'parameter_unknown', param: 'colour' });
    const oneTime = await stripe.prices.create({
      product: String(catalog.basic.product),
      currency: 'usd',
      unit_amount: 100,
    });
    await expect(
      stripe.subscriptions.create({ customer: customer.id, items: [{ price: oneTime.id }] }),
    ).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      param: 'items[0][price]',
    });
    await expect(stripe.subscriptions.retrieve('sub_missing')).rejects.toMatchObject({
      code: 'resource_missing',
      statusCode: 404,
    });
  });
});

describe('changing a subscription', () => {
  async function activeOnClock(frozen: number) {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: frozen });
    const customer = await customerWithCard(stripe, { testClock: clock.id });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.basic.id }],
    });
    return { clock, customer, subscription };
  }

  it('leaves create_prorations pending for the next invoice', async () => {
    const { clock, subscription } = await activeOnClock(at('2026-06-01T00:00:00Z'));
    // June has 30 days; changing on 16 June leaves 15: −1000 and +2500, swept into 1 July's invoice.
    await advanceClock(stripe, clock.id, at('2026-06-16T00:00:00Z'));
    await stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]!.id, price: catalog.pro.id }],
    });
    const pending = await stripe.invoiceItems.list({
      customer: String(subscription.customer),
      pending: true,
    });
    expect(pending.data.map((i) => i.amount).sort((a, b) => a - b)).toEqual([-1000, 2500]);
    expect(pending.data.every((i) => i.proration)).toBe(true);
    const preview = await stripe.invoices.createPreview({ subscription: subscription.id });
    expect(preview.total).toBe(1500 + 5000);

    await advanceClock(stripe, clock.id, at('2026-07-01T01:00:01Z'));
    const renewed = await stripe.subscriptions.retrieve(subscription.id);
    const invoice = await stripe.invoices.retrieve(String(renewed.latest_invoice));
    expect(invoice).toMatchObject({ billing_reason: 'subscription_cycle', total: 6500, status: 'paid' });
    expect(
      (await stripe.invoiceItems.list({ customer: String(subscription.customer), pending: true })).data,
    ).toEqual([]);
  });

  it('previews the proration of a change without making it', async () => {
    const { clock, subscription } = await activeOnClock(at('2026-06-01T00:00:00Z'));
    await advanceClock(stripe, clock.id, at('2026-06-11T00:00:00Z'));
    const prorationDate = at('2026-06-11T00:00:00Z');
    const preview = await stripe.invoices.createPreview({
      customer: String(subscription.customer),
      subscription: subscription.id,
      subscription_details: {
        items: [{ id: subscription.items.data[0]!.id, price: catalog.pro.id }],
        proration_date: prorationDate,
      },
    });
    // 20 of 30 days remain: −2000 × 2/3 = −1333.33 → −1333; +5000 × 2/3 = 3333.33 → 3333.
    const prorations = preview.lines.data.filter((l) => l.parent?.subscription_item_details?.proration);
    expect(prorations.map((l) => l.amount)).toEqual([-1333, 3333]);
    expect(preview.id).toMatch(/^upcoming_in_/);
    expect((await stripe.subscriptions.retrieve(subscription.id)).items.data[0]!.price.id).toBe(
      catalog.basic.id,
    );
  });

  it('previews an upgrade made in the second the subscription began as the prorations alone', async () => {
    const { subscription } = await activeOnClock(at('2026-06-01T00:00:00Z'));
    const change = {
      items: [{ id: subscription.items.data[0]!.id, price: catalog.pro.id }],
      proration_date: at('2026-06-01T00:00:00Z'),
      proration_behavior: 'always_invoice' as const,
    };
    const preview = await stripe.invoices.createPreview({
      customer: String(subscription.customer),
      subscription: subscription.id,
      subscription_details: change,
    });
    const updated = await stripe.subscriptions.update(subscription.id, {
      ...change,
      expand: ['latest_invoice'],
    });
    // The whole period remains: −2000 for Basic, +5000 for Pro, and no second period of Pro.
    expect(preview.total).toBe(3000);
    expect((updated.latest_invoice as Stripe.Invoice).total).toBe(preview.total);
  });

  it('resets the cycle and invoices at once when the interval changes', async () => {
    const { clock, subscription } = await activeOnClock(at('2026-06-01T00:00:00Z'));
    const changeAt = at('2026-06-16T00:00:00Z');
    await advanceClock(stripe, clock.id, changeAt);
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]!.id, price: catalog.proYearly.id }],
      expand: ['latest_invoice'],
    });
    expect(updated.billing_cycle_anchor).toBe(changeAt);
    expect(updated.items.data[0]!.current_period_end).toBe(at('2027-06-16T00:00:00Z'));
    const invoice = updated.latest_invoice as Stripe.Invoice;
    // Credit for 15 unused days of Basic (−1000) and the new year in full (50,000).
    expect(invoice).toMatchObject({ billing_reason: 'subscription_update', total: 49_000, status: 'paid' });
  });

  it('cancels at period end when asked, and not before', async () => {
    const { clock, subscription } = await activeOnClock(at('2026-06-01T00:00:00Z'));
    const periodEnd = at('2026-07-01T00:00:00Z');
    const updated = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    expect(updated).toMatchObject({ cancel_at_period_end: true, cancel_at: periodEnd, status: 'active' });
    await advanceClock(stripe, clock.id, periodEnd - 1);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    await advanceClock(stripe, clock.id, periodEnd + DAY);
    expect(await stripe.subscriptions.retrieve(subscription.id)).toMatchObject({
      status: 'canceled',
      ended_at: periodEnd,
      cancellation_details: { reason: 'cancellation_requested' },
    });
    expect((await stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);
  });

  it('cancels now with a prorated credit on a final invoice', async () => {
    const { clock, subscription } = await activeOnClock(at('2026-06-01T00:00:00Z'));
    await advanceClock(stripe, clock.id, at('2026-06-21T00:00:00Z'));
    const canceled = await stripe.subscriptions.cancel(subscription.id, {
      prorate: true,
      invoice_now: true,
      cancellation_details: { comment: 'Too pricey', feedback: 'too_expensive' },
    });
    expect(canceled).toMatchObject({
      status: 'canceled',
      cancellation_details: {
        comment: 'Too pricey',
        feedback: 'too_expensive',
        reason: 'cancellation_requested',
      },
    });
    // 10 of 30 days unused: −667, which the customer keeps as credit balance.
    const final = await stripe.invoices.retrieve(String(canceled.latest_invoice));
    expect(final).toMatchObject({ total: -667, amount_due: 0, status: 'paid', ending_balance: -667 });
    expect((await stripe.customers.retrieve(String(subscription.customer))) as Stripe.Customer).toMatchObject(
      {
        balance: -667,
      },
    );
    await expect(stripe.subscriptions.cancel(subscription.id)).rejects.toMatchObject({ statusCode: 400 });
  });

  it('pauses collection: renewal invoices are voided until collection resumes', async () => {
    const { clock, subscription } = await activeOnClock(at('2026-06-01T00:00:00Z'));
    await stripe.subscriptions.update(subscription.id, { pause_collection: { behavior: 'void' } });
    await advanceClock(stripe, clock.id, at('2026-07-01T02:00:00Z'));
    const renewed = await stripe.subscriptions.retrieve(subscription.id);
    expect(renewed.status).toBe('active');
    expect((await stripe.invoices.retrieve(String(renewed.latest_invoice))).status).toBe('void');
    const resumed = await stripe.subscriptions.update(subscription.id, { pause_collection: '' });
    expect(resumed.pause_collection).toBeNull();
  });

  it('pauses a trial that ends without a payment method, and resumes it', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: at('2026-06-01T00:00:00Z') });
    const customer = await stripe.customers.create({ test_clock: clock.id });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.basic.id }],
      trial_period_days: 7,
      trial_settings: { end_behavior: { missing_payment_method: 'pause' } },
    });
    await advanceClock(stripe, clock.id, at('2026-06-08T00:00:01Z'));
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('paused');
    const method = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.subscriptions.update(subscription.id, { default_payment_method: method.id });
    const resumed = await stripe.subscriptions.resume(subscription.id, {
      billing_cycle_anchor: { type: 'now' },
    });
    expect(resumed).toMatchObject({ status: 'active', billing_cycle_anchor: at('2026-06-08T00:00:01Z') });
    const types = (await stripe.events.list({ limit: 20 })).data.map((e) => e.type);
    expect(types).toContain('customer.subscription.paused');
    expect(types).toContain('customer.subscription.resumed');
  });
});

describe('listing and items', () => {
  it('filters lists by customer, price and status, and searches', async () => {
    const alice = await customerWithCard(stripe, { email: 'alice@example.com' });
    const bob = await customerWithCard(stripe, { email: 'bob@example.com' });
    const a = await stripe.subscriptions.create({ customer: alice.id, items: [{ price: catalog.basic.id }] });
    const b = await stripe.subscriptions.create({ customer: bob.id, items: [{ price: catalog.pro.id }] });
    await stripe.subscriptions.cancel(b.id);
    expect((await stripe.subscriptions.list()).data.map((s) => s.id)).toEqual([a.id]);
    expect((await stripe.subscriptions.list({ status: 'all' })).data.map((s) => s.id)).toEqual([b.id, a.id]);
    expect((await stripe.subscriptions.list({ status: 'canceled' })).data.map((s) => s.id)).toEqual([b.id]);
    expect((await stripe.subscriptions.list({ price: catalog.basic.id })).data.map((s) => s.id)).toEqual([
      a.id,
    ]);
    expect((await stripe.subscriptions.list({ customer: bob.id, status: 'all' })).data).toHaveLength(1);
    const found = await stripe.subscriptions.search({ query: `status:'canceled' AND customer:'${bob.id}'` });
    expect(found.data.map((s) => s.id)).toEqual([b.id]);
  });

  it('adds, changes and removes subscription items', async () => {
    const customer = await customerWithCard(stripe);
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.basic.id }],
    });
    const added = await stripe.subscriptionItems.create({
      subscription: subscription.id,
      price: catalog.pro.id,
      quantity: 3,
      proration_behavior: 'none',
    });
    expect(added).toMatchObject({ object: 'subscription_item', quantity: 3, subscription: subscription.id });
    const changed = await stripe.subscriptionItems.update(added.id, {
      quantity: 1,
      proration_behavior: 'none',
    });
    expect(changed.quantity).toBe(1);
    const listed = await stripe.subscriptionItems.list({ subscription: subscription.id });
    expect(listed.data).toHaveLength(2);
    expect(await stripe.subscriptionItems.del(added.id, { proration_behavior: 'none' })).toEqual({
      id: added.id,
      object: 'subscription_item',
      deleted: true,
    });
    expect((await stripe.subscriptions.retrieve(subscription.id)).items.data.map((i) => i.price.id)).toEqual([
      catalog.basic.id,
    ]);
  });
});

describe('payment_behavior=error_if_incomplete on update', () => {
  it('refuses an upgrade whose immediate charge is declined, changing nothing', async () => {
    const customer = await customerWithCard(stripe);
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.basic.id }],
    });
    await switchCard(stripe, customer.id, 'pm_card_chargeCustomerFail');
    const upgrade = {
      items: [{ id: subscription.items.data[0]!.id, price: catalog.pro.id }],
      proration_behavior: 'always_invoice' as const,
      payment_behavior: 'error_if_incomplete' as const,
    };
    await expect(stripe.subscriptions.update(subscription.id, upgrade)).rejects.toMatchObject({
      type: 'StripeCardError',
      code: 'card_declined',
    });
    const after = await stripe.subscriptions.retrieve(subscription.id);
    expect(after.items.data[0]!.price.id).toBe(catalog.basic.id);
    expect(after.latest_invoice).toBe(subscription.latest_invoice);
    expect((await stripe.invoiceItems.list({ customer: customer.id })).data).toEqual([]);
  });
});
