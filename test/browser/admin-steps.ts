// The admin console's steps, each taking a Playwright page, so that longer stories (the billing page
// and the console together) can be told from the same pieces. Every wait is Playwright's own
// auto-waiting or a poll on what the page shows; none is a fixed sleep.

import type { Locator, Page } from 'playwright-core';

/** Generous for a busy 2-core machine; a wait that passes this is a failure, not slowness. */
export const WAIT = { timeout: 60_000 };

export async function alertText(scope: Page | Locator): Promise<string> {
  const alert = scope.getByRole('alert').first();
  await alert.waitFor(WAIT);
  return (await alert.textContent())?.trim() ?? '';
}

/** Signs in; returns the error shown when the key is refused, or null once the console is open. */
export async function signIn(page: Page, baseUrl: string, key: string): Promise<string | null> {
  if (!(await page.getByLabel('Admin key').isVisible())) await page.goto(`${baseUrl}/admin`);
  await page.getByLabel('Admin key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const outcome = await Promise.race([
    page
      .getByRole('navigation', { name: 'Main' })
      .waitFor(WAIT)
      .then(() => 'in' as const),
    page
      .getByRole('alert')
      .waitFor(WAIT)
      .then(() => 'refused' as const),
  ]);
  return outcome === 'in' ? null : alertText(page);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Admin key').waitFor(WAIT);
}

export async function openPage(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor(WAIT);
}

/** Clicks a dialog's confirm button and waits for the dialog to close (the action succeeded). */
export async function confirm(page: Page, button: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'hidden', ...WAIT });
}

export interface PlanFormInput {
  name: string;
  key: string;
  currency?: string;
  monthly?: string;
  yearly?: string;
  /** One per line, `key = value`. */
  benefits?: string;
}

/**
 * Fills the new-plan form and submits it. Returns the API's message when it refuses (the form stays
 * open for another try), or null once the plan is in the list.
 */
export async function submitPlan(page: Page, plan: PlanFormInput): Promise<string | null> {
  const form = page.getByRole('form', { name: 'New plan' });
  if (!(await form.isVisible())) await page.getByRole('button', { name: 'New plan' }).click();
  await form.getByLabel('Name', { exact: true }).fill(plan.name);
  await form.getByLabel('Key', { exact: true }).fill(plan.key);
  await form.getByLabel('Currency').fill(plan.currency ?? 'usd');
  await form.getByLabel('Monthly price').fill(plan.monthly ?? '');
  await form.getByLabel('Yearly price').fill(plan.yearly ?? '');
  await form.getByLabel('Benefits').fill(plan.benefits ?? '');
  await form.getByRole('button', { name: 'Create plan' }).click();
  const outcome = await Promise.race([
    planCard(page, plan.name)
      .waitFor(WAIT)
      .then(() => 'created' as const),
    form
      .getByRole('alert')
      .waitFor(WAIT)
      .then(() => 'refused' as const),
  ]);
  return outcome === 'created' ? null : alertText(form);
}

export function planCard(page: Page, name: string): Locator {
  return page
    .locator('li.card')
    .filter({ has: page.getByRole('heading', { level: 2, name: new RegExp(`^${name} `) }) });
}

/** Prices as the card lists them, e.g. "$29.00 / month". */
export async function planPrices(page: Page, name: string): Promise<string[]> {
  const rows = planCard(page, name).locator('ul.rows > li > span:first-child');
  return (await rows.allTextContents()).map((t) => t.trim());
}

export async function editPrice(page: Page, plan: string, price: string, amount: string): Promise<void> {
  await planCard(page, plan)
    .getByRole('button', { name: `Edit price ${price}` })
    .click();
  await page
    .getByRole('dialog')
    .getByLabel(/New amount/)
    .fill(amount);
  await confirm(page, 'Change price');
}

export async function archivePlan(page: Page, plan: string): Promise<void> {
  await planCard(page, plan)
    .getByRole('button', { name: `Archive ${plan}` })
    .click();
  await confirm(page, 'Archive plan');
  await planCard(page, plan).waitFor({ state: 'detached', ...WAIT });
}

export async function readTile(page: Page, label: string): Promise<string> {
  const tile = page.locator(`[data-tile="${label}"]`);
  await tile.waitFor(WAIT);
  return (await tile.textContent())?.trim() ?? '';
}

