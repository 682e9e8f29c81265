import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, skipBrowserTests } from '../support/browser.js';
import { type RecurProcess, startRecurServe } from '../support/serve.js';
import { seriousViolations } from './axe.js';
import {
  createPlanThroughApi,
  currentPlanText,
  expectCurrentPlan,
  section,
  subscribe,
} from './billing-steps.js';

// The billing page in an organisation's context, in Chromium against `recur serve`: an owner buys
// the organisation's plan through Checkout and switches between it and their own billing, a plain
// member is told who manages it, and the deployment's branding frames every state.
let recur: RecurProcess;
let browser: Browser;
let context: BrowserContext;

const SLOW = 90_000;
// A small square in the brand's colour, inline as the branding settings allow.
const LOGO = `data:image/svg+xml;base64,${Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" rx="8" fill="#ffd60a"/></svg>',
).toString('base64')}`;

async function send(method: 'PUT' | 'POST', path: string, body: unknown, key = recur.adminKey) {
  const res = await fetch(`${recur.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** The host app's own JWT for a user, as its "Billing" link would carry it. */
const tokenFor = (userId: string, name: string) =>
  new SignJWT({ name, email: `${userId}@example.com` })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setExpirationTime('30m')
    .sign(new TextEncoder().encode(recur.jwtSecret));

async function openAs(page: Page, userId: string, name: string, query = ''): Promise<void> {
  await page.goto(`${recur.url}/billing${query}#token=${await tokenFor(userId, name)}`);
}

/** WCAG contrast of an `rgb(r, g, b)` colour against the page's background, #f4f5f7. */
function contrastOnPage(rgb: string): number {
  const luminance = (channels: number[]) => {
    const [r, g, b] = channels.map((c) => {
      const s = c / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const text = luminance((rgb.match(/\d+/g) ?? []).map(Number));
  const page = luminance([0xf4, 0xf5, 0xf7]);
  return (page + 0.05) / (text + 0.05);
}

/** Switching context changes the address without loading a page: no navigation event to wait for. */
const addressBecomes = (page: Page, path: string) =>
  page.waitForFunction((wanted) => window.location.href === wanted, `${recur.url}${path}`, { timeout: SLOW });

const switcher = (page: Page) => page.getByLabel('Billing for');
const selectedContext = async (page: Page) =>
  (await switcher(page).locator('option:checked').innerText()).trim();

describe.skipIf(skipBrowserTests)('the billing page in an organisation’s context', () => {
  beforeAll(async () => {
    recur = await startRecurServe();
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    await send('PUT', '/api/admin/settings/branding', {
      product_name: 'Acme Cloud',
      logo_url: LOGO,
      accent_color: '#FFD60A',
      support_email: 'help@acme-cloud.example',
      support_url: 'https://acme-cloud.example/support',
    });
    await createPlanThroughApi(recur.url, recur.adminKey, {
      key: 'solo',
      name: 'Solo',
      prices: [{ currency: 'usd', unit_amount: 900, interval: 'month' }],
    });
    await createPlanThroughApi(recur.url, recur.adminKey, {
      key: 'team',
      name: 'Team',
      benefits: [{ key: 'projects', value: 50 }],
      prices: [{ currency: 'usd', unit_amount: 4900, interval: 'month' }],
    });
    await send('PUT', '/api/organizations/org_rockets', {
      name: 'Rocket Works',
      billing_email: 'billing@rocket-works.example',
    });
    await send('PUT', '/api/organizations/org_rockets/members/user_olive', { role: 'owner' });
    await send('PUT', '/api/organizations/org_rockets/members/user_mia', { role: 'member' });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await recur?.stop();
  });

  it('lets an owner buy and see the organisation’s plan, and switch back to their own', {
    timeout: 300_000,
  }, async () => {
    const page = await context.newPage();
    await openAs(page, 'user_olive', 'Olive Owner');
    await section(page, 'Your plan').waitFor({ timeout: SLOW });
    // The deployment's branding: product name and logo above, support contact below.
    await expect(page.getByRole('banner').innerText()).resolves.toContain('Acme Cloud');
    const footer = await page.getByRole('contentinfo').innerText();
    expect(footer).toContain('help@acme-cloud.example');
    expect(footer).toContain('Acme Cloud support');
    expect(await page.title()).toBe('Billing · Acme Cloud');
    // On the yellow accent the Subscribe buttons carry black text.
    const subscribeButton = section(page, 'Plans').getByRole('button', { name: 'Subscribe to Solo' });
    expect(await subscribeButton.evaluate((b) => getComputedStyle(b).color)).toBe('rgb(0, 0, 0)');
    expect(await selectedContext(page)).toBe('Personal');
    // Links take the accent darkened until they read on the page's grey (4.5:1).
    const linkColour = await page
      .getByRole('contentinfo')
      .getByRole('link', { name: 'help@acme-cloud.example' })
      .evaluate((a) => getComputedStyle(a).color);
    expect(contrastOnPage(linkColour)).toBeGreaterThanOrEqual(4.5);

    // Olive's own plan, bought in her personal context.
    await subscribe(page, 'Solo');
    expect(page.url()).toBe(`${recur.url}/billing`);

    // The organisation's context: the address names it and every call carries it.
    await switcher(page).selectOption({ label: 'Rocket Works' });
    await addressBecomes(page, '/billing?org=org_rockets');
    await page.getByText('You are managing the billing of Rocket Works.').waitFor();
    await section(page, 'Your plan').getByText('You have no subscription yet').waitFor({ timeout: SLOW });
    await section(page, 'Plans').getByRole('button', { name: 'Subscribe to Team' }).click();
    // Stripe's Checkout page carries the product name too.
    await page.getByText('Acme Cloud', { exact: true }).waitFor({ timeout: SLOW });
    await page.getByLabel('Visa •••• 4242 (succeeds)').check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    // Back from Stripe in the same context, the outcome read and dropped from the address.
    await page.waitForURL(/\/billing\?org=org_rockets/, { timeout: SLOW });
    await addressBecomes(page, '/billing?org=org_rockets');
    await expectCurrentPlan(page, 'Team');
    expect(await selectedContext(page)).toBe('Rocket Works');
    const orgPlan = await currentPlanText(page);
    expect(orgPlan).toContain('Team');
    expect(orgPlan).toContain('Price $49.00 per month');
    expect(orgPlan).toContain('Projects: 50');
    expect(orgPlan).not.toContain('Solo');
    await page.screenshot({ path: join(SCREENSHOTS, 'billing-org-owner.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    // Back to Personal: Olive's own plan, not the organisation's.
    await switcher(page).selectOption({ label: 'Personal' });
    await addressBecomes(page, '/billing');
    await expectCurrentPlan(page, 'Solo');
    const ownPlan = await currentPlanText(page);
    expect(ownPlan).toContain('Price $9.00 per month');
    expect(ownPlan).not.toContain('Team');
    expect(await page.getByText('You are managing the billing of').count()).toBe(0);

    // The browser's Back returns to the organisation's context.
    await page.goBack();
    await addressBecomes(page, '/billing?org=org_rockets');
    await expectCurrentPlan(page, 'Team');
    await page.close();
  });

  it('tells a plain member that only owners and billing admins manage the organisation’s billing', {
    timeout: 120_000,
  }, async () => {
    const page = await context.newPage();
    await openAs(page, 'user_mia', 'Mia Member', '?org=org_rockets');
    await page
      .getByRole('heading', { name: 'Only owners and billing admins manage billing' })
      .waitFor({ timeout: SLOW });
    await page
      .getByText('You are a member of Rocket Works, but only its owners and billing admins')
      .waitFor();
    expect(await section(page, 'Your plan').count()).toBe(0);
    expect(await page.getByText('Team').count()).toBe(0);
    // The branding frames the refusal too.
    await expect(page.getByRole('banner').innerText()).resolves.toContain('Acme Cloud');
    await expect(page.getByRole('contentinfo').innerText()).resolves.toContain('help@acme-cloud.example');
    await page.screenshot({ path: join(SCREENSHOTS, 'billing-org-member.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    // Her own billing is one switch away.
    await switcher(page).selectOption({ label: 'Personal' });
    await addressBecomes(page, '/billing');
    await section(page, 'Your plan').getByText('You have no subscription yet').waitFor({ timeout: SLOW });
    await page.close();
  });

  it('shows an organisation’s seats and what one more member costs, and buys an add-on beside the plan', {
    timeout: 300_000,
  }, async () => {
    await createPlanThroughApi(recur.url, recur.adminKey, {
      key: 'crew',
      name: 'Crew',
      per_seat: true,
      prices: [{ currency: 'usd', unit_amount: 1000, interval: 'month' }],
    });
    await send('PUT', '/api/organizations/org_crew', {
      name: 'Crew Co',
      billing_email: 'billing@crew.example',
      auto_add_seats: true,
    });
    for (const [user, role] of [
      ['user_cora', 'owner'],
      ['user_dev', 'member'],
      ['user_eve', 'member'],
    ])
      await send('PUT', `/api/organizations/org_crew/members/${user}`, { role });
    const page = await context.newPage();
    await openAs(page, 'user_cora', 'Cora Owner', '?org=org_crew');
    await section(page, 'Plans')
      .getByRole('button', { name: 'Subscribe to Crew' })
      .waitFor({ timeout: SLOW });
    await subscribe(page, 'Crew');
    const plan = await currentPlanText(page);
    // One seat for each of the three members.
    expect(plan).toContain('Seats 3');
    expect(plan).toContain('Price 3 seats × $10.00 per month');

    const seats = section(page, 'Seats');
    await seats.getByText('3 seats paid for this period.').waitFor({ timeout: SLOW });
    await seats.getByRole('button', { name: 'What does one more member cost?' }).click();
    await seats.getByRole('heading', { name: 'One more member' }).waitFor({ timeout: SLOW });
    const shown = (await seats.innerText()).replace(/\s+/g, ' ');
    // The page shows the server's own preview of four seats, in dollars.
    const preview = await send('POST', '/api/organizations/org_crew/seats/preview', { seats: 4 });
    expect(preview.amount_due_now).toBeGreaterThan(0);
    expect(shown).toContain('Seats in use 3 of 3 seats');
    expect(shown).toContain(`Due when they join $${(preview.amount_due_now / 100).toFixed(2)}`);
    expect(shown).toContain('Next renewal $40.00');
    await page.screenshot({ path: join(SCREENSHOTS, 'billing-org-seats.png'), fullPage: true });

    // A fourth member joins in the app: the page now counts four seats.
    await send('PUT', '/api/organizations/org_crew/members/user_fay', { role: 'member' });
    await page.reload();
    await section(page, 'Seats').getByText('4 seats paid for this period.').waitFor({ timeout: SLOW });
    expect(await currentPlanText(page)).toContain('Price 4 seats × $10.00 per month');

    // An add-on is bought beside the plan, not changed to, and adds what it gives.
    await createPlanThroughApi(recur.url, recur.adminKey, {
      key: 'crew_archive',
      name: 'Archive',
      kind: 'add_on',
      requires_plans: ['crew'],
      benefits: [{ key: 'archive_years', value: 7 }],
      prices: [{ currency: 'usd', unit_amount: 500, interval: 'month' }],
    });
    await page.reload();
    const plans = section(page, 'Plans');
    await plans.getByRole('button', { name: 'Add Archive' }).waitFor({ timeout: SLOW });
    expect(await plans.getByRole('button', { name: 'Change to Archive' }).count()).toBe(0);
    expect(await section(page, 'Change plan').getByRole('option', { name: 'Archive' }).count()).toBe(0);
    await plans.getByRole('button', { name: 'Add Archive' }).click();
    await page.getByLabel('Visa •••• 4242 (succeeds)').check({ timeout: SLOW });
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForURL(/\/billing\?org=org_crew/, { timeout: SLOW });
    await expectCurrentPlan(page, 'Archive');
    const withArchive = await currentPlanText(page);
    expect(withArchive).toContain('Price $5.00 per month');
    expect(withArchive).toContain('Archive years: 7');
    await section(page, 'Plans').getByText('Added to your plan').waitFor({ timeout: SLOW });
    await page.screenshot({ path: join(SCREENSHOTS, 'billing-org-add-on.png'), fullPage: true });
    await page.close();
  });
});
