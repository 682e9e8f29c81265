import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createStripeClient, type Stripe } from '../../src/stripe/index.js';
import { startTestApp, type TestApp } from './app.js';

export interface BillingHarness {
  t: TestApp;
  /** Stripe as a dashboard user or another integration sees it, beside Recur. */
  stripe: Stripe;
}

/**
 * One app per test file with webhooks delivered and the worker running, fresh for each test. The
 * fields are set by the hooks this registers: read them inside tests. `env` is read when the app
 * starts, after the hooks registered before this call (a test server's URL, say).
 */
export function billingTestApp(env: () => Record<string, string> = () => ({})): BillingHarness {
  const harness = {} as BillingHarness;
  beforeAll(async () => {
    harness.t = await startTestApp(env(), { webhooks: true, worker: true });
    harness.stripe = createStripeClient({ secretKey: 'sk_test_dashboard', apiBase: harness.t.emulator.url });
  });
  afterAll(() => harness.t.close());
  beforeEach(() => harness.t.reset());
  return harness;
}

export async function monthlyPrice(stripe: Stripe, unitAmount: number): Promise<Stripe.Price> {
  const product = await stripe.products.create({ name: `Plan ${unitAmount}` });
  return stripe.prices.create({
    product: product.id,
    currency: 'usd',
    unit_amount: unitAmount,
    recurring: { interval: 'month' },
  });
}

/** A customer paying with a test card (a Visa that works unless told), linked to a user if given. */
export async function customerWithCard(
  stripe: Stripe,
  options: { userId?: string; card?: string; testClock?: string; name?: string } = {},
): Promise<Stripe.Customer> {
  const card = options.card ?? 'pm_card_visa';
  return stripe.customers.create({
    email: `${options.userId ?? 'ada'}@example.com`,
    name: options.name ?? options.userId ?? 'Ada Lovelace',
    payment_method: card,
    invoice_settings: { default_payment_method: card },
    ...(options.userId && { metadata: { recur_user_id: options.userId } }),
    ...(options.testClock && { test_clock: options.testClock }),
  });
}

/** A draft invoice of one $7 item, which Stripe has not finalized (no number, no PDF). */
export async function draftInvoice(stripe: Stripe, customer: string): Promise<Stripe.Invoice> {
  await stripe.invoiceItems.create({ customer, amount: 700, currency: 'usd', description: 'Setup' });
  return stripe.invoices.create({ customer, auto_advance: false, pending_invoice_items_behavior: 'include' });
}