/** Opens a list row's action menu (the button named "Actions for …") and chooses `action` in it. */
export async function rowAction(row: Locator, action: string): Promise<void> {
  await row.getByRole('button', { name: /^Actions for / }).click();
  await row.getByRole('menu').getByRole('menuitem', { name: action, exact: true }).click();
}

/** The names of the actions a list row's menu offers (the menu is closed again with Escape). */
export async function rowActions(row: Locator): Promise<string[]> {
  await row.getByRole('button', { name: /^Actions for / }).click();
  const menu = row.getByRole('menu');
  await menu.waitFor(WAIT);
  const names = (await menu.getByRole('menuitem').allInnerTexts()).map((t) => t.trim());
  await menu.press('Escape');
  await menu.waitFor({ state: 'detached', ...WAIT });
  return names;
}

/** Filters the event log to one object, and acts on its dead event of `type` with `action` (confirmed). */
async function onDeadEvent(page: Page, objectId: string, type: string, action: 'Replay' | 'Discard') {
  await openPage(page, 'Events');
  await page.getByLabel('Object id').fill(objectId);
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: type }) });
  await row.getByText('dead', { exact: true }).waitFor(WAIT);
  await rowAction(row, action);
  await confirm(page, `${action} event`);
  return row;
}

/** Replays the object's dead event of `type`; resolves with the new status. */
export async function replayEvent(page: Page, objectId: string, type: string): Promise<string> {
  const row = await onDeadEvent(page, objectId, type, 'Replay');
  await row.getByText('processed', { exact: true }).waitFor(WAIT);
  return 'processed';
}

/** Discards the object's dead event of `type`; resolves with the new status. */
export async function discardEvent(page: Page, objectId: string, type: string): Promise<string> {
  const row = await onDeadEvent(page, objectId, type, 'Discard');
  await row.getByText('discarded', { exact: true }).waitFor(WAIT);
  return 'discarded';
}

/** Runs a sync from the sync page and waits for its live progress to say it finished. */
export async function runSync(page: Page): Promise<string> {
  await openPage(page, 'Sync');
  await page.getByRole('button', { name: 'Run sync now' }).click();
  await confirm(page, 'Run sync');
  const progress = page.locator('.progress');
  await progress.getByText('succeeded', { exact: true }).waitFor(WAIT);
  return (await progress.textContent())?.trim() ?? '';
}

/** Flips auto sync from the sync page; returns the switch's state afterwards ("on" or "off"). */
export async function toggleAutoSync(page: Page): Promise<string> {
  const toggle = page.getByRole('button', { name: /^Auto sync: (on|off)$/ });
  const before = await toggle.textContent();
  await toggle.click();
  await confirm(page, before?.endsWith('on') ? 'Turn off' : 'Turn on');
  const after = before?.endsWith('on') ? 'off' : 'on';
  await page.getByRole('button', { name: `Auto sync: ${after}` }).waitFor(WAIT);
  return after;
}

export async function openSubscription(page: Page, id: string): Promise<void> {
  await openPage(page, 'Subscriptions');
  await page.getByRole('link', { name: id, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: `Subscription ${id}` }).waitFor(WAIT);
}

/** Picks a new plan price in the change dialog, reads the preview, confirms; returns the preview's words. */
export async function changePlan(page: Page, choice: string): Promise<string> {
  await page.getByRole('button', { name: 'Change plan', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('New plan and price').selectOption({ label: choice });
  const preview = dialog.locator('.preview');
  await preview.waitFor(WAIT);
  const words = (await preview.textContent())?.trim() ?? '';
  await confirm(page, 'Change plan');
  return words;
}

export async function cancelAtPeriodEnd(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Cancel at period end' }).click();
  await confirm(page, 'Cancel at period end');
  await page.getByRole('button', { name: 'Resume' }).waitFor(WAIT);
}

export async function resume(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Resume' }).click();
  await confirm(page, 'Resume');
  await page.getByRole('button', { name: 'Cancel at period end' }).waitFor(WAIT);
}

/** Refunds part of the subscription's first paid invoice from its detail page. */
export async function refundFirstInvoice(page: Page, amount: string): Promise<void> {
  const paid = page
    .getByRole('table', { name: 'Invoices' })
    .locator('tbody tr')
    .filter({ has: page.getByText('paid', { exact: true }) })
    .first();
  await rowAction(paid, 'Refund');
  await page
    .getByRole('dialog')
    .getByLabel(/Amount to refund/)
    .fill(amount);
  await confirm(page, 'Refund');
}
