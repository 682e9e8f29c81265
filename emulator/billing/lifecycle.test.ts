// One customer's whole life on a test clock, through the official SDK: trial, first payment, an
// upgrade with its exact proration, a card that starts failing, the retries, the cancellation, a
// refund, and every event delivered to a webhook endpoint with a signature the SDK accepts.

import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';
import {
  advanceClock,
  at,
  type Catalog,
  createCatalog,
  customerWithCard,
  DAY,
  HOUR,
  switchCard,
} from './testing/billing-fixtures.js';

let h: Harness;
let receiver: WebhookReceiver;
let secret: string;
let catalog: Catalog;

beforeAll(async () => {
  h = await startHarness();
  receiver = await startWebhookReceiver();
  const endpoint = await h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
  secret = endpoint.secret!;
  catalog = await createCatalog(h.stripe);
});
afterAll(async () => {
  await h.emulator.close();
  await receiver.close();
});

describe('a subscription from trial to cancellation', () => {
  it('bills, prorates, dunns and refunds exactly like Stripe', async () => {
    const { stripe } = h;
    const start = at('2026-01-01T00:00:00Z');
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start, name: 'lifecycle' });
    const customer = await customerWithCard(stripe, { testClock: clock.id });

    // A 14-day trial: trialing, a $0 first invoice paid on the spot.
    const created = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: catalog.basic.id }],
      trial_period_days: 14,
      expand: ['latest_invoice'],
    });
    const trialEnd = at('2026-01-15T00:00:00Z');
    expect(created.status).toBe('trialing');
    expect(created.trial_end).toBe(trialEnd);
    expect(created.items.data[0]!.current_period_end).toBe(trialEnd);
    const trialInvoice = created.latest_invoice as Stripe.Invoice;
    expect(trialInvoice).toMatchObject({
      status: 'paid',
      amount_due: 0,
      billing_reason: 'subscription_create',
    });
    expect(trialInvoice.lines.data[0]!.description).toBe('Trial period for Basic');

    // Three days before the trial ends, trial_will_end goes out.
    await advanceClock(stripe, clock.id, trialEnd - 3 * DAY + 1);
    let events = await stripe.events.list({ type: 'customer.subscription.trial_will_end' });
    expect(events.data).toHaveLength(1);
    expect(events.data[0]!.created).toBe(trialEnd - 3 * DAY);

    // The trial ends: a new period, its invoice drafted, finalized an hour later and paid.
    await advanceClock(stripe, clock.id, trialEnd + HOUR + 1);
    let subscription = await stripe.subscriptions.retrieve(created.id);
    expect(subscription.status).toBe('active');
    const periodStart = trialEnd;
    const periodEnd = at('2026-02-15T00:00:00Z');
    expect(subscription.items.data[0]).toMatchObject({
      current_period_start: periodStart,
      current_period_end: periodEnd,
    });
    const firstPaid = await stripe.invoices.retrieve(String(subscription.latest_invoice));
    expect(firstPaid).toMatchObject({
      status: 'paid',
      amount_paid: 2000,
      billing_reason: 'subscription_cycle',
      created: trialEnd,
      status_transitions: { finalized_at: trialEnd + HOUR, paid_at: trialEnd + HOUR },
    });
    expect(firstPaid.number).toMatch(/^[A-Z0-9]{8}-0002$/);
    const firstCharge = (await stripe.charges.list({ customer: customer.id })).data[0]!;
    expect(firstCharge).toMatchObject({ amount: 2000, status: 'succeeded', paid: true });
    expect(firstCharge.payment_method_details?.card).toMatchObject({ brand: 'visa', last4: '4242' });

    // Upgrade to Pro on 25 January, invoiced at once. The period is 15 Jan → 15 Feb: 31 days
    // (2,678,400 s); 21 days (1,814,400 s) remain. Credit: 2000 × 21/31 = 1354.84 → −1355.
    // Charge: 5000 × 21/31 = 3387.10 → 3387. Each line rounds on its own; the invoice is 2032.
    const upgradeAt = at('2026-01-25T00:00:00Z');
    await advanceClock(stripe, clock.id, upgradeAt);
    subscription = await stripe.subscriptions.update(created.id, {
      items: [{ id: subscription.items.data[0]!.id, price: catalog.pro.id }],
      proration_behavior: 'always_invoice',
      proration_date: upgradeAt,
    });
    const upgrade = await stripe.invoices.retrieve(String(subscription.latest_invoice));
    expect(upgrade.billing_reason).toBe('subscription_update');
    expect(upgrade.lines.data.map((l) => [l.description, l.amount])).toEqual([
      ['Unused time on Basic after 25 Jan 2026', -1355],
      ['Remaining time on Pro after 25 Jan 2026', 3387],
    ]);
    expect(upgrade.lines.data.every((l) => l.parent?.subscription_item_details?.proration)).toBe(true);
    expect(upgrade).toMatchObject({ subtotal: 2032, total: 2032, amount_paid: 2032, status: 'paid' });

    // The card starts failing before the 15 February renewal.
    await switchCard(stripe, customer.id, 'pm_card_chargeCustomerFail');
    const firstAttempt = periodEnd + HOUR;
    await advanceClock(stripe, clock.id, firstAttempt + 1);
    subscription = await stripe.subscriptions.retrieve(created.id);
    expect(subscription.status).toBe('past_due');
    const renewal = await stripe.invoices.retrieve(String(subscription.latest_invoice));
    expect(renewal).toMatchObject({
      status: 'open',
      amount_due: 5000,
      attempt_count: 1,
      next_payment_attempt: firstAttempt + 3 * DAY,
    });

    // Retries 3, 7 and 14 days after the first attempt; the fourth failure cancels.
    await advanceClock(stripe, clock.id, firstAttempt + 7 * DAY + 1);
    expect(await stripe.invoices.retrieve(renewal.id)).toMatchObject({
      attempt_count: 3,
      next_payment_attempt: firstAttempt + 14 * DAY,
    });
    expect((await stripe.subscriptions.retrieve(created.id)).status).toBe('past_due');
    await advanceClock(stripe, clock.id, firstAttempt + 14 * DAY + 1);
    subscription = await stripe.subscriptions.retrieve(created.id);
    expect(subscription).toMatchObject({
      status: 'canceled',
      ended_at: firstAttempt + 14 * DAY,
      cancellation_details: { reason: 'payment_failed' },
    });
    expect(await stripe.invoices.retrieve(renewal.id)).toMatchObject({
      status: 'open',
      attempt_count: 4,
      next_payment_attempt: null,
    });
    const failures = await stripe.events.list({ type: 'invoice.payment_failed', limit: 10 });
    expect(failures.data.map((e) => e.created).reverse()).toEqual([
      firstAttempt,
      firstAttempt + 3 * DAY,
      firstAttempt + 7 * DAY,
      firstAttempt + 14 * DAY,
    ]);

    // A partial refund of the first real payment.
    const refund = await stripe.refunds.create({
      charge: firstCharge.id,
      amount: 500,
      reason: 'requested_by_customer',
    });
    expect(refund).toMatchObject({ amount: 500, status: 'succeeded', charge: firstCharge.id });
    expect(await stripe.charges.retrieve(firstCharge.id)).toMatchObject({
      amount_refunded: 500,
      refunded: false,
    });

    // Every event reached the endpoint, signed so that the SDK accepts it.
    await h.emulator.webhooksIdle();
    const all: Stripe.Event[] = [];
    for await (const event of stripe.events.list({ limit: 100 })) all.push(event);
    const delivered = new Map(receiver.received.map((r) => [r.eventId, r]));
    for (const event of all) {
      const delivery = delivered.get(event.id);
      expect(delivery, `${event.type} ${event.id} was not delivered`).toBeDefined();
      const verified = stripe.webhooks.constructEvent(delivery!.body, delivery!.signature, secret);
      expect(verified.id).toBe(event.id);
    }
    const types = all.map((e) => e.type);
    for (const type of [
      'customer.subscription.created',
      'customer.subscription.trial_will_end',
      'invoice.upcoming',
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
      'invoice_payment.paid',
      'invoiceitem.created',
      'charge.succeeded',
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
      'customer.subscription.updated',
      'customer.subscription.deleted',
      'charge.refunded',
      'refund.created',
      'test_helpers.test_clock.ready',
    ]) {
      expect(types, type).toContain(type);
    }
    events = await stripe.events.list({ type: 'customer.subscription.updated', limit: 100 });
    const toPastDue = events.data.find((e) => (e.data.object as Stripe.Subscription).status === 'past_due');
    expect(toPastDue?.data.previous_attributes).toEqual({ status: 'active' });
  });
});
