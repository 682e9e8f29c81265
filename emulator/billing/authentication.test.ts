// Renewals with cards that need 3D Secure: the invoice waits for the customer, who completes or
// fails the challenge on the hosted invoice page (https://docs.stripe.com/testing#authentication-and-setup).

import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import {
  advanceClock,
  at,
  billingTestHarness,
  customerWithCard,
  DAY,
  eventTypesSince,
  HOUR,
  latestEventId,
} from './testing/billing-fixtures.js';

const t = billingTestHarness();

/** A subscription whose 7-day trial ends on the card given: the first real charge is a renewal. */
async function renewalWith(card: string) {
  const { stripe } = t;
  const start = at('2026-03-01T00:00:00Z');
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
  const customer = await customerWithCard(stripe, { card, testClock: clock.id });
  const subscription = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: t.catalog.basic.id }],
    trial_period_days: 7,
  });
  const since = await latestEventId(stripe);
  await advanceClock(stripe, clock.id, start + 7 * DAY + HOUR + 1);
  const renewed = await stripe.subscriptions.retrieve(subscription.id, {
    expand: ['latest_invoice.payments'],
  });
  return { clock, start, subscription: renewed, since, invoice: renewed.latest_invoice as Stripe.Invoice };
}

async function intentOf(invoice: Stripe.Invoice): Promise<Stripe.PaymentIntent> {
  const payments = await t.stripe.invoicePayments.list({ invoice: invoice.id });
  const id = payments.data[0]!.payment.payment_intent;
  return t.stripe.paymentIntents.retrieve(typeof id === 'string' ? id : id!.id);
}

async function page(path: string, form?: Record<string, string>) {
  const response = await fetch(new URL(path, t.h.emulator.url), {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    ...(form && {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    }),
  });
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}

describe('an off-session renewal on a card that needs authentication', () => {
  it('waits for the customer: invoice open without retries, intent requires_action, subscription past_due', async () => {
    const { subscription, invoice, since } = await renewalWith('pm_card_authenticationRequired');
    expect(subscription.status).toBe('past_due');
    expect(invoice).toMatchObject({
      status: 'open',
      billing_reason: 'subscription_cycle',
      attempt_count: 1,
      attempted: true,
      next_payment_attempt: null,
      amount_paid: 0,
    });
    const intent = await intentOf(invoice);
    expect(intent).toMatchObject({
      status: 'requires_action',
      next_action: { type: 'use_stripe_sdk' },
      last_payment_error: null,
      latest_charge: null,
    });
    const types = await eventTypesSince(t.stripe, since);
    expect(types).toEqual(
      expect.arrayContaining([
        'payment_intent.requires_action',
        'invoice.payment_failed',
        'invoice.payment_action_required',
        'customer.subscription.updated',
      ]),
    );
    expect(types).not.toContain('charge.failed');
    expect(types.indexOf('invoice.payment_failed')).toBeLessThan(
      types.indexOf('invoice.payment_action_required'),
    );
  });

  it('pays the invoice once the customer completes the challenge on the hosted page', async () => {
    const { subscription, invoice } = await renewalWith('pm_card_authenticationRequired');
    const hosted = new URL(invoice.hosted_invoice_url!);
    const shown = await page(hosted.pathname);
    expect(shown.text).toContain('Your bank asks you to confirm this payment.');
    expect(shown.text).toContain(`href="${hosted.pathname}/authenticate"`);

    const challenge = await page(`${hosted.pathname}/authenticate`);
    expect(challenge.status).toBe(200);
    expect(challenge.text).toContain('Visa •••• 3184');
    expect(challenge.text).toContain('$20.00');

    const since = await latestEventId(t.stripe);
    const answer = await page(`${hosted.pathname}/authenticate`, { outcome: 'complete' });
    expect(answer).toMatchObject({ status: 303, location: hosted.pathname });
    expect(await t.stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'paid', amount_paid: 2000 });
    expect(await intentOf(invoice)).toMatchObject({ status: 'succeeded', amount_received: 2000 });
    expect((await t.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    expect(await eventTypesSince(t.stripe, since)).toEqual(
      expect.arrayContaining([
        'charge.succeeded',
        'payment_intent.succeeded',
        'invoice.paid',
        'customer.subscription.updated',
      ]),
    );
    expect((await page(hosted.pathname)).text).not.toContain('Confirm payment');
  });

  it('leaves the invoice open and the subscription past_due when the challenge fails, and lets the customer try again', async () => {
    const { subscription, invoice } = await renewalWith('pm_card_threeDSecure2Required');
    const hosted = new URL(invoice.hosted_invoice_url!).pathname;
    const since = await latestEventId(t.stripe);
    await page(`${hosted}/authenticate`, { outcome: 'fail' });
    expect(await intentOf(invoice)).toMatchObject({
      status: 'requires_payment_method',
      next_action: null,
      last_payment_error: { code: 'payment_intent_authentication_failure', type: 'invalid_request_error' },
    });
    expect((await t.stripe.invoices.retrieve(invoice.id)).status).toBe('open');
    expect((await t.stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
    expect(await eventTypesSince(t.stripe, since)).toEqual([
      'payment_intent.payment_failed',
      'invoice.payment_failed',
    ]);

    const shown = await page(hosted);
    expect(shown.text).toContain('The provided PaymentMethod has failed authentication.');
    const retry = await page(`${hosted}/pay`, {});
    expect(retry).toMatchObject({ status: 303, location: `${hosted}/authenticate` });
    expect((await intentOf(invoice)).status).toBe('requires_action');
    await page(`${hosted}/authenticate`, { outcome: 'complete' });
    expect((await t.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });

  it('asks again on every renewal for 3184, but not after one authentication for 3155', async () => {
    for (const [card, second] of [
      ['pm_card_authenticationRequired', 'past_due'],
      ['pm_card_authenticationRequiredOnSetup', 'active'],
    ] as const) {
      const { clock, start, subscription, invoice } = await renewalWith(card);
      const hosted = new URL(invoice.hosted_invoice_url!).pathname;
      await page(`${hosted}/authenticate`, { outcome: 'complete' });
      expect((await t.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
      await advanceClock(t.stripe, clock.id, start + 7 * DAY + 31 * DAY + 2 * HOUR);
      expect((await t.stripe.subscriptions.retrieve(subscription.id)).status, card).toBe(second);
    }
  });

  it('fails a PaymentIntent confirmed off_session as authentication_required, which cannot wait', async () => {
    const customer = await customerWithCard(t.stripe, { card: 'pm_card_authenticationRequired' });
    const error = await t.stripe.paymentIntents
      .create({
        amount: 1000,
        currency: 'usd',
        customer: customer.id,
        payment_method: String(customer.invoice_settings.default_payment_method),
        off_session: true,
        confirm: true,
      })
      .catch((e: Stripe.errors.StripeCardError) => e);
    expect(error).toMatchObject({ code: 'authentication_required', statusCode: 402 });
  });
});
