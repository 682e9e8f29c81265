import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, skipBrowserTests } from '../support/browser.js';
import { type RecurProcess, startRecurServe } from '../support/serve.js';
import { eventually } from '../support/wait.js';
import {
  createBillingLink,
  createPlanThroughApi,
  openBillingLink,
  section,
  subscribe,
} from './billing-steps.js';

// Credits on the billing page: a plan that grants credits each period shows its balance, usage
// beyond it shows as owed, and "Buy more" buys a credit pack through Checkout in payment mode,
// after which the page shows the balance the pack raised, net of what it paid.
let recur: RecurProcess;
let browser: Browser;

const SLOW = 90_000;

/** Usage the app's backend tracks for the page's user. */
async function track(feature: string, value: number, idempotencyKey: string) {
  const res = await fetch(`${recur.url}/api/usage`, {
    method: 'POST',
    headers: { authorization: `Bearer ${recur.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: 'user_credits', feature, value, idempotency_key: idempotencyKey }),
  });
  expect(res.status, await res.text()).toBeLessThan(300);
}

describe.skipIf(skipBrowserTests)('credits on the billing page', () => {
  let context: BrowserContext;

  beforeAll(async () => {
    recur = await startRecurServe();
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await recur?.stop();
  });

  it('shows a plan’s credits, buys a pack with "Buy more", and shows the new balance', {
    timeout: 240_000,
  }, async () => {
    const createPlan = (body: Record<string, unknown>) =>
      createPlanThroughApi(recur.url, recur.adminKey, body);
    await createPlan({
      key: 'ai_starter',
      name: 'AI Starter',
      benefits: [
        { key: 'ai_credits', credits: 100 },
        { key: 'api_calls', limit: 1000, reset: 'month' },
      ],
      prices: [{ currency: 'usd', unit_amount: 900, interval: 'month' }],
    });
    await createPlan({
      key: 'ai_pack',
      name: 'AI pack',
      kind: 'one_time',
      benefits: [{ key: 'ai_credits', credits: 500, rollover: true }],
      prices: [{ currency: 'usd', unit_amount: 1500 }],
    });
    const link = await createBillingLink(recur.url, recur.adminKey, {
      user_id: 'user_credits',
      email: 'credits@example.com',
      name: 'Cora Credits',
    });
    const page = await context.newPage();
    await openBillingLink(page, link.url);

    // The pack is on offer as a one-time purchase, not as a plan to subscribe to.
    const pricing = section(page, 'Plans');
    await pricing.getByRole('heading', { name: 'One-time purchases' }).waitFor();
    expect(await pricing.getByRole('button', { name: 'Subscribe to AI pack' }).count()).toBe(0);
    expect(await pricing.getByText('$15.00 once').count()).toBe(1);
    // Each plan's card says what its usage benefits are: a limit with its period, credits granted.
    expect(await pricing.locator('li.plan li').allInnerTexts()).toEqual([
      'Ai credits: 100 credits each period',
      'Api calls: 1,000 a month',
      'Ai credits: 500 credits',
    ]);

    await subscribe(page, 'AI Starter');
    const credits = section(page, 'Usage and credits');
    await credits.getByText('100 credits left').waitFor({ timeout: SLOW });
    expect(await section(page, 'Your plan').locator('ul.benefits li').allInnerTexts()).toEqual([
      'Ai credits: 100 credits',
      'Api calls: 1,000 a month',
    ]);

    // 250 calls tracked by the app's backend: the bar shows them against the limit.
    await track('api_calls', 250, 'batch_1');
    await page.reload();
    await section(page, 'Usage and credits')
      .getByText(/^250 of 1,000 used, resets /)
      .waitFor({ timeout: SLOW });
    expect(
      await section(page, 'Usage and credits')
        .getByRole('progressbar', { name: 'Api calls used of the limit' })
        .getAttribute('value'),
    ).toBe('250');

    // 130 AI credits used with 100 held: the 30 beyond are owed, and the pack pays them first.
    await track('ai_credits', 130, 'job_1');
    await page.reload();
    await section(page, 'Usage and credits')
      .getByText('30 credits owed: your next credits pay them first')
      .waitFor({ timeout: SLOW });

    await credits.getByRole('button', { name: /^Buy more Ai credits/ }).click();
    await page.getByLabel('Visa •••• 4242 (succeeds)').check({ timeout: SLOW });
    await page.getByRole('button', { name: 'Pay $15.00' }).click();
    await page.waitForURL(/\/billing(\?|$)/, { timeout: SLOW });
    await page.getByText('Your purchase is confirmed.').waitFor({ timeout: SLOW });
    await section(page, 'Usage and credits').getByText('470 credits left').waitFor({ timeout: SLOW });

    // $5.00 of account credit from support: Stripe keeps it on the customer's balance, and the page
    // says what the next invoice will take, once the customer's event has reached the mirror.
    const granted = await fetch(`${recur.url}/api/admin/account-credit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${recur.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'user_credits', amount: 500, currency: 'usd', reason: 'Outage' }),
    });
    expect(granted.status, await granted.text()).toBe(201);
    await eventually(async () => {
      const read = await fetch(`${recur.url}/api/admin/credits?user_id=user_credits`, {
        headers: { authorization: `Bearer ${recur.adminKey}` },
      });
      expect((await read.json()).account_credit).toEqual({ amount: 500, currency: 'usd' });
    }, SLOW);
    await page.reload();
    await section(page, 'Usage and credits')
      .getByText('$5.00 account credit: taken off your next invoices')
      .waitFor({ timeout: SLOW });
    await page.close();
  });
});
