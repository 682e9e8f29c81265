// The console's customer page and its header search in Chromium against `recur serve` on its
// embedded defaults: an admin finds Ann by the start of her name and by her email, opens her page,
// and sees her invoices (number and amount), the credits she owes and her events, and nothing of
// Bob, another customer.

import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, skipBrowserTests } from '../support/browser.js';
import { type RecurProcess, startRecurServe } from '../support/serve.js';
import { eventually } from '../support/wait.js';
import { signIn, WAIT } from './admin-steps.js';
import { seriousViolations } from './axe.js';

interface Overview {
  invoices: Array<{ number: string | null; total: number }>;
  events: Array<{ type: string }>;
  refunds: Array<{ id: string }>;
}

describe.skipIf(skipBrowserTests)('the customer page in a browser', () => {
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

  /** A paying customer on a monthly price; returns once the overview lists its paid invoice. */
  async function payer(userId: string, name: string, amount: number) {
    const { stripe } = recur;
    const price = await stripe.prices.create({
      currency: 'usd',
      unit_amount: amount,
      recurring: { interval: 'month' },
      product_data: { name: `Plan ${amount}` },
    });
    // The price's plan in the catalog before the subscription. Stripe does not order deliveries
    // across objects, and a subscription applied before its price's plan is imported keeps an MRR
    // movement without the plan: a known gap, not what this page test is about.
    await eventually(async () => {
      const response = await fetch(`${recur.url}/api/plans`, {
        headers: { authorization: `Bearer ${recur.adminKey}` },
      });
      const plans = (await response.json()) as {
        data: Array<{ prices: Array<{ stripe_price_id: string }> }>;
      };
      expect(plans.data.flatMap((p) => p.prices.map((x) => x.stripe_price_id))).toContain(price.id);
    }, 60_000);
    const customer = await stripe.customers.create({
      name,
      email: `${userId}@example.com`,
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
      metadata: { recur_user_id: userId },
    });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    const invoice = await stripe.invoices.retrieve(subscription.latest_invoice as string);
    let overview: Overview | undefined;
    await eventually(async () => {
      const response = await fetch(`${recur.url}/api/admin/customers/${customer.id}/overview`, {
        headers: { authorization: `Bearer ${recur.adminKey}` },
      });
      overview = (await response.json()) as Overview;
      expect(overview.invoices?.map((i) => [i.number, i.total])).toEqual([[invoice.number, amount]]);
      expect(overview.events.map((e) => e.type)).toContain('invoice.paid');
    }, 60_000);
    return { customer, subscription, invoice, overview: overview! };
  }

  /** A POST with the admin key, which must succeed. */
  async function admin(path: string, body: object) {
    const response = await fetch(`${recur.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${recur.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.text()).toBeLessThan(300);
  }

  async function search(term: string) {
    const box = page.getByRole('searchbox', { name: 'Search customers and Stripe ids' });
    await box.fill(term);
    await box.press('Enter');
  }

  it('finds a customer by name prefix and by email, and shows only that customer’s invoices and events', async () => {
    const ann = await payer('user_ann', 'Ann Lee', 2900);
    const bob = await payer('user_bob', 'Bob Stone', 4900);

    expect(await signIn(page, recur.url, recur.adminKey)).toBeNull();
    await search('ann l');
    await page.getByRole('heading', { level: 1, name: 'Ann Lee' }).waitFor(WAIT);
    expect(new URL(page.url()).pathname).toBe(`/admin/customers/${ann.customer.id}`);

    // 10 AI credits granted from the console, then 14 used: the 4 beyond are owed.
    await page.getByRole('button', { name: 'Grant credits' }).click();
    const grant = page.getByRole('dialog', { name: 'Grant credits' });
    await grant.getByLabel('Feature').fill('ai_credits');
    await grant.getByLabel('Credits').fill('10');
    await grant.getByLabel('Reason (audited)').fill('trial');
    await grant.getByRole('button', { name: 'Grant' }).click();
    await page.getByText('Granted 10 ai_credits: the balance is now 10.').waitFor(WAIT);
    await admin('/api/usage', {
      user_id: 'user_ann',
      feature: 'ai_credits',
      value: 14,
      idempotency_key: 'job_1',
    });
    await page.reload();

    const summary = page.locator('dl.summary');
    await expect.poll(() => summary.textContent()).toContain('user_ann@example.com');
    expect(await summary.textContent()).toContain('user_ann');

    const invoices = page.getByRole('table', { name: 'Invoices', exact: true });
    const rows = invoices.getByRole('row');
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(2);
    const head = (await rows.nth(1).getByRole('rowheader').textContent())?.trim();
    const cells = (await rows.nth(1).getByRole('cell').allTextContents()).map((t) => t.trim());
    expect(head).toBe(ann.invoice.number);
    expect(cells.slice(0, 6)).toEqual([
      ann.subscription.id,
      ann.customer.id,
      'paid',
      '$29.00',
      '$0.00',
      '$29.00',
    ]);

    // Her credits: a balance of −4, the 4 owed.
    const credits = page.getByRole('table', { name: 'Credit balances' }).getByRole('row');
    await expect.poll(() => credits.count(), { timeout: 60_000 }).toBe(2);
    expect((await credits.nth(1).getByRole('rowheader').textContent())?.trim()).toBe('ai_credits');
    expect((await credits.nth(1).getByRole('cell').allTextContents()).map((t) => t.trim())).toEqual([
      '-4',
      '4',
      'none',
    ]);

    // $7.50 of account credit from the console: Stripe's answer is said at once, and the page shows
    // the balance once the customer's event has reached the mirror.
    await page.getByRole('button', { name: 'Add account credit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add account credit' });
    await dialog.getByLabel('Amount (USD)').fill('7.50');
    await dialog.getByLabel('Reason (audited, shown in Stripe)').fill('Late invoice');
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-account-credit-1280.png') });
    await dialog.getByRole('button', { name: 'Add credit' }).click();
    await page
      .getByText('Credited $7.50: Stripe now holds $7.50 of credit for the next invoices.')
      .waitFor(WAIT);
    await eventually(async () => {
      const read = await fetch(`${recur.url}/api/admin/credits?user_id=user_ann`, {
        headers: { authorization: `Bearer ${recur.adminKey}` },
      });
      expect((await read.json()).account_credit).toEqual({ amount: 750, currency: 'usd' });
    }, 60_000);
    // $3.00 of her payment refunded in Stripe's Dashboard: the refund names the invoice it returned.
    const [paid] = (await recur.stripe.invoicePayments.list({ invoice: ann.invoice.id, status: 'paid' }))
      .data;
    const refund = await recur.stripe.refunds.create({
      payment_intent: paid!.payment.payment_intent as string,
      amount: 300,
    });
    await eventually(async () => {
      const read = await fetch(`${recur.url}/api/admin/customers/${ann.customer.id}/overview`, {
        headers: { authorization: `Bearer ${recur.adminKey}` },
      });
      expect(((await read.json()) as Overview).refunds.map((r) => r.id)).toEqual([refund.id]);
    }, 60_000);
    await page.reload();
    await page.locator('p.account-credit').waitFor(WAIT);
    const refundRow = page.getByRole('table', { name: 'Refunds' }).getByRole('row').nth(1);
    expect((await refundRow.getByRole('rowheader').textContent())?.trim()).toBe(refund.id);
    expect((await refundRow.getByRole('cell').allTextContents()).map((t) => t.trim()).slice(0, 3)).toEqual([
      '$3.00',
      refund.charge as string,
      ann.invoice.number!,
    ]);
    expect(await page.locator('p.account-credit').textContent()).toBe(
      'Account credit in Stripe: $7.50, taken off the next invoices',
    );

    // Her subscription's start, with its plan by name as the rest of the console shows it, and the
    // account credit just added: a change to the customer, not to a subscription, in the same list.
    const history = page.getByRole('region', { name: 'History' }).getByRole('listitem');
    await expect
      .poll(() => history.allInnerTexts(), { timeout: 60_000 })
      .toContainEqual(
        expect.stringContaining(`MRR new on Plan 2900: +$29.00, now $29.00 ${ann.subscription.id}`),
      );
    expect(await history.allInnerTexts()).toContainEqual(
      expect.stringMatching(/ Account credit added by an API key$/),
    );

    const timeline = page.getByRole('region', { name: 'Event timeline' }).getByRole('listitem');
    // Events may still arrive after the overview read above: at least those, and Ann's kinds of them.
    await expect
      .poll(() => timeline.count(), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(ann.overview.events.length);
    const types = await page
      .getByRole('region', { name: 'Event timeline' })
      .locator('li > code')
      .allTextContents();
    for (const type of new Set(ann.overview.events.map((e) => e.type))) expect(types).toContain(type);
    expect(types).toEqual(expect.arrayContaining(['customer.created', 'invoice.paid']));

    const main = (await page.locator('main').textContent()) ?? '';
    for (const other of [bob.customer.id, bob.invoice.number!, bob.subscription.id, 'Bob Stone', '$49.00'])
      expect(main, other).not.toContain(other);
    const payloads = (await page.locator('pre.payload').allTextContents()).join('\n');
    expect(payloads).toContain(ann.invoice.id);
    expect(payloads).not.toContain('user_ann@example.com');
    expect(payloads).not.toContain('Ann Lee');

    await page.screenshot({ path: join(SCREENSHOTS, 'admin-customer-1280.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    // By exact email, at phone width: Bob's page, with Bob's invoice and none of Ann's.
    await page.setViewportSize({ width: 375, height: 800 });
    await search('USER_BOB@example.com');
    await page.getByRole('heading', { level: 1, name: 'Bob Stone' }).waitFor(WAIT);
    // At this width the table's rows are cards and its head is hidden: count the invoices' own rows.
    const bobInvoices = page.getByRole('table', { name: 'Invoices', exact: true }).getByRole('rowheader');
    await expect.poll(() => bobInvoices.allTextContents(), { timeout: 60_000 }).toEqual([bob.invoice.number]);
    const bobPage = (await page.locator('main').textContent()) ?? '';
    expect(bobPage).toContain('$49.00');
    expect(bobPage).not.toContain(ann.invoice.number!);
    expect(bobPage).not.toContain('$29.00');
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-customer-375.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    // A term matching nobody says so.
    await search('zz');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Nothing matches' }).count()).toBe(1);
    expect(await page.getByRole('status').filter({ hasText: 'Nothing matches' }).textContent()).toBe(
      'Nothing matches “zz”.',
    );
  }, 300_000);
});
