// The admin console driven in Chromium against `recur serve` on its embedded defaults: sign-in,
// the plan catalog, the dashboard over real subscriptions, a dead-lettered event replayed (its alert
// opened and resolved on the Alerts page, a threshold changed there), a sync
// run, the auto-sync switch and the settings page. Screenshots go to test-results/ for review.

import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, skipBrowserTests } from '../support/browser.js';
import { type RecurProcess, startRecurServe } from '../support/serve.js';
import {
  archivePlan,
  cancelAtPeriodEnd,
  changePlan,
  discardEvent,
  editPrice,
  openPage,
  openSubscription,
  planCard,
  planPrices,
  readTile,
  refundFirstInvoice,
  replayEvent,
  resume,
  rowAction,
  rowActions,
  runSync,
  signIn,
  signOut,
  submitPlan,
  toggleAutoSync,
  WAIT,
} from './admin-steps.js';
import { seriousViolations } from './axe.js';

describe.skipIf(skipBrowserTests)('the admin console in a browser', () => {
  let recur: RecurProcess;
  let browser: Browser;
  let page: Page;
  let stripe: Stripe;

  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${recur.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${recur.adminKey}`, 'content-type': 'application/json' },
    });
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  const eventsOf = (objectId: string) =>
    api<{ data: Array<{ type: string; status: string }> }>(`/api/admin/events?object_id=${objectId}`);

  beforeAll(async () => {
    // One attempt per event: a handler failure dead-letters at once, as the operator's replay needs.
    // Alert rules evaluated every second, so the dead letter's incident shows while the test looks.
    recur = await startRecurServe({ RECUR_EVENT_MAX_ATTEMPTS: '1', RECUR_ALERT_INTERVAL: '1' });
    stripe = recur.stripe;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await recur?.stop();
  });

  it('signs in with the admin key only', async () => {
    expect(await signIn(page, recur.url, 'rk_not_the_key')).toMatch(/key/i);
    expect(await signIn(page, recur.url, recur.adminKey)).toBeNull();
    expect(await page.content()).not.toContain(recur.adminKey);
    await signOut(page);
    expect(await signIn(page, recur.url, recur.adminKey)).toBeNull();
  }, 180_000);

  it('creates, edits and archives plans, showing the API’s validation in words', async () => {
    await openPage(page, 'Plans');
    const refused = await submitPlan(page, {
      name: 'Pro',
      key: 'pro',
      currency: 'US',
      monthly: '29',
      yearly: '290',
    });
    expect(refused).toContain('three-letter ISO currency code');

    const created = await submitPlan(page, {
      name: 'Pro',
      key: 'pro',
      currency: 'usd',
      monthly: '29',
      yearly: '290',
      benefits: 'seats = 5\npriority_support = true',
    });
    expect(created).toBeNull();
    expect(await planPrices(page, 'Pro')).toEqual(['$29.00 / month', '$290.00 / year']);
    await expect.poll(() => planCard(page, 'Pro').getByText('seats: 5').count(), WAIT).toBe(1);

    await editPrice(page, 'Pro', '$29.00 / month', '35');
    await expect.poll(() => planPrices(page, 'Pro'), WAIT).toContain('$35.00 / month');

    expect(await submitPlan(page, { name: 'Legacy', key: 'legacy', monthly: '9' })).toBeNull();
    await archivePlan(page, 'Legacy');
    // A one-time plan (a credit pack) is charged once: its price says so.
    await api('/api/plans', {
      method: 'POST',
      body: JSON.stringify({
        key: 'pack',
        name: 'Pack',
        kind: 'one_time',
        benefits: [{ key: 'ai_credits', credits: 500 }],
        prices: [{ currency: 'usd', unit_amount: 1500 }],
      }),
    });
    await page.reload();
    await expect.poll(() => planPrices(page, 'Pack'), WAIT).toEqual(['$15.00 once']);
    expect(await seriousViolations(page)).toEqual([]);
  }, 180_000);

  it('opens the dashboard on the currency with the most MRR, every tile of that currency', async () => {
    const plan = await api<{ prices: Array<{ currency: string; stripe_price_id: string }> }>('/api/plans', {
      method: 'POST',
      body: JSON.stringify({
        key: 'team',
        name: 'Team',
        prices: [
          { currency: 'usd', unit_amount: 5000, interval: 'month' },
          { currency: 'eur', unit_amount: 2000, interval: 'month' },
        ],
      }),
    });
    const priceIn = (currency: string) => plan.prices.find((p) => p.currency === currency)!.stripe_price_id;
    // One euro subscriber beside three in dollars: the euro sorts first, the dollar earns the most.
    for (const [name, currency] of [
      ['ada', 'usd'],
      ['grace', 'usd'],
      ['linus', 'usd'],
      ['jean', 'eur'],
    ] as const) {
      const customer = await stripe.customers.create({
        email: `${name}@example.com`,
        payment_method: 'pm_card_visa',
        invoice_settings: { default_payment_method: 'pm_card_visa' },
      });
      await stripe.subscriptions.create({ customer: customer.id, items: [{ price: priceIn(currency) }] });
    }
    await expect
      .poll(
        async () => (await api<{ total_active: number }>('/api/reports/subscriptions')).total_active,
        WAIT,
      )
      .toBe(4);
    type Mrr = { current: Array<{ currency: string; mrr: number }> };
    await expect
      .poll(async () => JSON.stringify((await api<Mrr>('/api/reports/mrr')).current), WAIT)
      .toMatch(/(?=.*"currency":"eur","mrr":2000)(?=.*"currency":"usd","mrr":15000)/);

    await openPage(page, 'Dashboard');
    await expect.poll(() => readTile(page, 'MRR'), WAIT).toBe('$150.00');
    await expect.poll(() => readTile(page, 'Active customers'), WAIT).toBe('3');
    await page.getByLabel('Currency').selectOption('eur');
    await expect.poll(() => readTile(page, 'MRR'), WAIT).toBe('€20.00');
    await expect.poll(() => readTile(page, 'Active customers'), WAIT).toBe('1');
    await page.getByLabel('Currency').selectOption('usd');
    await expect.poll(() => readTile(page, 'MRR'), WAIT).toBe('$150.00');
    await page.getByRole('application', { name: 'MRR', exact: true }).waitFor(WAIT);
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-dashboard.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  }, 180_000);

  it('lists subscriptions newest first with each customer’s name and email, linked, and finds customers by part of an email or name', async () => {
    const plan = await api<{ id: string; prices: Array<{ stripe_price_id: string }> }>('/api/plans', {
      method: 'POST',
      body: JSON.stringify({
        key: 'studio',
        name: 'Studio',
        prices: [{ currency: 'usd', unit_amount: 1200, interval: 'month' }],
      }),
    });
    // Each on a test clock of its own a day apart, so their creation times (and the order) differ.
    const people = [
      ['Nora Quist', 'nora.quist@northwind.example'],
      ['Omar Reyes', 'omar@southwind.example'],
      ['Pia Santos', 'pia.santos@northwind.example'],
    ] as const;
    const now = Math.floor(Date.now() / 1000);
    for (const [i, [name, email]] of people.entries()) {
      const clock = await stripe.testHelpers.testClocks.create({ frozen_time: now - (3 - i) * 86_400 });
      const customer = await stripe.customers.create({
        name,
        email,
        payment_method: 'pm_card_visa',
        invoice_settings: { default_payment_method: 'pm_card_visa' },
        test_clock: clock.id,
      });
      await stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: plan.prices[0]!.stripe_price_id }],
      });
    }
    await expect
      .poll(
        async () => (await api<{ data: unknown[] }>(`/api/subscriptions?plan_id=${plan.id}`)).data.length,
        WAIT,
      )
      .toBe(3);

    await openPage(page, 'Subscriptions');
    await page.getByLabel('Plan').selectOption({ label: 'Studio' });
    const customerCells = page.locator('tbody tr td:nth-child(2)');
    await expect.poll(() => customerCells.count(), WAIT).toBe(3);
    expect(await customerCells.allInnerTexts()).toEqual([
      'Pia Santos\npia.santos@northwind.example',
      'Omar Reyes\nomar@southwind.example',
      'Nora Quist\nnora.quist@northwind.example',
    ]);
    // The customer's name links to the customer's own page; the customers list finds them by that id.
    const href = await customerCells.first().getByRole('link', { name: 'Pia Santos' }).getAttribute('href');
    expect(href).toMatch(/^\/admin\/customers\/cus_\w+$/);
    await openPage(page, 'Customers');
    const search = page.getByLabel('Email, name or id');
    await search.fill(href!.split('/').at(-1)!);
    await expect
      .poll(() => page.locator('tbody tr td:nth-child(2)').allInnerTexts(), WAIT)
      .toEqual(['pia.santos@northwind.example']);

    const emailsShown = () => page.locator('tbody tr td:nth-child(2)').allInnerTexts();
    for (const [term, expected] of [
      ['northwind', ['pia.santos@northwind.example', 'nora.quist@northwind.example']],
      ['omar@', ['omar@southwind.example']],
      ['quist', ['nora.quist@northwind.example']],
    ] as const) {
      await search.fill(term);
      await expect.poll(emailsShown, WAIT).toEqual(expected);
    }
  }, 180_000);

  it('erases a customer’s personal data after a confirmation, and refuses one who still subscribes', async () => {
    const quinn = await stripe.customers.create({ name: 'Quinn Vale', email: 'quinn.vale@eastwind.example' });
    await expect
      .poll(async () => (await api<{ data: unknown[] }>(`/api/customers?q=${quinn.id}`)).data.length, WAIT)
      .toBe(1);
    await openPage(page, 'Customers');
    const search = page.getByLabel('Email, name or id');
    const row = () => page.locator('tbody tr').first();

    await search.fill('nora.quist');
    await expect
      .poll(() => row().locator('td').first().innerText(), WAIT)
      .toBe('nora.quist@northwind.example');
    await rowAction(row(), 'Erase personal data');
    const dialog = page.getByRole('dialog', {
      name: 'Erase the personal data of nora.quist@northwind.example?',
    });
    await dialog.getByRole('button', { name: 'Erase personal data' }).click();
    await dialog.getByText('cancel them before erasing').waitFor(WAIT);
    await dialog.getByRole('button', { name: 'Close' }).click();

    await search.fill(quinn.id);
    await expect
      .poll(() => row().locator('td').first().innerText(), WAIT)
      .toBe('quinn.vale@eastwind.example');
    await rowAction(row(), 'Erase personal data');
    await page
      .getByRole('dialog', { name: 'Erase the personal data of quinn.vale@eastwind.example?' })
      .getByRole('button', { name: 'Erase personal data' })
      .click();
    await expect
      .poll(
        async () => [await row().locator('th').innerText(), ...(await row().locator('td').allInnerTexts())],
        WAIT,
      )
      .toEqual([`${quinn.id} (erased)`, '—', '—', '—', '—', expect.any(String), '⋯']);
    expect(await rowActions(row())).toEqual(['Open customer', 'Subscriptions', 'Invoices']);
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-customer-erased.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  }, 180_000);

  it('changes, cancels, resumes and refunds a subscription, each after a confirmation', async () => {
    const { data } = await api<{ data: Array<{ id: string; currency: string }> }>(
      '/api/subscriptions?limit=100',
    );
    const id = data.find((s) => s.currency === 'usd')!.id;
    await openSubscription(page, id);
    const preview = await changePlan(page, 'Pro: $35.00 / month');
    expect(preview).toMatch(/Downgrade, effective at the period end/);
    await page.getByText('Scheduled change').waitFor(WAIT);

    await cancelAtPeriodEnd(page);
    await resume(page);
    await page.getByRole('heading', { name: 'Event timeline' }).waitFor(WAIT);
    await expect.poll(() => page.locator('.timeline li').count(), WAIT).toBeGreaterThan(0);

    await refundFirstInvoice(page, '10.00');
    const refunds = await api<{ data: Array<{ amount: number }> }>('/api/refunds');
    expect(refunds.data.map((r) => r.amount)).toContain(1000);
  }, 180_000);

  it('replays a dead-lettered event and shows it processed, with its alert opened and resolved', async () => {
    const product = await stripe.products.create({ name: 'Made in the Dashboard' });
    await expect.poll(async () => (await eventsOf(product.id)).data[0]?.status, WAIT).toBe('processed');
    // Stripe refuses the worker's one read of a new price, so that event dies on its only attempt.
    const deadPrice = async (unitAmount: number) => {
      await recur.failNextStripeRequest('GET', '/v1/prices/', 'Injected read failure');
      const created = await stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: unitAmount,
        recurring: { interval: 'month' },
      });
      await expect.poll(async () => (await eventsOf(created.id)).data[0]?.status, WAIT).toBe('dead');
      return created;
    };
    const price = await deadPrice(1500);

    await openPage(page, 'Alerts');
    const open = page.getByRole('table', { name: 'Open incidents' });
    const incident = open
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Dead-lettered events' }) });
    await incident.getByText('1 event is dead-lettered in the inbox').waitFor(WAIT);
    // No SMTP and no chat webhook in this set-up: the page says the alert went nowhere.
    expect(await incident.textContent()).toContain('not sent (no channel)');
    await page.getByText('No channel is configured').waitFor(WAIT);
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-alerts-open.png'), fullPage: true });

    expect(await replayEvent(page, price.id, 'price.created')).toBe('processed');
    await openPage(page, 'Alerts');
    const resolved = page.getByRole('table', { name: 'Recently resolved incidents' });
    await resolved.getByRole('rowheader', { name: 'Dead-lettered events' }).waitFor(WAIT);
    await page.getByText('No open incidents.').waitFor(WAIT);
    expect(await seriousViolations(page)).toEqual([]);

    // Another dead letter, set aside this time.
    const second = await deadPrice(2500);
    expect(await discardEvent(page, second.id, 'price.created')).toBe('discarded');

    // A threshold changed on the page is what the API, and so the next evaluation, reads.
    await openPage(page, 'Alerts');
    const rule = page.getByRole('form', { name: 'Dead-lettered events' });
    await rule.getByLabel('Dead events').fill('3');
    await rule.getByRole('button', { name: 'Save' }).click();
    await rule.getByRole('status').getByText('Saved.').waitFor(WAIT);
    const rules = await api<{ dead_letters: { enabled: boolean; min_count: number } }>(
      '/api/admin/alerts/rules',
    );
    expect(rules.dead_letters).toEqual({ enabled: true, min_count: 3 });
  }, 180_000);

  it('runs a sync with live progress and switches auto sync', async () => {
    const progress = await runSync(page);
    expect(progress).not.toContain('[object');
    // Everything was already mirrored by webhooks: a full run finds it all unchanged.
    // (However many customers the earlier tests made: each seen once and left unchanged.)
    expect(progress).toMatch(/customers ([1-9]\d*) seen: 0 new, 0 updated, \1 unchanged/);
    const recent = page.getByRole('table', { name: 'Recent sync runs' });
    await recent.getByText(/customers ([1-9]\d*) seen: 0 new, 0 updated, \1 unchanged/).waitFor(WAIT);
    expect(await recent.textContent()).not.toContain('[object');
    const before = (await api<{ auto_sync_enabled: boolean }>('/api/admin/settings')).auto_sync_enabled;
    expect(await toggleAutoSync(page)).toBe(before ? 'off' : 'on');
    expect((await api<{ auto_sync_enabled: boolean }>('/api/admin/settings')).auto_sync_enabled).toBe(
      !before,
    );
  }, 180_000);

  it('shows the Stripe connection without any secret', async () => {
    await openPage(page, 'Settings');
    await page.getByText('none: the built-in emulator is used').waitFor(WAIT);
    await page.getByText('Webhook signing secret').waitFor(WAIT);
    const text = await page.locator('main').textContent();
    expect(text).toContain('test');
    expect(text).not.toContain(recur.adminKey);
    expect(text).not.toMatch(/sk_test_[A-Za-z0-9]{8,}/);
  }, 180_000);

  it('fits the events table in its box at 1280 px, its action menus and all, with short labels', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await openPage(page, 'Events');
    await page
      .getByRole('button', { name: /^Actions for / })
      .first()
      .waitFor(WAIT);
    const layout = await page.evaluate(() => {
      const wrap = document.querySelector('.table-wrap')!;
      const box = wrap.getBoundingClientRect();
      const buttons = [...wrap.querySelectorAll('button')];
      // A word broken across lines ("Repla / y", "process / ed") shows as a text on several lines.
      // Each one-word label is read from its visible text (a button's first text, not the part
      // kept for screen readers).
      const visible = (e: Element) => [...e.childNodes].find((n) => n.nodeType === Node.TEXT_NODE);
      const onLines = (n: Node) => {
        const range = document.createRange();
        range.selectNodeContents(n);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      };
      const words = [...wrap.querySelectorAll('.badge, thead th, button')]
        .map(visible)
        .filter((n): n is ChildNode => !!n && !/\s/.test(n.textContent?.trim() ?? ''));
      return {
        brokenWords: words.filter((n) => onLines(n) > 1).map((n) => n.textContent?.trim()),
        overflow: wrap.scrollWidth - wrap.clientWidth,
        outside: buttons.filter((b) => b.getBoundingClientRect().right > box.right).length,
        // What a sighted user reads: the text outside the screen-reader-only part.
        labels: [
          ...new Set(
            buttons
              .filter((b) => !b.classList.contains('sort'))
              .map((b) =>
                [...b.childNodes]
                  .filter((n) => !(n instanceof HTMLElement && n.classList.contains('visually-hidden')))
                  .map((n) => n.textContent)
                  .join('')
                  .trim(),
              ),
          ),
        ],
      };
    });
    // Each row's actions sit behind one menu button; Discard shows beside Replay on a dead letter.
    expect(layout).toEqual({ brokenWords: [], overflow: 0, outside: 0, labels: ['⋯'] });
    const actions = await rowActions(page.locator('tbody tr').first());
    expect(actions).toContain('Replay');
    expect(['Replay', 'Discard']).toEqual(expect.arrayContaining(actions));
  }, 180_000);

  it('fits a 375 px wide screen without sideways scrolling, long ids and tables included', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const name of [
      'Dashboard',
      'Plans',
      'Subscriptions',
      'Customers',
      'Invoices',
      'Refunds',
      'Events',
    ]) {
      await openPage(page, name);
      await page.locator('main').getByText(/\w/).first().waitFor(WAIT);
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((e) => !e.closest('.visually-hidden') && e.getBoundingClientRect().right > 376)
          .slice(0, 5)
          .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
      );
      expect(wide, name).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(375);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-events-375.png'), fullPage: true });
  }, 180_000);
});
