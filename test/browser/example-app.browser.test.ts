// The example host app's story in Chromium, against `recur serve` on embedded defaults: the operator
// sets Recur up as the README says (a service key, a webhook endpoint for the app, the catalog);
// a person signs up in the app, subscribes from its pricing table through the emulator's hosted
// Checkout, and its reports API opens once Recur's `entitlements.updated` reaches the app; they
// cancel in the Customer Portal, keep access until the period ends, and lose it when the test clock
// passes that end. The app's entitlement cache trusts an answer for an hour here, so only Recur's
// webhooks can move it within the test.

import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { launchChromium, SCREENSHOTS, skipBrowserTests } from '../support/browser.js';
import {
  buildExampleApp,
  createServiceKey,
  createWebhookEndpoint,
  type ExampleAppProcess,
  startExampleApp,
} from '../support/example-app.js';
import { freePort, type RecurProcess, startRecurServe } from '../support/serve.js';
import { advanceClock } from '../support/subscriptions.js';
import { seriousViolations } from './axe.js';
import { createPlanThroughApi } from './billing-steps.js';

/** Webhooks travel emulator → Recur's worker → outbox → dispatcher → the app on a busy machine. */
const SLOW = { timeout: 90_000 };

describe.skipIf(skipBrowserTests)('the example host app, billed through Recur with @recur/sdk', () => {
  let recur: RecurProcess;
  let app: ExampleAppProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let endpointId: string;

  const admin = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${recur.url}${path}`, {
      headers: { authorization: `Bearer ${recur.adminKey}` },
    });
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  /** The deliveries Recur made to the app's endpoint, by status. */
  const deliveries = async (status?: 'pending' | 'succeeded' | 'failed') =>
    (
      await admin<{ data: Array<{ type: string; status: string; last_status_code: number | null }> }>(
        `/api/admin/webhook-endpoints/${endpointId}/deliveries?limit=100${status ? `&status=${status}` : ''}`,
      )
    ).data;
  /** What the app's gated route answers the signed-in person (the browser's cookies go along). */
  const reportsStatus = async () => (await context.request.get(`${app.url}/api/reports`)).status();
  const access = () => page.getByRole('region', { name: 'Reports API' }).getByRole('status');
  const yourPlan = () => page.getByRole('region', { name: 'Your plan' });

  beforeAll(async () => {
    const appUrl = `http://127.0.0.1:${await freePort()}`;
    // Checkout and the portal send people back to the app: its origin is RECUR_APP_URL.
    recur = await startRecurServe({ RECUR_APP_URL: appUrl });
    const plan = (
      key: string,
      name: string,
      monthly: number,
      benefits: Array<{ key: string; value: unknown }>,
    ) =>
      createPlanThroughApi(recur.url, recur.adminKey, {
        key,
        name,
        benefits,
        prices: [{ currency: 'usd', unit_amount: monthly, interval: 'month' }],
      });
    const [serviceKey, endpoint] = await Promise.all([
      createServiceKey(recur, 'Acme Reports'),
      createWebhookEndpoint(recur, {
        url: `${appUrl}/webhooks/recur`,
        description: 'Acme Reports',
        event_types: ['entitlements.updated'],
      }),
      plan('basic', 'Basic', 900, [{ key: 'projects', value: 3 }]),
      plan('pro', 'Pro', 2900, [
        { key: 'projects', value: 20 },
        { key: 'api_access', value: true },
      ]),
      buildExampleApp(),
    ]);
    endpointId = endpoint.id;
    app = await startExampleApp({
      PORT: new URL(appUrl).port,
      RECUR_URL: recur.url,
      RECUR_API_KEY: serviceKey,
      RECUR_WEBHOOK_SECRET: endpoint.secret,
      ENTITLEMENT_TTL_SECONDS: '3600',
    });
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await recur?.stop();
  });

  it('signs up, subscribes, gets the reports API, cancels in the portal and loses it at the period end', async () => {
    // What each side saw, for a failure's message: the deliveries and both processes' output.
    onTestFailed(async () => {
      console.error(
        `deliveries: ${JSON.stringify(await deliveries().catch(String))}\n` +
          `example app:\n${app.output()}\nrecur serve:\n${recur.output().slice(-20_000)}`,
      );
    });
    // Sign-up: a name, and the app's own user id in a cookie.
    await page.goto(app.url);
    await page.getByLabel('Your name').fill('Ann Example');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText('Signed in as Ann Example').waitFor();
    const { user } = (await (await context.request.get(`${app.url}/api/session`)).json()) as {
      user: { id: string };
    };

    // The pricing table shows the catalog; the reports API is closed.
    const plans = page.getByRole('region', { name: 'Plans' });
    await plans.getByText('$29.00').waitFor(SLOW);
    const plansText = await plans.innerText();
    for (const shown of ['Basic', '$9.00', 'Pro', '$29.00']) expect(plansText).toContain(shown);
    await access().filter({ hasText: 'Access: not included' }).waitFor(SLOW);
    expect(await reportsStatus()).toBe(402);

    // The operator puts this user's Stripe customer on a test clock before the first Checkout (a
    // clock can only be attached when a customer is made), so that the period end can be reached.
    const clock = await putOnTestClock(user.id, 'Ann Example');

    // Checkout on the emulator's hosted page, then back to the app.
    await plans.getByRole('button', { name: 'Subscribe to Pro' }).click();
    await page.getByLabel('Email').fill('ann@example.com', SLOW);
    await page.getByLabel('Visa •••• 4242 (succeeds)').check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForURL(`${app.url}/**`, SLOW);
    await access().filter({ hasText: 'Access: granted' }).waitFor(SLOW);
    expect(await reportsStatus()).toBe(200);
    // The app took Recur's signed delivery (a refused signature would be a 400, and retried).
    await expect
      .poll(async () => (await deliveries('succeeded')).map((delivery) => delivery.type), SLOW)
      .toContain('entitlements.updated');
    await yourPlan().getByText('Pro (active)').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'example-app-subscribed.png'), fullPage: true });

    // The Customer Portal: cancel at the end of the period, and return.
    await page.getByRole('button', { name: 'Manage billing' }).click();
    await page.getByRole('button', { name: 'Cancel plan' }).click(SLOW);
    await page
      .getByRole('status')
      .filter({ hasText: 'Your plan will be canceled at the end of the billing period.' })
      .waitFor();
    await page.getByRole('link', { name: 'Return' }).click();
    await page.waitForURL(`${app.url}/**`, SLOW);

    // Whatever Recur announces about the cancellation is in its outbox by the time its mirror holds
    // it (one transaction); once nothing is left to deliver, the app has heard all of it.
    const subscription = await cancellationRecorded(user.id);
    await expect.poll(async () => (await deliveries('pending')).length, SLOW).toBe(0);
    await page.reload();
    await access().filter({ hasText: 'Access: granted' }).waitFor();
    expect(await reportsStatus()).toBe(200);
    const until = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(
      subscription.periodEnd * 1000,
    );
    await yourPlan().getByText(`Pro (active) · access until ${until}`).waitFor();

    // The test clock passes the period end: Stripe ends the subscription, Recur tells the app.
    await advanceClock(recur.stripe, clock, subscription.periodEnd + 3_600);
    await access().filter({ hasText: 'Access: not included' }).waitFor(SLOW);
    expect(await reportsStatus()).toBe(402);
    await yourPlan().getByText('No plan yet').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'example-app-ended.png'), fullPage: true });
    expect(await deliveries('failed')).toEqual([]);
  }, 300_000);

  /**
   * A Stripe customer for the user on a test clock, once Recur's mirror links it. The clock starts
   * a few seconds in the past, so every event on it is dated before the app's cache read the
   * user's empty set: the SDK must order a message after that read by its sequence, not its date.
   */
  async function putOnTestClock(userId: string, name: string): Promise<string> {
    const stripe: Stripe = recur.stripe;
    const clock = await stripe.testHelpers.testClocks.create({
      frozen_time: Math.floor(Date.now() / 1000) - 5,
    });
    await stripe.customers.create({ name, metadata: { recur_user_id: userId }, test_clock: clock.id });
    await expect
      .poll(
        async () =>
          (await admin<{ data: unknown[] }>(`/api/customers?external_id=${encodeURIComponent(userId)}`)).data
            .length,
        SLOW,
      )
      .toBe(1);
    return clock.id;
  }

  /** Waits until Recur's mirror holds the pending cancellation; returns the period's end (unix s). */
  async function cancellationRecorded(userId: string): Promise<{ id: string; periodEnd: number }> {
    let found: { id: string; current_period_end: string; cancel_at_period_end: boolean } | undefined;
    await expect
      .poll(async () => {
        const customers = await admin<{ data: Array<{ id: string }> }>(
          `/api/customers?external_id=${encodeURIComponent(userId)}`,
        );
        const subscriptions = await admin<{
          data: Array<{ id: string; current_period_end: string; cancel_at_period_end: boolean }>;
        }>(`/api/subscriptions?customer_id=${customers.data[0]!.id}`);
        found = subscriptions.data[0];
        return found?.cancel_at_period_end;
      }, SLOW)
      .toBe(true);
    return { id: found!.id, periodEnd: Math.floor(new Date(found!.current_period_end).getTime() / 1000) };
  }
});
