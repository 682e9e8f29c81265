// The price migration browser test's seed and steps: twenty subscribers on Pro at $29 on test
// clocks renewing on two days, what Recur's API and the emulator hold, and the console pages a
// person reads (the price migrations page, its progress, the dashboard's MRR).

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type Stripe from 'stripe';
import { expect } from 'vitest';
import type { RecurProcess } from '../support/serve.js';
import { eventually } from '../support/wait.js';
import { openPage, readTile, signIn, WAIT } from './admin-steps.js';

export const SUBSCRIBERS = 20;
/** Stripe lets a test clock hold at most three customers. */
const CUSTOMERS_PER_CLOCK = 3;
/** The first three clocks (nine subscribers) renew a day before the other four (eleven). */
const FIRST_DAY_CLOCKS = 3;
const DAY = 86_400;

export const OLD = 'Pro — $29.00 / month (archived)';
export const NEW = 'Pro — $35.00 / month';

export async function api(recur: RecurProcess, method: string, path: string, body?: unknown) {
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

/** Subscribers whose test clocks share a start, so they renew together. */
export interface RenewalDay {
  clocks: string[];
  subscriptions: Stripe.Subscription[];
  /** When their first period ends (unix seconds). */
  renewsAt: number;
}

export interface Seeded {
  oldPrice: string;
  newPrice: string;
  /** Customer i+1's subscription at index i. */
  subscriptions: Stripe.Subscription[];
  days: [RenewalDay, RenewalDay];
}

/**
 * Pro at $29 with twenty subscribers, three to a test clock, the first three clocks started now
 * and the others a day later; then Pro's price changed to $35 (the $29 one archived).
 */
export async function seed(recur: RecurProcess): Promise<Seeded> {
  const created = await api(recur, 'POST', '/api/plans', {
    key: 'pro',
    name: 'Pro',
    prices: [{ currency: 'usd', unit_amount: 2900, interval: 'month' }],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const plan = created.body as unknown as Catalog;
  const oldPrice = plan.prices[0]!.stripe_price_id;
  const start = Math.floor(Date.now() / 1000);
  const days: Seeded['days'] = [
    { clocks: [], subscriptions: [], renewsAt: 0 },
    { clocks: [], subscriptions: [], renewsAt: 0 },
  ];
  const subscriptions: Stripe.Subscription[] = [];
  let clock = '';
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const n = Math.floor(i / CUSTOMERS_PER_CLOCK);
    const day = days[n < FIRST_DAY_CLOCKS ? 0 : 1];
    if (i % CUSTOMERS_PER_CLOCK === 0) {
      const frozen = start + (day === days[0] ? 0 : DAY);
      clock = (await recur.stripe.testHelpers.testClocks.create({ frozen_time: frozen })).id;
      day.clocks.push(clock);
    }
    const customer = await recur.stripe.customers.create({
      name: `Customer ${i + 1}`,
      email: `customer${i + 1}@example.com`,
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
      metadata: { recur_user_id: `user_${i + 1}` },
      test_clock: clock,
    });
    const sub = await recur.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: oldPrice }],
    });
    subscriptions.push(sub);
    day.subscriptions.push(sub);
    day.renewsAt = sub.items.data[0]!.current_period_end;
  }
  const changed = await api(recur, 'PATCH', `/api/plans/${plan.id}/prices/${plan.prices[0]!.id}`, {
    unit_amount: 3500,
  });
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  const newPrice = (changed.body as unknown as Catalog).prices.find((p) => p.unit_amount === 3500)!;
  // Recur knows the subscribers once their webhooks are in: the dry run counts all twenty.
  await eventually(async () => {
    const dry = await api(recur, 'POST', '/api/admin/price-migrations/dry-run', {
      from_price_ids: [oldPrice],
      to_price_id: newPrice.stripe_price_id,
      timing: 'renewal',
    });
    expect(dry.body.subscriptions).toBe(SUBSCRIBERS);
  }, 120_000);
  return { oldPrice, newPrice: newPrice.stripe_price_id, subscriptions, days };
}

export const renewalDate = (sub: Stripe.Subscription) =>
  new Date(sub.items.data[0]!.current_period_end * 1000).toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });

export const monthOf = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 7);

export async function chooseAndDryRun(page: Page): Promise<void> {
  await openPage(page, 'Price migrations');
  const form = page.getByRole('form', { name: 'New price migration' });
  await form.getByRole('checkbox', { name: OLD }).check(WAIT);
  await form.getByLabel('New price').selectOption({ label: NEW });
  await form.getByLabel('When').selectOption({ label: 'At each renewal' });
  await form.getByRole('button', { name: 'Dry run' }).click();
  await page.getByRole('region', { name: 'Dry run' }).waitFor(WAIT);
}

/** Every API response of the emulator is held this long: a migration's moves take seconds each. */
export async function slowStripe(recur: RecurProcess, latencyMs: number): Promise<void> {
  const res = await fetch(`${recur.emulatorUrl}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ latencyMs }),
  });
  expect(res.status).toBe(200);
}

/** How many subscription schedules the emulator's snapshot in the data folder holds. */
export async function schedulesInSnapshot(recur: RecurProcess): Promise<number> {
  const snapshot = JSON.parse(await readFile(join(recur.dataDir, 'emulator.json'), 'utf8')) as {
    collections: Record<string, unknown[]>;
  };
  return snapshot.collections.subscription_schedule?.length ?? 0;
}

/** After a restart: the page reloaded, signed in again if the console asks, on the migrations page. */
export async function backOnMigrations(page: Page, recur: RecurProcess): Promise<void> {
  await page.reload();
  const nav = page.getByRole('navigation', { name: 'Main' });
  const key = page.getByLabel('Admin key');
  await nav.or(key).first().waitFor(WAIT);
  if (await key.isVisible()) expect(await signIn(page, recur.url, recur.adminKey)).toBeNull();
  await openPage(page, 'Price migrations');
}

/** The report's current MRR in USD as of the end of `month`. */
export async function mrrIn(recur: RecurProcess, month: string): Promise<number> {
  const res = await api(recur, 'GET', `/api/reports/mrr?to=${month}&currency=usd`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.current as Array<{ mrr: number }>)[0]?.mrr ?? 0;
}

/** Moves a test clock and waits until Stripe has run everything due by then. */
export async function advanceClock(recur: RecurProcess, clock: string, to: number): Promise<void> {
  await recur.stripe.testHelpers.testClocks.advance(clock, { frozen_time: to });
  await eventually(async () => {
    expect((await recur.stripe.testHelpers.testClocks.retrieve(clock)).status).toBe('ready');
  }, 60_000);
}

/** The dashboard's MRR tile for a custom range ending `to` (USD, every plan), as shown. */
export async function dashboardMrr(page: Page, to: string, expected: string): Promise<void> {
  await openPage(page, 'Dashboard');
  await page.getByLabel('Date range').selectOption({ label: 'Custom' });
  await page.getByLabel('To', { exact: true }).fill(to);
  await expect.poll(() => readTile(page, 'MRR'), WAIT).toBe(expected);
  expect(await page.getByLabel('Currency').inputValue()).toBe('usd');
}

/** The migration's row in the past migrations table, as shown now (When, Status, Moved, MRR). */
export async function pastRow(page: Page): Promise<string[]> {
  const rows = page.getByRole('table', { name: 'Past price migrations' }).locator('tbody tr');
  await rows.first().waitFor(WAIT);
  expect(await rows.count()).toBe(1);
  return (await rows.locator('td').allInnerTexts()).slice(0, 4);
}
