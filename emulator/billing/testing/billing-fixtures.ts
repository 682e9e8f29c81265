// Shared set-up for the billing tests: a catalog, customers with cards, and test clock helpers,
// all through the official SDK over HTTP, as Recur talks to Stripe.

import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type Harness, startHarness } from '../../testing/harness.js';

export const DAY = 86_400;
export const HOUR = 3_600;
/** 2026-01-01T00:00:00Z */
export const JAN_1_2026 = 1_767_225_600;

export const at = (iso: string) => Date.parse(iso) / 1000;

export interface Catalog {
  basic: Stripe.Price;
  pro: Stripe.Price;
  proYearly: Stripe.Price;
}

/** Basic $20/month, Pro $50/month and Pro $500/year. */
export interface BillingTest {
  h: Harness;
  stripe: Stripe;
  catalog: Catalog;
}

/**
 * One emulator per test file, reset before each test and given a fresh catalog. The fields are set
 * by the hooks this registers, so read them inside tests (or copy them in a `beforeEach`).
 */
export function billingTestHarness(): BillingTest {
  const state = {} as BillingTest;
  beforeAll(async () => {
    state.h = await startHarness();
    state.stripe = state.h.stripe;
  });
  beforeEach(async () => {
    await state.h.emulator.reset();
    state.catalog = await createCatalog(state.stripe);
  });
  afterAll(() => state.h.emulator.close());
  return state;
}

export async function createCatalog(stripe: Stripe): Promise<Catalog> {
  const basicProduct = await stripe.products.create({ name: 'Basic' });
  const proProduct = await stripe.products.create({ name: 'Pro' });
  const monthly = { interval: 'month' } as const;
  return {
    basic: await stripe.prices.create({
      product: basicProduct.id,
      currency: 'usd',
      unit_amount: 2000,
      recurring: monthly,
    }),
    pro: await stripe.prices.create({
      product: proProduct.id,
      currency: 'usd',
      unit_amount: 5000,
      recurring: monthly,
    }),
    proYearly: await stripe.prices.create({
      product: proProduct.id,
      currency: 'usd',
      unit_amount: 50_000,
      recurring: { interval: 'year' },
    }),
  };
}

/** A customer whose default payment method is the given test card (default: a Visa that works). */
export async function customerWithCard(
  stripe: Stripe,
  options: { card?: string; testClock?: string; email?: string } = {},
): Promise<Stripe.Customer> {
  const card = options.card ?? 'pm_card_visa';
  return stripe.customers.create({
    email: options.email ?? 'jenny@example.com',
    name: 'Jenny Rosen',
    payment_method: card,
    invoice_settings: { default_payment_method: card },
    ...(options.testClock && { test_clock: options.testClock }),
  });
}

/** Makes `card` the customer's default payment method (attaching a new payment method for it). */
export async function switchCard(
  stripe: Stripe,
  customer: string,
  card: string,
): Promise<Stripe.PaymentMethod> {
  const method = await stripe.paymentMethods.attach(card, { customer });
  await stripe.customers.update(customer, { invoice_settings: { default_payment_method: method.id } });
  return method;
}

/** Advances a test clock and waits until it is ready again, as an integration polls Stripe. */
export async function advanceClock(
  stripe: Stripe,
  clock: string,
  to: number,
): Promise<Stripe.TestHelpers.TestClock> {
  const advancing = await stripe.testHelpers.testClocks.advance(clock, { frozen_time: to });
  if (advancing.status !== 'advancing') throw new Error(`Clock answered ${advancing.status}, not advancing`);
  for (let i = 0; i < 500; i++) {
    const current = await stripe.testHelpers.testClocks.retrieve(clock);
    if (current.status === 'ready') return current;
    if (current.status === 'internal_failure') throw new Error(`Test clock ${clock} failed while advancing`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Test clock ${clock} did not become ready`);
}

/** Event types of the emulator's log since `since` (an event id), oldest first. */
export async function eventTypesSince(stripe: Stripe, since?: string): Promise<string[]> {
  const types: string[] = [];
  for await (const event of stripe.events.list({ limit: 100 })) {
    if (event.id === since) break;
    types.push(event.type);
  }
  return types.reverse();
}

export async function latestEventId(stripe: Stripe): Promise<string | undefined> {
  return (await stripe.events.list({ limit: 1 })).data[0]?.id;
}
