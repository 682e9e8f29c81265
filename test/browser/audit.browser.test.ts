// The audit trail's console page in Chromium against `recur serve`: the writes an admin made through
// the API appear newest first with who made them and what changed, and the filters narrow them.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, skipBrowserTests } from '../support/browser.js';
import { type RecurProcess, startRecurServe } from '../support/serve.js';
import { openPage, signIn, WAIT } from './admin-steps.js';
import { seriousViolations } from './axe.js';

/** The audit table's rows as a person reads them: one array of cell texts per row. */
async function auditRows(page: Page): Promise<string[][]> {
  const table = page.getByRole('table', { name: 'Audit trail' });
  await table.waitFor(WAIT);
  return table
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => Array.from((row as HTMLTableRowElement).cells, (cell) => cell.innerText.trim())),
    );
}

describe.skipIf(skipBrowserTests)('the audit trail page', () => {
  let recur: RecurProcess;
  let browser: Browser;
  let page: Page;

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${recur.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${recur.adminKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    recur = await startRecurServe();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await recur?.stop();
  });

  it('shows each write with its actor and changes, newest first, and filters by action', async () => {
    const keys = await api<{ data: Array<{ id: string; name: string }> }>('GET', '/api/admin/api-keys');
    const adminKeyId = keys.data.find((k) => k.name === 'RECUR_ADMIN_API_KEY')!.id;
    await api('PUT', '/api/admin/settings', { cache_enabled: false });
    const made = await api<{ api_key: { id: string } }>('POST', '/api/admin/api-keys', {
      name: 'ci deploys',
      role: 'service',
    });

    expect(await signIn(page, recur.url, recur.adminKey)).toBeNull();
    await openPage(page, 'Audit trail');
    const rows = await auditRows(page);
    const [newest, settings] = rows;
    expect(newest![1]).toBe(`admin ${adminKeyId}`);
    expect(newest![2]).toBe('api_key.create');
    expect(newest![3]).toBe(`api_key ${made.api_key.id}`);
    expect(newest![4]).toContain('name: ci deploys');
    expect(newest![4]).toContain('role: service');
    expect(newest![5]).toBe('succeeded');
    expect(settings![2]).toBe('settings.update');
    expect(settings![4]).toBe('cache_enabled: true → false');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Action').fill('settings.update');
    await expect
      .poll(async () => (await auditRows(page)).map((row) => row[2]), WAIT)
      .toEqual(['settings.update']);
    await page.getByLabel('Action').fill('no.such.action');
    await page.getByText('No audit rows match.').waitFor(WAIT);
  }, 180_000);
});
