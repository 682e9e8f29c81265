// Stripe Tax in Chromium against `recur serve` on its embedded defaults: the console's switch
// refused with Stripe's reason, then turned on; a user subscribes through Checkout with a German
// address (the emulator's test table: 19 %); the billing page shows the tax on the invoice, and the
// console shows it per invoice and in the revenue table, net of tax and apart.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, skipBrowserTests } from '../support/browser.js';
import { type RecurProcess, startRecurServe } from '../support/serve.js';
import { openPage, signIn, WAIT } from './admin-steps.js';
import {
  createBillingLink,
  createPlanThroughApi,
  expectCurrentPlan,
  openBillingLink,
  section,
  waitForInvoices,
} from './billing-steps.js';

const SLOW = { timeout: 30_000 };

describe.skipIf(skipBrowserTests)('Stripe Tax in the console and on the billing page', () => {
  let recur: RecurProcess;
  let browser: Browser;
  let admin: Page;
  let billing: Page;

  beforeAll(async () => {
    recur = await startRecurServe();
    browser = await launchChromium();
    admin = await (
      await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })
    ).newPage();
    billing = await (
      await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })
    ).newPage();
    await createPlanThroughApi(recur.url, recur.adminKey, {
      key: 'pro',
      name: 'Pro',
      prices: [{ currency: 'eur', unit_amount: 2000, interval: 'month' }],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await recur?.stop();
  });

  const taxToggle = () => admin.getByRole('button', { name: /^Stripe Tax: (on|off)$/ });

  it('refuses the switch while Stripe Tax is not active, saying why, then turns it on', async () => {
    expect(await signIn(admin, recur.url, recur.adminKey)).toBeNull();
    await openPage(admin, 'Settings');
    await taxToggle().click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Turn on', exact: true }).click();
    await dialog.getByRole('alert').waitFor(WAIT);
    expect(await dialog.getByRole('alert').innerText()).toContain(
      'Stripe Tax is not active on the Stripe account',
    );
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    expect(await taxToggle().innerText()).toBe('Stripe Tax: off');

    await recur.stripe.tax.settings.update({
      head_office: { address: { country: 'US', state: 'CA', postal_code: '94103' } },
      defaults: { tax_behavior: 'exclusive' },
    });
    await taxToggle().click();
    await dialog.getByRole('button', { name: 'Turn on', exact: true }).click();
    await admin.getByRole('button', { name: 'Stripe Tax: on' }).waitFor(WAIT);
  }, 120_000);

  it('asks the subscriber for an address on Checkout and shows the tax on their invoice', async () => {
    const link = await createBillingLink(recur.url, recur.adminKey, {
      user_id: 'u_tax',
      email: 'tax@example.com',
    });
    await openBillingLink(billing, link.url);
    await section(billing, 'Plans').getByRole('button', { name: 'Subscribe to Pro' }).click();
    await billing.getByLabel('Country (two-letter code)').fill('DE', SLOW);
    await billing.getByLabel('Address').fill('Unter den Linden 1');
    await billing.getByLabel('Postal code').fill('10117');
    await billing.getByLabel('Tax ID (optional)').fill('DE123456789');
    await billing.getByLabel('Visa •••• 4242 (succeeds)').check();
    await billing.getByRole('button', { name: 'Subscribe' }).click();
    await billing.waitForURL(/\/billing(\?|$)/, SLOW);
    await expectCurrentPlan(billing, 'Pro');
    const [row] = await waitForInvoices(billing, 1);
    expect(row).toContain('€23.80');
    expect(row).toContain('incl. €3.80 tax');
  }, 120_000);

  it('shows each invoice’s tax and the revenue net of tax in the console', async () => {
    // The billing page shows the invoice once it exists; the console's row and revenue need it paid,
    // which the worker applies when Stripe's `invoice.paid` arrives: wait for the mirror to say so.
    await expect
      .poll(async () => {
        const response = await fetch(`${recur.url}/api/invoices?status=paid`, {
          headers: { authorization: `Bearer ${recur.adminKey}` },
        });
        return ((await response.json()) as { data: Array<{ total: number }> }).data.map((i) => i.total);
      }, SLOW)
      .toEqual([2380]);
    await openPage(admin, 'Invoices');
    const invoice = admin.getByRole('table', { name: 'Invoices' }).locator('tbody tr').first();
    await invoice.getByText('€3.80').waitFor(WAIT);
    expect((await invoice.innerText()).replace(/\s+/g, ' ')).toMatch(/€23\.80 €3\.80 €23\.80/);

    await openPage(admin, 'Dashboard');
    const revenue = admin.getByRole('table', { name: 'Revenue, last six months (tax apart)' });
    const month = new Date().toISOString().slice(0, 7);
    const row = revenue.getByRole('row', { name: new RegExp(`^${month}`) });
    await row.waitFor(WAIT);
    const cells = await row.getByRole('cell').allInnerTexts();
    expect(cells).toEqual(['€23.80', '€3.80', '€20.00', '€23.80', '€20.00']);
  }, 120_000);
});
