// The lifecycle the emulator promises, driven the way a merchant and their customer drive Stripe:
// the official SDK for the merchant, a real browser (Chromium through playwright-core) for the
// customer. Checkout with a declined card then a good one, a trial that ends on a test clock, an
// upgrade with its proration worked out by hand, a cancellation in the billing portal, a partial
// refund, and every event delivered to a webhook endpoint with a signature the SDK accepts.
// Screenshots of both hosted pages are written to test-results/ for review.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, skipBrowserTests } from '../../test/support/browser.js';
import { advanceClock, at, createCatalog, DAY, HOUR } from '../billing/testing/billing-fixtures.js';
import { type Harness, startHarness } from '../testing/harness.js';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';

/** The merchant's own site: where Checkout and the portal send the customer back to. */
async function startMerchantSite(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<h1>Merchant page ${path}</h1>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function alertText(page: Page): Promise<string> {
  return (await page.getByRole('alert').textContent())?.trim() ?? '';
}

describe.skipIf(skipBrowserTests)('Checkout and the billing portal in a browser', () => {
  let h: Harness;
  let receiver: WebhookReceiver;
  let site: Awaited<ReturnType<typeof startMerchantSite>>;
  let browser: Browser;
  let secret: string;

  beforeAll(async () => {
    h = await startHarness();
    receiver = await startWebhookReceiver();
    site = await startMerchantSite();
    secret = (await h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] })).secret!;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.emulator.close();
    await receiver?.close();
    await site?.close();
  });

  it('subscribes, renews, upgrades, cancels and refunds, announcing every step', {
    timeout: 120_000,
  }, async () => {
    const { stripe } = h;
    const catalog = await createCatalog(stripe);
    const start = at('2026-01-01T00:00:00Z');
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start, name: 'browser' });
    const customer = await stripe.customers.create({
      email: 'jenny@example.com',
      name: 'Jenny Rosen',
      test_clock: clock.id,
    });

    // Checkout: a 14-day trial of Basic for a customer on the test clock.
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: catalog.basic.id, quantity: 1 }],
      subscription_data: { trial_period_days: 14 },
      success_url: `${site.url}/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${site.url}/pricing`,
    });
    const page = await browser.newPage();
    await page.goto(session.url!);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Subscribe');
    expect(await page.locator('.notice').textContent()).toBe(
      '14 days free, then $20.00 per month starting January 15, 2026.',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'checkout-page.png'), fullPage: true });

    // The declined card: the page says so and lets the customer pick another.
    await page.getByLabel('Visa •••• 0002 (declined)').check();
    await page.getByRole('button', { name: 'Start trial' }).click();
    await page.getByRole('alert').waitFor();
    expect(await alertText(page)).toBe('Your card was declined.');

    await page.getByLabel('Visa •••• 4242 (succeeds)').check();
    await page.getByRole('button', { name: 'Start trial' }).click();
    await page.waitForURL(`${site.url}/success?session_id=${session.id}`);
    expect(await page.getByRole('heading').textContent()).toBe('Merchant page /success');

    const completed = await stripe.checkout.sessions.retrieve(session.id);
    expect(completed).toMatchObject({
      status: 'complete',
      payment_status: 'no_payment_required',
      customer: customer.id,
    });
    const trialEnd = at('2026-01-15T00:00:00Z');
    let subscription = await stripe.subscriptions.retrieve(String(completed.subscription));
    expect(subscription).toMatchObject({ status: 'trialing', trial_end: trialEnd, test_clock: clock.id });
    const card = await stripe.paymentMethods.retrieve(String(subscription.default_payment_method));
    expect(card.card?.last4).toBe('4242');

    // The trial ends: the first $20 period is invoiced, finalized an hour later and paid.
    await advanceClock(stripe, clock.id, trialEnd + HOUR + 1);
    subscription = await stripe.subscriptions.retrieve(subscription.id);
    expect(subscription.status).toBe('active');
    const renewal = await stripe.invoices.retrieve(String(subscription.latest_invoice));
    expect(renewal).toMatchObject({
      billing_reason: 'subscription_cycle',
      status: 'paid',
      amount_paid: 2000,
    });

    // Ten days into the 31-day period (Jan 15 – Feb 15), an upgrade to Pro invoiced at once:
    // 21 days remain, so the credit is 2000 × 21/31 = 1354.84 → 1355 and the charge 5000 × 21/31 =
    // 3387.10 → 3387, each rounded on its own: 2032 to pay.
    const upgradeAt = trialEnd + 10 * DAY;
    await advanceClock(stripe, clock.id, upgradeAt);
    subscription = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]!.id, price: catalog.pro.id }],
      proration_behavior: 'always_invoice',
    });
    const upgrade = await stripe.invoices.retrieve(String(subscription.latest_invoice));
    expect(upgrade.lines.data.map((line) => line.amount).sort((a, b) => a - b)).toEqual([-1355, 3387]);
    expect(upgrade).toMatchObject({ total: 2032, amount_paid: 2032, status: 'paid' });

    // The billing portal: the customer sees Pro and cancels at the end of the period.
    const portal = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      return_url: `${site.url}/account`,
    });
    await page.goto(portal.url);
    expect(await page.getByRole('heading', { level: 2, name: 'Pro — $50.00 per month' }).count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-page.png'), fullPage: true });
    await page.getByRole('button', { name: 'Cancel plan' }).click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toBe(
      'Your plan will be canceled at the end of the billing period.',
    );
    expect(await page.getByText('Cancels on February 15, 2026').count()).toBe(1);
    subscription = await stripe.subscriptions.retrieve(subscription.id);
    expect(subscription).toMatchObject({ status: 'active', cancel_at_period_end: true });
    await page.getByRole('link', { name: 'Return' }).click();
    await page.waitForURL(`${site.url}/account`);

    // A partial refund of the upgrade's charge.
    const [payment] = (await stripe.invoicePayments.list({ invoice: upgrade.id })).data;
    const intent = await stripe.paymentIntents.retrieve(String(payment?.payment.payment_intent));
    const charge = await stripe.charges.retrieve(String(intent.latest_charge));
    expect(charge.amount).toBe(2032);
    const refund = await stripe.refunds.create({ charge: charge.id, amount: 1000 });
    expect(refund).toMatchObject({ status: 'succeeded', amount: 1000 });
    expect(await stripe.charges.retrieve(charge.id)).toMatchObject({
      amount_refunded: 1000,
      refunded: false,
    });

    // Every event reached the endpoint, signed so that the SDK accepts it.
    await h.emulator.webhooksIdle();
    const logged: Stripe.Event[] = [];
    for await (const event of stripe.events.list({ limit: 100 })) logged.push(event);
    expect(receiver.received.map((w) => w.eventId).sort()).toEqual(logged.map((e) => e.id).sort());
    for (const webhook of receiver.received) {
      const event = stripe.webhooks.constructEvent(webhook.body, webhook.signature, secret);
      expect(event.id).toBe(webhook.eventId);
    }
    const types = new Set(receiver.received.map((w) => w.type));
    for (const type of [
      'checkout.session.completed',
      'payment_method.attached',
      'customer.subscription.created',
      'customer.subscription.trial_will_end',
      'invoice.paid',
      'customer.subscription.updated',
      'billing_portal.session.created',
      'charge.refunded',
    ]) {
      expect(types, type).toContain(type);
    }
    await page.close();
  });

  it('runs the 3D Secure challenge for a card that asks for it: failed, then completed', {
    timeout: 60_000,
  }, async () => {
    const catalog = await createCatalog(h.stripe);
    const session = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      customer_email: 'secure@example.com',
      line_items: [{ price: catalog.basic.id, quantity: 1 }],
      success_url: `${site.url}/success?session_id={CHECKOUT_SESSION_ID}`,
    });
    const page = await browser.newPage();
    await page.goto(session.url!);
    const subscribeWith3ds = async () => {
      await page.getByLabel('Visa •••• 3184 (3D Secure on every payment)').check();
      await page.getByRole('button', { name: 'Subscribe' }).click();
      await page.getByRole('heading', { name: '3D Secure authentication' }).waitFor();
      expect(await page.locator('main').innerText()).toContain(
        'confirm a payment of $20.00 with Visa •••• 3184',
      );
    };
    await subscribeWith3ds();
    await page.screenshot({ path: join(SCREENSHOTS, 'checkout-3ds-challenge.png'), fullPage: true });
    await page.getByRole('button', { name: 'Fail authentication' }).click();
    await page.getByRole('alert').waitFor();
    expect(await alertText(page)).toBe(
      'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
    );
    await subscribeWith3ds();
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    await page.waitForURL(`${site.url}/success?session_id=${session.id}`);
    const completed = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(completed).toMatchObject({ status: 'complete', payment_status: 'paid' });
    expect((await h.stripe.subscriptions.retrieve(String(completed.subscription))).status).toBe('active');
    await page.close();
  });
});
