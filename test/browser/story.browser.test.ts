// The whole story in one browser session per person, against `recur serve` on embedded defaults:
// the operator creates the catalog in the admin console; a customer opens the billing page from a
// billing link, subscribes in the emulator's hosted Checkout, previews and makes an upgrade,
// downloads an invoice and cancels; the operator sees MRR move on the dashboard and replays a
// dead-lettered event. Screenshots of both apps land in test-results/ for review.

import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, skipBrowserTests } from '../support/browser.js';
import { type RecurProcess, startRecurServe } from '../support/serve.js';
import { openPage, readTile, replayEvent, signIn, submitPlan, WAIT } from './admin-steps.js';
import {
  cancel,
  createBillingLink,
  downloadInvoice,
  openBillingLink,
  subscribe,
  upgradeWithPreview,
  waitForInvoices,
} from './billing-steps.js';

describe.skipIf(skipBrowserTests)('an operator and a customer, one story', () => {
  let recur: RecurProcess;
  let browser: Browser;
  let admin: Page;
  let customer: Page;
  let stripe: Stripe;

  const eventStatus = async (objectId: string) => {
    const res = await fetch(`${recur.url}/api/admin/events?object_id=${objectId}`, {
      headers: { authorization: `Bearer ${recur.adminKey}` },
    });
    return ((await res.json()) as { data: Array<{ status: string }> }).data[0]?.status;
  };

  /** The dashboard reads its reports on each visit: leave and come back to see new figures. */
  const dashboardTile = async (label: string) => {
    await openPage(admin, 'Plans');
    await openPage(admin, 'Dashboard');
    return readTile(admin, label);
  };

  beforeAll(async () => {
    // One attempt per event, so that a refused read dead-letters at once for the operator to replay.
    recur = await startRecurServe({ RECUR_EVENT_MAX_ATTEMPTS: '1' });
    stripe = recur.stripe;
    browser = await launchChromium();
    admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    customer = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await recur?.stop();
  });

  it('the operator creates plans; the customer subscribes, upgrades, downloads and cancels; MRR follows', async () => {
    expect(await signIn(admin, recur.url, recur.adminKey)).toBeNull();
    await openPage(admin, 'Plans');
    expect(
      await submitPlan(admin, {
        name: 'Basic',
        key: 'basic',
        monthly: '9',
        yearly: '90',
        benefits: 'seats = 1',
      }),
    ).toBeNull();
    expect(
      await submitPlan(admin, {
        name: 'Pro',
        key: 'pro',
        monthly: '29',
        yearly: '290',
        benefits: 'seats = 5',
      }),
    ).toBeNull();
    // Read once loaded: the tile shows '—' until its report has answered.
    await expect.poll(() => dashboardTile('MRR'), WAIT).toBe('$0.00');

    const link = await createBillingLink(recur.url, recur.adminKey, {
      user_id: 'user_story',
      email: 'story@example.com',
      name: 'Story Customer',
    });
    await openBillingLink(customer, link.url);
    await subscribe(customer, 'Basic');
    await expect.poll(() => dashboardTile('MRR'), WAIT).toBe('$9.00');

    const preview = await upgradeWithPreview(customer, 'Pro');
    expect(preview.applies).toBe('Now');
    expect(preview.dueNow).toMatch(/^\$\d+\.\d\d$/);
    expect(preview.dueNow).not.toBe('$0.00');
    expect(preview.nextRenewal).toMatch(/^\$29\.00 on /);
    await expect.poll(() => dashboardTile('MRR'), WAIT).toBe('$29.00');

    const invoices = await waitForInvoices(customer, 2);
    expect(invoices.join('\n')).toContain(preview.dueNow);
    const pdf = await downloadInvoice(customer);
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');

    expect(await cancel(customer, { feedback: 'It costs too much' })).toMatch(/^Cancels on /);
    await customer.screenshot({ path: join(SCREENSHOTS, 'story-billing-page.png'), fullPage: true });
    // A cancellation at the period end keeps its revenue until then.
    await expect.poll(() => dashboardTile('MRR'), WAIT).toBe('$29.00');
    expect(await readTile(admin, 'Active customers')).toBe('1');
    await admin.getByRole('application', { name: 'MRR', exact: true }).waitFor(WAIT);
    await admin.screenshot({ path: join(SCREENSHOTS, 'story-admin-dashboard.png'), fullPage: true });
  }, 300_000);

  it('the operator replays an event that died on its only attempt', async () => {
    // Stripe refuses the worker's one read of the next price, so its event is dead-lettered.
    await recur.failNextStripeRequest('GET', '/v1/prices/', 'Injected read failure');
    const product = (await stripe.products.list({ limit: 1 })).data[0]!;
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 4900,
      recurring: { interval: 'month' },
    });
    await expect.poll(() => eventStatus(price.id), WAIT).toBe('dead');

    expect(await replayEvent(admin, price.id, 'price.created')).toBe('processed');
    expect(await eventStatus(price.id)).toBe('processed');
  }, 180_000);
});
