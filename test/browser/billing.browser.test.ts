import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, skipBrowserTests } from '../support/browser.js';
import { type RecurProcess, startRecurServe } from '../support/serve.js';
import { seriousViolations } from './axe.js';
import {
  cancel,
  chooseInterval,
  createBillingLink,
  createPlanThroughApi,
  currentPlanText,
  downloadInvoice,
  openBillingLink,
  planCardText,
  resume,
  section,
  subscribe,
  upgradeWithPreview,
  visitCardUpdate,
  waitForInvoices,
} from './billing-steps.js';

// The customer billing page in Chromium against `recur serve` on embedded defaults: a billing link
// opens it, Checkout happens on the emulator's hosted page, and the webhooks come back through the
// in-process worker into the mirror the page reads.
let recur: RecurProcess;
let browser: Browser;

const createPlan = (body: Record<string, unknown>) => createPlanThroughApi(recur.url, recur.adminKey, body);

async function mySubscriptions(token: string) {
  const res = await fetch(`${recur.url}/api/me/subscriptions`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await res.json()) as { data: { current_period_end: string; cancel_at_period_end: boolean }[] })
    .data;
}

const usDate = (iso: string) =>
  new Date(iso).toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });

describe.skipIf(skipBrowserTests)('the customer billing page', () => {
  let context: BrowserContext;

  beforeAll(async () => {
    recur = await startRecurServe();
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await recur?.stop();
  });

  it('asks for a link when opened without one, and for a new one when its token is refused', {
    timeout: 60_000,
  }, async () => {
    const page = await context.newPage();
    await page.goto(`${recur.url}/billing`);
    await page.getByRole('heading', { name: 'Open this page from your account' }).waitFor();
    await page.goto(`${recur.url}/billing#token=not.a.token`);
    await page.getByRole('heading', { name: 'Your session has ended' }).waitFor();
    await page.close();
  });

  it('opens with the host app’s own user JWT in the fragment too', { timeout: 60_000 }, async () => {
    const hostToken = await new SignJWT({ email: 'host@example.com' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user_host_jwt')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(recur.jwtSecret));
    const page = await context.newPage();
    await openBillingLink(page, `${recur.url}/billing#token=${hostToken}`);
    await page.getByText('Signed in as host@example.com').waitFor();
    expect(page.url()).toBe(`${recur.url}/billing`);
    await page.close();
  });

  it('subscribes, upgrades with a preview, downloads an invoice, cancels and resumes', {
    timeout: 240_000,
  }, async () => {
    await createPlan({
      key: 'basic',
      name: 'Basic',
      benefits: [{ key: 'seats', value: 1 }],
      prices: [
        { currency: 'usd', unit_amount: 900, interval: 'month' },
        { currency: 'usd', unit_amount: 9000, interval: 'year' },
      ],
    });
    await createPlan({
      key: 'pro',
      name: 'Pro',
      benefits: [
        { key: 'seats', value: 5 },
        { key: 'priority_support', value: true },
      ],
      prices: [
        { currency: 'usd', unit_amount: 2900, interval: 'month' },
        { currency: 'usd', unit_amount: 29000, interval: 'year' },
      ],
    });
    const link = await createBillingLink(recur.url, recur.adminKey, {
      user_id: 'user_browser',
      email: 'browser@example.com',
      name: 'Bea Browser',
    });
    const token = new URL(link.url).hash.slice('#token='.length);

    const page = await context.newPage();
    await openBillingLink(page, link.url);
    // The token left the address bar at once, and the page greets the link's user.
    expect(page.url()).toBe(`${recur.url}/billing`);
    await page.getByText('Signed in as Bea Browser').waitFor();
    expect(await currentPlanText(page)).toContain('You have no subscription yet');

    // Both intervals through the switch.
    expect(await planCardText(page, 'Basic')).toContain('$9.00 per month');
    expect(await planCardText(page, 'Pro')).toContain('Priority support');
    await chooseInterval(page, 'Yearly');
    expect(await planCardText(page, 'Basic')).toContain('$90.00 per year');
    expect(await planCardText(page, 'Pro')).toContain('$290.00 per year');
    await chooseInterval(page, 'Monthly');

    await subscribe(page, 'Basic');
    expect(await currentPlanText(page)).toContain('Active');
    // The benefits come from the entitlements, asked apart from the subscription: shown a moment later.
    await expect.poll(() => currentPlanText(page), { timeout: 60_000 }).toContain('Seats: 1');
    expect(await planCardText(page, 'Basic')).toContain('Your current plan');
    expect(
      await section(page, 'Plans')
        .getByRole('button', { name: /^Subscribe/ })
        .count(),
    ).toBe(0);

    // A refused request is shown in the server's words.
    const change = section(page, 'Change plan');
    await change.getByRole('button', { name: 'Preview change' }).click();
    await change.getByRole('alert').waitFor();
    expect(await change.getByRole('alert').innerText()).toBe(
      'The subscription already has this price and quantity',
    );

    const preview = await upgradeWithPreview(page, 'Pro');
    expect(preview.applies).toBe('Now');
    expect(preview.dueNow).toMatch(/^\$\d+\.\d\d$/);
    expect(preview.dueNow).not.toBe('$0.00');
    expect(preview.nextRenewal).toMatch(/^\$29\.00 on /);
    await expect.poll(() => currentPlanText(page), { timeout: 60_000 }).toContain('Priority support');

    const invoices = await waitForInvoices(page, 2);
    expect(invoices.join('\n')).toContain('$9.00');
    expect(invoices.join('\n')).toContain(preview.dueNow);
    const pdf = await downloadInvoice(page);
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');

    const [subscription] = await mySubscriptions(token);
    const cancelsOn = await cancel(page, { feedback: 'It costs too much', comment: 'Trying a cheaper tool' });
    expect(cancelsOn).toBe(`Cancels on ${usDate(subscription!.current_period_end)}`);
    expect((await mySubscriptions(token))[0]!.cancel_at_period_end).toBe(true);
    await page.getByRole('status').filter({ hasText: 'Your subscription will end on' }).waitFor();

    await resume(page);
    expect(await currentPlanText(page)).not.toContain('Cancels on');
    expect((await mySubscriptions(token))[0]!.cancel_at_period_end).toBe(false);

    await visitCardUpdate(page);
    expect(page.url()).toBe(`${recur.url}/billing`);

    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'billing-page.png'), fullPage: true });

    await page.setViewportSize({ width: 375, height: 812 });
    await page.reload();
    await section(page, 'Invoices')
      .getByRole('button', { name: /^Download PDF/ })
      .first()
      .waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'billing-page-phone.png'), fullPage: true });
  });
});
