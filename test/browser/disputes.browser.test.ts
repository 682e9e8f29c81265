// The console's disputes page in Chromium against `recur serve` on its embedded defaults: a
// subscription paid with Stripe's dispute test card is disputed, and the page shows the dispute
// with its amount, reason, status, the subscription and customer, and the month's dispute rate.

import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, skipBrowserTests } from '../support/browser.js';
import { type RecurProcess, startRecurServe } from '../support/serve.js';
import { eventually } from '../support/wait.js';
import { openPage, signIn, WAIT } from './admin-steps.js';
import { seriousViolations } from './axe.js';

describe.skipIf(skipBrowserTests)('the disputes page in a browser', () => {
  let recur: RecurProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    recur = await startRecurServe();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await recur?.stop();
  });

  it('shows a dispute opened on a subscription’s payment, and the month’s dispute rate', async () => {
    const { stripe } = recur;
    const price = await stripe.prices.create({
      currency: 'usd',
      unit_amount: 4900,
      recurring: { interval: 'month' },
      product_data: { name: 'Team' },
    });
    const customer = await stripe.customers.create({
      payment_method: 'pm_card_createDispute',
      invoice_settings: { default_payment_method: 'pm_card_createDispute' },
      metadata: { recur_user_id: 'user_chargeback' },
    });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    const [dispute] = (await stripe.disputes.list({ limit: 1 })).data;
    // The webhook reaches the mirror on its own time: wait for the API to list it.
    await eventually(async () => {
      const response = await fetch(`${recur.url}/api/admin/disputes`, {
        headers: { authorization: `Bearer ${recur.adminKey}` },
      });
      const body = (await response.json()) as { data: Array<{ id: string; subscription_id: string | null }> };
      expect(body.data.map((d) => [d.id, d.subscription_id])).toEqual([[dispute!.id, subscription.id]]);
    }, 60_000);

    expect(await signIn(page, recur.url, recur.adminKey)).toBeNull();
    await openPage(page, 'Disputes');
    const row = page.getByRole('table', { name: 'Disputes', exact: true }).getByRole('row').nth(1);
    await row.waitFor(WAIT);
    const cells = (await row.getByRole('cell').allTextContents()).map((t) => t.trim());
    expect(cells).toEqual([
      '$49.00',
      'Fraudulent',
      'Needs response',
      new Date(dispute!.evidence_details.due_by! * 1000).toLocaleDateString('en-US', {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        timeZone: 'UTC',
      }),
      subscription.id,
      'user_chargeback',
      'Suspended',
    ]);
    await row.getByRole('link', { name: subscription.id }).waitFor(WAIT);

    const month = new Date().toISOString().slice(0, 7);
    const rates = page.getByRole('table', { name: 'Disputes by month' });
    const rateRow = rates.getByRole('row', { name: new RegExp(`^${month} USD`) });
    await rateRow.waitFor(WAIT);
    expect((await rateRow.getByRole('cell').allTextContents()).map((t) => t.trim())).toEqual([
      '1',
      '1',
      '100.00% over 0.9%',
      '$49.00',
      '0 ($0.00)',
      '0 ($0.00)',
      '0',
    ]);
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-disputes.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  }, 180_000);
});
