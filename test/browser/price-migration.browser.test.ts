// A price migration in Chromium against `recur serve`: twenty subscribers on Pro at $29 (on test
// clocks, nine renewing a day before the other eleven) when Pro's price becomes $35. The admin
// chooses the old and the new price, reads the dry run (20 subscriptions, MRR $580.00 → $700.00,
// each customer's next invoice), starts the migration at renewal and watches its progress; mid-way
// (Stripe slowed down so that it is mid-way) the process is restarted as a deploy restarts it, on
// the same data folder, and the page shows the same migration finishing: 20 of 20 scheduled, each
// subscription with exactly one schedule in Stripe. Then each renewal day comes (the clocks
// advanced) and the dashboard's MRR moves: $580.00, $634.00, $700.00, as the migration's count of
// renewed subscriptions grows on the page left open; undone after that, they stay on $35. A refusal from the API is
// shown in its words; the dry run reads on a phone.

import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, skipBrowserTests } from '../support/browser.js';
import { type RecurProcess, startRecurServe } from '../support/serve.js';
import { eventually } from '../support/wait.js';
import { confirm, openPage, signIn, WAIT } from './admin-steps.js';
import {
  advanceClock,
  api,
  backOnMigrations,
  chooseAndDryRun,
  dashboardMrr,
  monthOf,
  mrrIn,
  NEW,
  pastRow,
  renewalDate,
  type Seeded,
  SUBSCRIBERS,
  schedulesInSnapshot,
  seed,
  slowStripe,
} from './price-migration-steps.js';

describe.skipIf(skipBrowserTests)('a price migration in the console', () => {
  let recur: RecurProcess;
  let browser: Browser;
  let seeded: Seeded;

  beforeAll(async () => {
    recur = await startRecurServe({}, { restartable: true });
    seeded = await seed(recur);
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await recur?.stop();
  });

  it('reads the dry run on a 375 px phone', async () => {
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
    expect(await dry.locator('dd').allInnerTexts()).toEqual([String(SUBSCRIBERS), '$580.00 → $700.00']);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(SCREENSHOTS, 'price-migration-375.png'), fullPage: true });
  }, 120_000);

  it('moves twenty subscribers at renewal across a restart, each once, and MRR moves at each renewal', async () => {
    const { oldPrice, newPrice, subscriptions, days } = seeded;
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
      '20',
      'MRR',
      '$580.00 → $700.00',
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

    // Stripe answers slowly, so that the restart below falls between the first move and the last.
    await slowStripe(recur, 300);
    await page.getByRole('button', { name: 'Start migration' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move 20 subscriptions to the new price?' });
    expect(await dialog.innerText()).toContain('At each renewal; each customer is emailed.');
    await confirm(page, 'Start migration');

    const progress = page.getByRole('region', { name: 'Progress' });
    const bar = progress.getByRole('progressbar', { name: 'Subscriptions moved' });
    const moved = async () => Number(await bar.getAttribute('value'));
    await expect.poll(moved, WAIT).toBeGreaterThan(0);
    const shown = await moved();
    expect(shown).toBeLessThan(SUBSCRIBERS);
    expect(await progress.locator('.badge').innerText()).toBe('running');

    // A deploy's restart: the process finishes the subscription in hand and stops; Stripe's state
    // (the emulator's snapshot) and Recur's database stay in the data folder.
    await recur.restart(async () => {
      const schedules = await schedulesInSnapshot(recur);
      expect(schedules).toBeGreaterThanOrEqual(shown);
      expect(schedules).toBeLessThan(SUBSCRIBERS);
    });
    await backOnMigrations(page, recur);
    await page.getByRole('button', { name: /^Show progress of the migration started / }).click();
    await bar.waitFor(WAIT);
    await page.screenshot({
      path: join(SCREENSHOTS, 'price-migration-after-restart-1280.png'),
      fullPage: true,
    });
    await progress.getByText('20 of 20 moved — 20 scheduled').waitFor(WAIT);
    expect(await progress.locator('.badge').innerText()).toBe('completed');
    expect(await bar.getAttribute('value')).toBe('20');
    expect(await bar.getAttribute('max')).toBe('20');
    const past = page.getByRole('table', { name: 'Past price migrations' }).locator('tbody tr');
    await past.filter({ hasText: 'completed' }).waitFor(WAIT);
    expect(await past.count()).toBe(1);
    expect(await past.locator('td').allInnerTexts()).toEqual([
      'At each renewal',
      'completed',
      '20 of 20 (20 scheduled)',
      '$580.00 → $700.00',
      expect.stringContaining('Undo'),
    ]);
    await page.screenshot({ path: join(SCREENSHOTS, 'price-migration-done-1280.png'), fullPage: true });

    // Stripe's side: each subscription moved exactly once, by the schedule the migration recorded.
    const list = await api(recur, 'GET', '/api/admin/price-migrations');
    const id = (list.body.data as Array<{ id: string }>)[0]!.id;
    const detail = await api(recur, 'GET', `/api/admin/price-migrations/${id}`);
    const items = detail.body.items as Array<{ subscription_id: string; schedule_id: string | null }>;
    for (const sub of subscriptions) {
      const schedules = (await recur.stripe.subscriptionSchedules.list({ customer: String(sub.customer) }))
        .data;
      expect(schedules, sub.id).toHaveLength(1);
      expect(schedules[0]!.phases.map((p) => p.items[0]!.price)).toEqual([oldPrice, newPrice]);
      expect(items.find((i) => i.subscription_id === sub.id)?.schedule_id).toBe(schedules[0]!.id);
    }

    // Each renewal day moves its subscribers onto $35, and the dashboard's MRR by $6 each, in the
    // month of the last renewal (the months before it keep what they had).
    const month = monthOf(days[1].renewsAt);
    await dashboardMrr(page, month, '$580.00');
    const shownAfter = ['$634.00', '$700.00'];
    const countsAfter = ['20 of 20 (11 scheduled, 9 renewed)', '20 of 20 (20 renewed)'];
    let expected = 58_000;
    for (const [n, day] of days.entries()) {
      // The migrations page stays open while the day's renewals come in, and shows them as they do.
      await openPage(page, 'Price migrations');
      for (const clock of day.clocks) await advanceClock(recur, clock, day.renewsAt + 3600);
      expected += 600 * day.subscriptions.length;
      await expect
        .poll(() => pastRow(page), WAIT)
        .toEqual(['At each renewal', 'completed', countsAfter[n], '$580.00 → $700.00']);
      await eventually(async () => expect(await mrrIn(recur, month)).toBe(expected), 120_000);
      await dashboardMrr(page, month, shownAfter[n]!);
    }
    await openPage(page, 'Price migrations');

    // Undone once every subscriber has renewed: nothing is left to release, they stay on $35.
    await past.getByRole('button', { name: /^Undo the migration/ }).click();
    await confirm(page, 'Undo migration');
    await past.filter({ hasText: 'undone' }).waitFor(WAIT);
    expect((await past.locator('td').allInnerTexts()).slice(0, 4)).toEqual([
      'At each renewal',
      'undone',
      '20 of 20 (20 renewed)',
      '$580.00 → $700.00',
    ]);
    expect(await past.getByRole('button', { name: /^Undo/ }).count()).toBe(0);
    for (const sub of subscriptions)
      expect((await recur.stripe.subscriptions.retrieve(sub.id)).items.data[0]!.price.id, sub.id).toBe(
        newPrice,
      );
    await dashboardMrr(page, month, '$700.00');
  }, 300_000);
});
