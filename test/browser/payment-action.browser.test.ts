import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, skipBrowserTests } from '../support/browser.js';
import { type RecurProcess, startRecurServe } from '../support/serve.js';
import { seriousViolations } from './axe.js';
import { createBillingLink, currentPlanText, openBillingLink, section } from './billing-steps.js';

// A renewal that needs 3-D Secure, as the customer lives it: `recur serve` on embedded defaults,
// the emulator's test clock renews off session, the billing page asks the customer to confirm,
// the link leads to Stripe's hosted invoice page and its challenge, and once completed (or
// failed) the webhooks bring the billing page the outcome.
let recur: RecurProcess;
let browser: Browser;
let context: BrowserContext;
let proPrice: string;

const SLOW = 90_000;

async function json(path: string, token: string) {
  const res = await fetch(`${recur.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return res.json();
}

/**
 * A user subscribed to Pro with a card that works, whose card is then replaced by one that needs
 * authentication on every payment, and whose test clock is moved past the renewal. Returns the
 * billing page opened for them, once it shows the payment waiting.
 */
async function renewalNeedingAuthentication(userId: string): Promise<{ page: Page; token: string }> {
  const { stripe } = recur;
  const now = Math.floor(Date.now() / 1000);
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: now });
  const customer = await stripe.customers.create({
    email: `${userId}@example.com`,
    name: 'Sam Secure',
    payment_method: 'pm_card_visa',
    invoice_settings: { default_payment_method: 'pm_card_visa' },
    metadata: { recur_user_id: userId },
    test_clock: clock.id,
  });
  const subscription = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: proPrice }],
  });
  const link = await createBillingLink(recur.url, recur.adminKey, { user_id: userId, name: 'Sam Secure' });
  const token = new URL(link.url).hash.slice('#token='.length);
  const page = await context.newPage();
  await openBillingLink(page, link.url);
  await expect.poll(() => reloaded(page), { timeout: SLOW }).toContain('Active');

  const card = await stripe.paymentMethods.attach('pm_card_authenticationRequired', {
    customer: customer.id,
  });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
  await advance(stripe, clock.id, subscription.items.data[0]!.current_period_end + 3_601);
  await expect.poll(() => reloaded(page), { timeout: SLOW }).toContain('Confirm your payment');
  return { page, token };
}

async function advance(stripe: Stripe, clock: string, to: number) {
  await stripe.testHelpers.testClocks.advance(clock, { frozen_time: to });
  await expect
    .poll(async () => (await stripe.testHelpers.testClocks.retrieve(clock)).status, { timeout: SLOW })
    .toBe('ready');
}

/** The "Your plan" section after a reload (the page reads the mirror, which webhooks fill). */
async function reloaded(page: Page): Promise<string> {
  await page.reload();
  await section(page, 'Your plan').waitFor({ timeout: SLOW });
  await section(page, 'Your plan').getByRole('heading', { level: 3 }).first().waitFor({ timeout: SLOW });
  return currentPlanText(page);
}

/** From the billing page's link to Stripe's hosted invoice page, then its 3-D Secure challenge. */
async function answerChallenge(page: Page, outcome: 'Complete authentication' | 'Fail authentication') {
  await section(page, 'Your plan').getByRole('link', { name: 'Confirm your payment' }).click();
  await page.getByRole('heading', { name: /^Invoice / }).waitFor({ timeout: SLOW });
  expect(await page.locator('body').innerText()).toContain('Your bank asks you to confirm this payment.');
  await page.getByRole('link', { name: 'Confirm payment' }).click();
  await page.getByRole('heading', { name: '3D Secure authentication' }).waitFor({ timeout: SLOW });
  expect(await page.locator('body').innerText()).toContain('$29.00 with Visa •••• 3184');
  await page.getByRole('button', { name: outcome }).click();
  await page.getByRole('heading', { name: /^Invoice / }).waitFor({ timeout: SLOW });
}

describe.skipIf(skipBrowserTests)('a renewal that needs the customer’s authentication', () => {
  beforeAll(async () => {
    recur = await startRecurServe();
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const res = await fetch(`${recur.url}/api/plans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${recur.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        key: 'pro',
        name: 'Pro',
        benefits: [{ key: 'seats', value: 5 }],
        prices: [{ currency: 'usd', unit_amount: 2900, interval: 'month' }],
      }),
    });
    const plan = (await res.json()) as { prices: { stripe_price_id: string }[] };
    proPrice = plan.prices[0]!.stripe_price_id;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await recur?.stop();
  });

  it('asks to confirm, keeps the plan meanwhile, and is active again once the challenge is completed', {
    timeout: 240_000,
  }, async () => {
    const { page, token } = await renewalNeedingAuthentication('user_sca_browser');
    const waiting = await currentPlanText(page);
    expect(waiting).toContain('Your bank asks you to confirm the last payment.');
    expect(waiting).toContain('Seats: 5');
    const [before] = (await json('/api/me/subscriptions', token)).data;
    expect(before).toMatchObject({ status: 'action_required', stripe_status: 'past_due' });
    const link = section(page, 'Your plan').getByRole('link', { name: 'Confirm your payment' });
    expect(await link.getAttribute('href')).toBe(before.payment_action_url);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'billing-confirm-payment.png'), fullPage: true });

    await answerChallenge(page, 'Complete authentication');
    expect(await page.locator('body').innerText()).toMatch(/paid/i);
    expect(await page.getByRole('link', { name: 'Confirm payment' }).count()).toBe(0);

    await page.goto(`${recur.url}/billing`);
    await expect.poll(() => reloaded(page), { timeout: SLOW }).not.toContain('Confirm your payment');
    const after = await currentPlanText(page);
    expect(after).toContain('Active');
    expect(after).toContain('Seats: 5');
    const entitlements = await json('/api/me/entitlements', token);
    expect(entitlements.benefits).toEqual({ seats: 5 });
    expect(entitlements.subscriptions[0]).toMatchObject({ status: 'active', access_until: null });
    await page.close();
  });

  it('stays waiting for the customer when the challenge fails', { timeout: 240_000 }, async () => {
    const { page, token } = await renewalNeedingAuthentication('user_sca_fails');
    await answerChallenge(page, 'Fail authentication');
    expect(await page.getByRole('alert').innerText()).toContain(
      'The provided PaymentMethod has failed authentication.',
    );
    expect(await page.getByRole('button', { name: 'Pay this invoice' }).count()).toBe(1);

    const [after] = (await json('/api/me/subscriptions', token)).data;
    expect(after).toMatchObject({ status: 'action_required', stripe_status: 'past_due' });
    await page.goto(`${recur.url}/billing`);
    const shown = await reloaded(page);
    expect(shown).toContain('Confirm your payment');
    expect(shown).toContain('Seats: 5');
    await page.close();
  });
});
