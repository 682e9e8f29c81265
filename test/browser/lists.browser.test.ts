// The console's lists (subscriptions, customers, invoices, refunds, events) in Chromium against
// `recur serve`: on each, a sort by a column head and a filter, asserting the rows a person sees in
// order; links between objects; a row's action menu driven by keyboard; no serious axe violation and
// cards at 375 px. Screenshots at 1280 and 375 px go to test-results/ for review.

import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, skipBrowserTests } from '../support/browser.js';
import { type RecurProcess, startRecurServe } from '../support/serve.js';
import { openPage, signIn, WAIT } from './admin-steps.js';
import { seriousViolations } from './axe.js';

describe.skipIf(skipBrowserTests)('the console’s lists in a browser', () => {
  let recur: RecurProcess;
  let browser: Browser;
  let page: Page;
  let stripe: Stripe;
  const people: Record<string, { customer: string; subscription: string }> = {};
  let basicPlanId = '';

  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${recur.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${recur.adminKey}`, 'content-type': 'application/json' },
    });
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  const idsFrom = async (path: string) =>
    (await api<{ data: Array<{ id: string }> }>(path)).data.map((r) => r.id);

  const table = (name: string) => page.getByRole('table', { name, exact: true });
  /** The texts of one column, top to bottom, as the page shows them. */
  const column = (name: string, nth: number) => () =>
    table(name)
      .locator(`tbody tr > :nth-child(${nth})`)
      .allInnerTexts()
      .then((texts) => texts.map((t) => t.trim()));
  const sortBy = (name: string, head: string) =>
    table(name).getByRole('columnheader', { name: head }).getByRole('button').click();
  const sortState = (name: string, head: string) =>
    table(name).getByRole('columnheader', { name: head }).getAttribute('aria-sort');

  async function shoot(name: string) {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(SCREENSHOTS, `lists-${name}-1280.png`), fullPage: true });
    expect(await seriousViolations(page), `${name} at 1280 px`).toEqual([]);
    await page.setViewportSize({ width: 375, height: 800 });
    // Cards: the column heads are gone and each cell carries its column's name.
    await expect.poll(() => page.locator('thead').first().isVisible(), WAIT).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(SCREENSHOTS, `lists-${name}-375.png`), fullPage: true });
    expect(await seriousViolations(page), `${name} at 375 px`).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  beforeAll(async () => {
    recur = await startRecurServe();
    stripe = recur.stripe;
    const plan = (key: string, name: string, amount: number) =>
      api<{ id: string; prices: Array<{ stripe_price_id: string }> }>('/api/plans', {
        method: 'POST',
        body: JSON.stringify({
          key,
          name,
          prices: [{ currency: 'usd', unit_amount: amount, interval: 'month' }],
        }),
      });
    const basic = await plan('basic', 'Basic', 1000);
    const pro = await plan('pro', 'Pro', 5000);
    basicPlanId = basic.id;
    for (const [name, price, quantity] of [
      ['Ann Abel', basic, 1],
      ['Bob Birch', pro, 1],
      ['Cai Chen', basic, 3],
    ] as const) {
      const customer = await stripe.customers.create({
        name,
        email: `${name.split(' ')[0]!.toLowerCase()}@lists.example`,
        payment_method: 'pm_card_visa',
        invoice_settings: { default_payment_method: 'pm_card_visa' },
      });
      const subscription = await stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price.prices[0]!.stripe_price_id, quantity }],
      });
      people[name.split(' ')[0]!] = { customer: customer.id, subscription: subscription.id };
    }
    await stripe.subscriptions.cancel(people.Bob!.subscription);
    await until(async () => (await idsFrom('/api/invoices?status=paid')).length === 3);
    await until(async () => (await idsFrom('/api/subscriptions?status=cancelled')).length === 1);
    await until(async () => (await idsFrom('/api/customers')).length === 3);
    const invoiceOf = async (who: string) =>
      (await idsFrom(`/api/invoices?customer_id=${people[who]!.customer}`))[0]!;
    for (const [who, amount] of [
      ['Ann', 400],
      ['Cai', 700],
      ['Cai', 200],
    ] as const) {
      await api('/stripe/refunds', {
        method: 'POST',
        body: JSON.stringify({ invoice_id: await invoiceOf(who), amount, reason: 'requested_by_customer' }),
      });
    }
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    expect(await signIn(page, recur.url, recur.adminKey)).toBeNull();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await recur?.stop();
  });

  it('subscriptions: sorts by status both ways, filters by plan, links to the customer', async () => {
    await openPage(page, 'Subscriptions');
    const statuses = column('Subscriptions', 5);
    await expect.poll(statuses, WAIT).toHaveLength(3);
    expect(await sortState('Subscriptions', 'Created')).toBe('descending');
    await sortBy('Subscriptions', 'Status');
    await expect.poll(statuses, WAIT).toEqual(['cancelled', 'active', 'active']);
    expect(await sortState('Subscriptions', 'Status')).toBe('descending');
    await sortBy('Subscriptions', 'Status');
    await expect.poll(statuses, WAIT).toEqual(['active', 'active', 'cancelled']);
    expect(await sortState('Subscriptions', 'Status')).toBe('ascending');

    await page.getByLabel('Plan').selectOption({ label: 'Basic' });
    const expected = await idsFrom(`/api/subscriptions?plan_id=${basicPlanId}&sort=status&order=asc`);
    expect(new Set(expected)).toEqual(new Set([people.Ann!.subscription, people.Cai!.subscription]));
    await expect.poll(column('Subscriptions', 1), WAIT).toEqual(expected);
    const customers = await column('Subscriptions', 2)();
    expect(customers).toEqual(
      expected.map((id) =>
        id === people.Ann!.subscription ? 'Ann Abel\nann@lists.example' : 'Cai Chen\ncai@lists.example',
      ),
    );
    expect(await column('Subscriptions', 4)()).toEqual(
      expected.map((id) => (id === people.Ann!.subscription ? '$10.00 / month' : '$30.00 / month')),
    );
    const ann = table('Subscriptions').getByRole('link', { name: 'Ann Abel' });
    expect(await ann.getAttribute('href')).toBe(`/admin/customers/${people.Ann!.customer}`);
    await shoot('subscriptions');
  }, 180_000);

  it('invoices: sorts by total, filters by customer, links to the subscription and customer', async () => {
    await openPage(page, 'Invoices');
    const totals = column('Invoices', 5);
    await expect.poll(totals, WAIT).toHaveLength(3);
    await sortBy('Invoices', 'Total');
    await expect.poll(totals, WAIT).toEqual(['$50.00', '$30.00', '$10.00']);
    await sortBy('Invoices', 'Total');
    await expect.poll(totals, WAIT).toEqual(['$10.00', '$30.00', '$50.00']);

    await page.getByLabel('Customer id').fill(people.Cai!.customer);
    await page.getByLabel('Status').selectOption('paid');
    await expect.poll(totals, WAIT).toEqual(['$30.00']);
    const row = table('Invoices').locator('tbody tr').first();
    expect(await row.getByRole('link', { name: people.Cai!.subscription }).getAttribute('href')).toBe(
      `/admin/subscriptions/${people.Cai!.subscription}`,
    );
    expect(await row.getByRole('link', { name: people.Cai!.customer }).getAttribute('href')).toBe(
      `/admin/customers/${people.Cai!.customer}`,
    );
    await shoot('invoices');
  }, 180_000);

  it('refunds: sorts by amount, filters by charge and by invoice, names each customer and invoice', async () => {
    await openPage(page, 'Refunds');
    const amounts = column('Refunds', 2);
    await expect.poll(amounts, WAIT).toHaveLength(3);
    await sortBy('Refunds', 'Amount');
    await expect.poll(amounts, WAIT).toEqual(['$7.00', '$4.00', '$2.00']);
    await sortBy('Refunds', 'Amount');
    await expect.poll(amounts, WAIT).toEqual(['$2.00', '$4.00', '$7.00']);
    expect(await column('Refunds', 5)()).toEqual([
      people.Cai!.customer,
      people.Ann!.customer,
      people.Cai!.customer,
    ]);

    const { data } = await api<{ data: Array<{ amount: number; charge_id: string }> }>('/api/refunds');
    const caisCharge = data.find((r) => r.amount === 700)!.charge_id;
    await page.getByLabel('Charge id').fill(caisCharge);
    await expect.poll(amounts, WAIT).toEqual(['$2.00', '$7.00']);
    // Each refund names the invoice it returned (amounts ascending: Cai's, Cai's).
    const caisInvoice = (await idsFrom(`/api/invoices?customer_id=${people.Cai!.customer}`))[0]!;
    const annsInvoice = (await idsFrom(`/api/invoices?customer_id=${people.Ann!.customer}`))[0]!;
    expect(await column('Refunds', 7)()).toEqual([caisInvoice, caisInvoice]);
    await page.getByLabel('Charge id').fill('');
    await page.getByLabel('Invoice id').fill(annsInvoice);
    await expect.poll(amounts, WAIT).toEqual(['$4.00']);
    expect(await column('Refunds', 7)()).toEqual([annsInvoice]);
    await shoot('refunds');
    await page.getByLabel('Invoice id').fill('');
  }, 180_000);

  it('customers: oldest or newest first, filtered by search, with actions in a keyboard menu', async () => {
    await openPage(page, 'Customers');
    const emails = column('Customers', 2);
    const newest = (await idsFrom('/api/customers')).length;
    expect(newest).toBe(3);
    const byAge = await api<{ data: Array<{ email: string }> }>('/api/customers?order=asc');
    const oldestFirst = byAge.data.map((c) => c.email);
    expect(new Set(oldestFirst)).toEqual(
      new Set(['ann@lists.example', 'bob@lists.example', 'cai@lists.example']),
    );
    await expect.poll(emails, WAIT).toEqual([...oldestFirst].reverse());
    await sortBy('Customers', 'Created');
    await expect.poll(emails, WAIT).toEqual(oldestFirst);
    expect(await sortState('Customers', 'Created')).toBe('ascending');

    await page.getByLabel('Email, name or id').fill('cai');
    await expect.poll(emails, WAIT).toEqual(['cai@lists.example']);
    // The row's menu by keyboard: Enter opens it on its first item, arrows move, Escape closes it.
    const menuButton = page.getByRole('button', { name: 'Actions for cai@lists.example' });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'Actions for cai@lists.example' });
    await expect.poll(() => focusedText(page), WAIT).toBe('Open customer');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focusedText(page)).toBe('Invoices');
    await page.keyboard.press('End');
    expect(await focusedText(page)).toBe('Erase personal data');
    await page.keyboard.press('ArrowDown');
    expect(await focusedText(page)).toBe('Open customer');
    expect(await seriousViolations(page), 'with the menu open').toEqual([]);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached', ...WAIT });
    expect(await menuButton.evaluate((e) => e === document.activeElement)).toBe(true);
    // Its Invoices item opens the invoices of that customer.
    await menuButton.click();
    await menu.getByRole('menuitem', { name: 'Invoices' }).click();
    await page.getByRole('heading', { level: 1, name: 'Invoices' }).waitFor(WAIT);
    await expect.poll(column('Invoices', 5), WAIT).toEqual(['$30.00']);
    await openPage(page, 'Customers');
    await expect.poll(emails, WAIT).toHaveLength(3);
    await shoot('customers');
  }, 180_000);

  it('events: sorts by when they occurred, filters by type', async () => {
    await openPage(page, 'Events');
    await page.getByLabel('Type').fill('customer.created');
    const objects = column('Events', 2);
    const customers = Object.values(people).map((p) => p.customer);
    await expect.poll(async () => new Set(await objects()), WAIT).toEqual(new Set(customers));
    const descending = await idsFrom('/api/admin/events?type=customer.created&sort=occurred&order=desc');
    const objectOf = async (ids: string[]) => {
      const { data } = await api<{ data: Array<{ id: string; object_id: string }> }>(
        '/api/admin/events?type=customer.created',
      );
      return ids.map((id) => data.find((e) => e.id === id)!.object_id);
    };
    await sortBy('Events', 'Occurred');
    await expect.poll(objects, WAIT).toEqual(await objectOf(descending));
    await sortBy('Events', 'Occurred');
    await expect.poll(objects, WAIT).toEqual((await objectOf(descending)).reverse());
    expect(await sortState('Events', 'Occurred')).toBe('ascending');
    expect(await column('Events', 1)()).toEqual(['customer.created', 'customer.created', 'customer.created']);
    await shoot('events');
  }, 180_000);
});

/** Polls until the mirror shows what the webhooks bring (beforeAll has no expect.poll). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT.timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the mirror did not catch up in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function focusedText(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
}
