import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';

/**
 * The customer's steps on the billing page, each taking a Playwright page, so that longer stories
 * (an admin creates a plan, a customer subscribes, the admin sees MRR move) can reuse them.
 * Waits are for states the page shows, never fixed sleeps; the long ones cover the webhook's trip
 * through the worker into the mirror on a busy machine.
 */
const SLOW = 90_000;

export interface BillingLinkRequest {
  user_id: string;
  email?: string;
  name?: string;
  expires_in?: number;
}

async function postJson(url: string, apiKey: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST ${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** Creates a plan with the admin key (a story can instead create it in the admin console). */
export async function createPlanThroughApi(
  recurUrl: string,
  adminKey: string,
  plan: Record<string, unknown>,
) {
  return (await postJson(`${recurUrl}/api/plans`, adminKey, plan)) as { id: string; key: string };
}

/** Asks Recur for a billing link, as the host app's backend does with a service (or admin) key. */
export async function createBillingLink(
  recurUrl: string,
  apiKey: string,
  user: BillingLinkRequest,
): Promise<{ url: string; expires_at: string }> {
  return (await postJson(`${recurUrl}/api/billing/links`, apiKey, user)) as {
    url: string;
    expires_at: string;
  };
}

export const section = (page: Page, name: string): Locator => page.getByRole('region', { name });

/** Opens a billing link and waits for the page to show the user's billing. */
export async function openBillingLink(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await section(page, 'Your plan').waitFor({ timeout: SLOW });
}

/** Flips the pricing table's monthly/yearly switch. */
export async function chooseInterval(page: Page, label: 'Monthly' | 'Yearly'): Promise<void> {
  await section(page, 'Plans').getByLabel(label).check();
}

/** The text of one plan's card in the pricing table. */
export async function planCardText(page: Page, planName: string): Promise<string> {
  const card = section(page, 'Plans')
    .getByRole('listitem')
    .filter({
      has: page.getByRole('heading', { name: planName, level: 3 }),
    });
  return (await card.first().innerText()).replace(/\s+/g, ' ');
}

/**
 * Subscribes through Stripe Checkout: the pricing table's button, the hosted page with a test card,
 * and back on the billing page until the subscription shows as the current plan.
 */
export async function subscribe(
  page: Page,
  planName: string,
  card = 'Visa •••• 4242 (succeeds)',
): Promise<void> {
  await section(page, 'Plans')
    .getByRole('button', { name: `Subscribe to ${planName}` })
    .click();
  await page.getByLabel(card).check({ timeout: SLOW });
  await page.getByRole('button', { name: /^(Subscribe|Start trial)$/ }).click();
  await page.waitForURL(/\/billing(\?|$)/, { timeout: SLOW });
  await expectCurrentPlan(page, planName);
}

/** Waits until the "Your plan" section names the plan. */
export async function expectCurrentPlan(page: Page, planName: string): Promise<void> {
  await section(page, 'Your plan')
    .getByRole('heading', { name: planName, level: 3 })
    .waitFor({ timeout: SLOW });
}

/**
 * The status line and the other facts the "Your plan" section lists, as text, once its benefits
 * are in (they come from the entitlements, asked apart from the subscriptions).
 */
export async function currentPlanText(page: Page): Promise<string> {
  await section(page, 'Your plan')
    .getByText('Loading what your plan includes')
    .waitFor({ state: 'hidden', timeout: SLOW });
  return (await section(page, 'Your plan').innerText()).replace(/\s+/g, ' ');
}

export interface ShownPreview {
  applies: string;
  dueNow: string;
  nextRenewal: string;
}

const definition = async (scope: Locator, term: string) =>
  (await scope.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]').innerText()).trim();

/** Picks a plan in "Change plan", asks for the preview, reads it, confirms, and waits for the new plan. */
export async function upgradeWithPreview(
  page: Page,
  planName: string,
  interval: 'Monthly' | 'Yearly' = 'Monthly',
): Promise<ShownPreview> {
  const change = section(page, 'Change plan');
  await change.getByLabel('New plan').selectOption({ label: planName });
  await change.getByLabel(interval).check();
  await change.getByRole('button', { name: 'Preview change' }).click();
  await change.getByRole('button', { name: 'Confirm change' }).waitFor({ timeout: SLOW });
  const preview = {
    applies: await definition(change, 'Applies'),
    dueNow: await definition(change, 'Due now'),
    nextRenewal: await definition(change, 'Next renewal'),
  };
  await change.getByRole('button', { name: 'Confirm change' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Your plan is now ${planName}.` })
    .waitFor({ timeout: SLOW });
  await expectCurrentPlan(page, planName);
  return preview;
}

/** The invoice rows shown, reloading the page until at least `count` are listed (invoices arrive by webhook). */
export async function waitForInvoices(page: Page, count: number): Promise<string[]> {
  const rows = section(page, 'Invoices').locator('tbody tr');
  const deadline = Date.now() + SLOW;
  while ((await rows.count()) < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} invoices listed`);
    await page.reload();
    await section(page, 'Invoices')
      .getByText(/No invoices yet|Download PDF/)
      .first()
      .waitFor({ timeout: SLOW });
  }
  return (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' '));
}

/** Downloads an invoice's PDF (the newest by default) and returns its bytes. */
export async function downloadInvoice(page: Page, index = 0): Promise<Buffer> {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: SLOW }),
    section(page, 'Invoices')
      .getByRole('button', { name: /^Download PDF/ })
      .nth(index)
      .click(),
  ]);
  const path = await download.path();
  return readFile(path);
}

/** Cancels at the period end through the confirmation dialog; waits for "Cancels on …". */
export async function cancel(page: Page, reason?: { feedback?: string; comment?: string }): Promise<string> {
  await section(page, 'Your plan').getByRole('button', { name: 'Cancel subscription' }).click();
  const dialog = page.getByRole('dialog');
  if (reason?.feedback)
    await dialog.getByLabel('Why are you leaving?').selectOption({ label: reason.feedback });
  if (reason?.comment) await dialog.getByLabel('Anything we could do better?').fill(reason.comment);
  await dialog.getByRole('button', { name: 'Confirm cancellation' }).click();
  const line = section(page, 'Your plan').getByText(/^Cancels on /);
  await line.waitFor({ timeout: SLOW });
  return (await line.innerText()).trim();
}

/** Withdraws a pending cancellation through its confirmation dialog; waits until it is gone. */
export async function resume(page: Page): Promise<void> {
  await section(page, 'Your plan').getByRole('button', { name: 'Resume subscription' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm and resume' }).click();
  await section(page, 'Your plan')
    .getByRole('button', { name: 'Cancel subscription' })
    .waitFor({ timeout: SLOW });
}

/** Opens the Stripe Customer Portal from "Update card", then follows its "Return" link back. */
export async function visitCardUpdate(page: Page): Promise<void> {
  await section(page, 'Payment method').getByRole('button', { name: 'Update card' }).click();
  await page.getByRole('link', { name: 'Return' }).click({ timeout: SLOW });
  await page.getByRole('status').filter({ hasText: 'Welcome back' }).waitFor({ timeout: SLOW });
}
