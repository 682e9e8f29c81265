// A price migration in Chromium against `recur serve`: three subscribers on Pro at $29 when Pro's
// price becomes $35; the admin chooses the old and the new price, reads the dry run (3 subscriptions,
// MRR $87.00 → $105.00, each customer's next invoice), starts the migration at renewal, watches it
// reach 3 of 3, and undoes it. A refusal from the API is shown in its words.

import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, skipBrowserTests } from '../support/browser.js';
import { type RecurProcess, startRecurServe } from '../support/serve.js';
import { eventually } from '../support/wait.js';
import { confirm, openPage, signIn, WAIT } from './admin-steps.js';

const SUBSCRIBERS = 3;

async function api(recur: RecurProcess, method: string, path: string, body?: unknown) {
  const res = await fetch(`${recur.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${recur.adminKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Catalog {
  id: string;
  prices: Array<{ id: string; stripe_price_id: string; unit_amount: number }>;
}

/** Pro at $29 with three subscribers, then Pro's price changed to $35 (the $29 one archived). */
async function seed(recur: RecurProcess) {
  const created = await api(recur, 'POST', '/api/plans', {
    key: 'pro',
    name: 'Pro',
    prices: [{ currency: 'usd', unit_amount: 2900, interval: 'month' }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const plan = created.body as unknown as Catalog;
  const oldPrice = plan.prices[0]!.stripe_price_id;
  const subscriptions: Stripe.Subscription[] = [];
  for (let i = 1; i <= SUBSCRIBERS; i++) {
    const customer = await recur.stripe.customers.create({
      name: `Customer ${i}`,
      email: `customer${i}@example.com`,
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
      metadata: { recur_user_id: `user_${i}` },
    });
    subscriptions.push(
      await recur.stripe.subscriptions.create({ customer: customer.id, items: [{ price: oldPrice }] }),
    );
  }
  const changed = await api(recur, 'PATCH', `/api/plans/${plan.id}/prices/${plan.prices[0]!.id}`, {
    unit_amount: 3500,
  });
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  const newPrice = (changed.body as unknown as Catalog).prices.find((p) => p.unit_amount === 3500)!;
  // Recur knows the subscribers once their webhooks are in: the dry run counts all three.
  await eventually(async () => {
    const dry = await api(recur, 'POST', '/api/admin/price-migrations/dry-run', {
      from_price_ids: [oldPrice],
      to_price_id: newPrice.stripe_price_id,
      timing: 'renewal',
    });
    expect(dry.body.subscriptions).toBe(SUBSCRIBERS);
  }, 60_000);
  return subscriptions;
}

const renewalDate = (sub: Stripe.Subscription) =>
  new Date(sub.items.data[0]!.current_period_end * 1000).toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });

const OLD = 'Pro — $29.00 / month (archived)';
const NEW = 'Pro — $35.00 / month';

async function chooseAndDryRun(page: Page): Promise<void> {
  await openPage(page, 'Price migrations');
  const form = page.getByRole('form', { name: 'New price migration' });
  await form.getByRole('checkbox', { name: OLD }).check(WAIT);
  await form.getByLabel('New price').selectOption({ label: NEW });
  await form.getByLabel('When').selectOption({ label: 'At each renewal' });
  await form.getByRole('button', { name: 'Dry run' }).click();
  await page.getByRole('region', { name: 'Dry run' }).waitFor(WAIT);
}

describe.skipIf(skipBrowserTests)('a price migration in the console', () => {
  let recur: RecurProcess;
  let browser: Browser;
  let subscriptions: Stripe.Subscription[];

  beforeAll(async () => {
    recur = await startRecurServe();
    subscriptions = await seed(recur);
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await recur?.stop();
  });

  it('shows the dry run, moves the three subscribers at renewal with its progress, and undoes it', async () => {
    const page = await (
      await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })
    ).newPage();
    expect(await signIn(page, recur.url, recur.adminKey)).toBeNull();
    await openPage(page, 'Price migrations');
    await page.getByText('No price migration has run yet.').waitFor(WAIT);

    // The new price among the old ones is refused, in the API's words.
    const form = page.getByRole('form', { name: 'New price migration' });
    await form.getByRole('checkbox', { name: NEW }).check(WAIT);
    await form.getByLabel('New price').selectOption({ label: NEW });
    await form.getByRole('button', { name: 'Dry run' }).click();
    expect(await form.getByRole('alert').innerText()).toContain('The new price is one of the old prices');
    await form.getByRole('checkbox', { name: NEW }).uncheck();

    await chooseAndDryRun(page);
    const dry = page.getByRole('region', { name: 'Dry run' });
    expect(await dry.locator('dt, dd').allInnerTexts()).toEqual([
      'Subscriptions',
      String(SUBSCRIBERS),
      'MRR',
      '$87.00 → $105.00',
    ]);
    const rows = dry.getByRole('table', { name: "Each customer's next invoice" }).locator('tbody tr');
    expect(await rows.count()).toBe(SUBSCRIBERS);
    for (const [i, sub] of subscriptions.entries()) {
      const row = rows.filter({
        has: page.getByRole('rowheader', { name: `Customer ${i + 1}`, exact: true }),
      });
      expect(await row.locator('td').allInnerTexts()).toEqual(['$29.00', '$35.00', renewalDate(sub)]);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'price-migration-dry-run-1280.png'), fullPage: true });

    await page.getByRole('button', { name: 'Start migration' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move 3 subscriptions to the new price?' });
    expect(await dialog.innerText()).toContain('At each renewal; each customer is emailed.');
    await confirm(page, 'Start migration');

    const progress = page.getByRole('region', { name: 'Progress' });
    await progress
      .getByText(`${SUBSCRIBERS} of ${SUBSCRIBERS} moved — ${SUBSCRIBERS} scheduled`)
      .waitFor(WAIT);
    expect(await progress.locator('.badge').innerText()).toBe('completed');
    const bar = progress.getByRole('progressbar', { name: 'Subscriptions moved' });
    expect(await bar.getAttribute('value')).toBe(String(SUBSCRIBERS));
    expect(await bar.getAttribute('max')).toBe(String(SUBSCRIBERS));
    const past = page.getByRole('table', { name: 'Past price migrations' }).locator('tbody tr');
    await past.filter({ hasText: 'completed' }).waitFor(WAIT);
    expect(await past.count()).toBe(1);
    expect(await past.locator('td').allInnerTexts()).toEqual([
      'At each renewal',
      'completed',
      `3 of 3 (3 scheduled)`,
      '$87.00 → $105.00',
      expect.stringContaining('Undo'),
    ]);
    await page.screenshot({ path: join(SCREENSHOTS, 'price-migration-done-1280.png'), fullPage: true });

    await past.getByRole('button', { name: /^Undo the migration/ }).click();
    await confirm(page, 'Undo migration');
    await past.filter({ hasText: 'undone' }).waitFor(WAIT);
    expect(await past.locator('td').nth(1).innerText()).toBe('undone');
    expect(await past.locator('td').nth(2).innerText()).toBe('3 of 3 (3 undone)');
    expect(await past.getByRole('button', { name: /^Undo/ }).count()).toBe(0);
    // Stripe's side: no subscription is left with a schedule.
    for (const sub of subscriptions)
      expect((await recur.stripe.subscriptions.retrieve(sub.id)).schedule, sub.id).toBeNull();
  }, 240_000);

  it('reads on a 375 px phone', async () => {
    const page = await (
      await browser.newContext({
        locale: 'en-US',
        viewport: { width: 375, height: 812 },
        isMobile: true,
        hasTouch: true,
      })
    ).newPage();
    expect(await signIn(page, recur.url, recur.adminKey)).toBeNull();
    await chooseAndDryRun(page);
    const dry = page.getByRole('region', { name: 'Dry run' });
    expect(await dry.locator('dd').allInnerTexts()).toEqual([String(SUBSCRIBERS), '$87.00 → $105.00']);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(SCREENSHOTS, 'price-migration-375.png'), fullPage: true });
  }, 120_000);
});
