// The console's Webhooks page driven in Chromium against `recur serve` on its embedded defaults: an
// endpoint pointing at a receiver on this machine is added, its secret read off the dialog, a test
// sent and followed until the page shows it delivered; then its attempts, a resend, a rotation,
// disabling and deleting. Every wait is on what the page shows.

import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, skipBrowserTests } from '../support/browser.js';
import { type RecurProcess, startRecurServe } from '../support/serve.js';
import { startReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { confirm, openPage, signIn, WAIT } from './admin-steps.js';
import { seriousViolations } from './axe.js';

/** The deliveries table's row of the newest delivery of `type`. */
const deliveryRow = (page: Page, type: string): Locator =>
  page.getByRole('table', { name: 'Deliveries' }).getByRole('row').filter({ hasText: type }).first();

/** The secret the open dialog shows, once. */
async function shownSecret(page: Page, title: string): Promise<string> {
  const dialog = page.getByRole('dialog', { name: title });
  const secret = dialog.getByText(/^whsec_/);
  await secret.waitFor(WAIT);
  return (await secret.textContent())!.trim();
}

describe.skipIf(skipBrowserTests)('webhooks to the app in the console', () => {
  let recur: RecurProcess;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let page: Page;
  let secret: string;

  beforeAll(async () => {
    receiver = await startReceiver(() => ({ status: 200, body: 'thanks' }));
    recur = await startRecurServe();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: recur.url });
    page = await context.newPage();
    expect(await signIn(page, recur.url, recur.adminKey)).toBeNull();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await recur?.stop();
    await receiver?.close();
  });

  it('adds an endpoint and shows its secret once, with a copy button', async () => {
    await openPage(page, 'Webhooks');
    await page.getByText('No endpoint yet').waitFor(WAIT);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const form = page.getByRole('dialog', { name: 'Add endpoint' });
    await form.getByLabel('URL').fill('ftp://127.0.0.1/nope');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(form.getByRole('alert').textContent(WAIT)).resolves.toMatch(/http/);
    await form.getByLabel('URL').fill(receiver.url);
    await form.getByLabel('Description').fill('Local receiver');
    // The form gives way to the dialog that shows the secret.
    await form.getByRole('button', { name: 'Add endpoint' }).click();

    secret = await shownSecret(page, 'Endpoint added');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    await page.getByRole('button', { name: 'Copy secret' }).click();
    await page.getByRole('dialog').getByRole('status').getByText('Copied').waitFor(WAIT);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Done' }).click();

    const row = page.getByRole('row').filter({ hasText: receiver.url });
    await row.getByText('All types').waitFor(WAIT);
    await row.getByText('enabled').waitFor(WAIT);
    expect(await page.content()).not.toContain(secret);
  }, 180_000);

  it('sends a test and shows it delivered with the answer’s status, signed with that secret', async () => {
    await page.getByRole('link', { name: receiver.url }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhook endpoint' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByText('Test message sent').waitFor(WAIT);

    const row = deliveryRow(page, 'ping');
    await row.getByText('succeeded').waitFor(WAIT);
    await row.getByRole('cell', { name: '200', exact: true }).waitFor(WAIT);
    expect(receiver.received).toHaveLength(1);
    const [delivered] = receiver.received;
    const event = new Webhook(secret).verify(delivered!.body, delivered!.headers as Record<string, string>);
    expect(event).toMatchObject({ type: 'ping', sequence: 1 });
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-webhooks-endpoint.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  }, 180_000);

  it('shows a delivery’s attempts and body, and resends it', async () => {
    await deliveryRow(page, 'ping')
      .getByRole('button', { name: /Details/ })
      .click();
    const details = page.getByRole('dialog');
    await details.getByRole('table', { name: 'Attempts' }).getByText('thanks').waitFor(WAIT);
    await details.getByRole('cell', { name: '200', exact: true }).waitFor(WAIT);
    await details.getByText('"type": "ping"').waitFor(WAIT);
    expect(await seriousViolations(page)).toEqual([]);
    await details.getByRole('button', { name: 'Close' }).click();
    await details.waitFor({ state: 'hidden', ...WAIT });

    await deliveryRow(page, 'ping')
      .getByRole('button', { name: /Resend/ })
      .click();
    await confirm(page, 'Resend');
    await deliveryRow(page, 'ping').getByRole('cell', { name: '2', exact: true }).waitFor(WAIT);
    await deliveryRow(page, 'ping').getByText('succeeded').waitFor(WAIT);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.headers['webhook-id']).toBe(receiver.received[0]!.headers['webhook-id']);

    await page.getByRole('button', { name: 'Resend failed since…' }).click();
    await confirm(page, 'Resend failed');
    await page.getByText('0 failed deliveries go out again.').waitFor(WAIT);
  }, 180_000);

  it('rotates the secret, disables and deletes the endpoint', async () => {
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = await shownSecret(page, 'Secret rotated');
    expect(rotated).not.toBe(secret);
    await page.getByRole('button', { name: 'Done' }).click();
    const overlap = page.locator('.summary div').filter({ hasText: 'Old secret signs until' });
    await overlap.getByText(/UTC$/).waitFor(WAIT);

    await page.getByRole('button', { name: 'Disable' }).click();
    await confirm(page, 'Disable');
    await page.getByText('disabled', { exact: true }).waitFor(WAIT);

    await page.getByRole('button', { name: 'Delete' }).click();
    await confirm(page, 'Delete endpoint');
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor(WAIT);
    await page.getByText('No endpoint yet').waitFor(WAIT);
  }, 180_000);
});
