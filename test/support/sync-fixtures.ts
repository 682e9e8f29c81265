import type { SQL } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { createStripeClient, type Stripe } from '../../src/stripe/index.js';
import type { SyncObject } from '../../src/sync/objects.js';
import { bearer, startTestApp, type TestApp } from './app.js';

export interface SyncHarness {
  t: TestApp;
  stripe: Stripe;
  /** Every Stripe response of the current test, in order (emptied before each test). */
  responses: Array<{ method: string; path: string; status: number }>;
  /** The GET requests this test made to one Stripe list endpoint, in order. */
  listRequests(prefix: string): Array<{ method: string; path: string; status: number }>;
  createCustomers(n: number): Promise<void>;
}

/**
 * One app per test file, with a fast sync pace and short retries, fresh state and an empty request
 * log for each test. `t` and `stripe` are set once the file's `beforeAll` has run.
 */
export function syncTestHarness(): SyncHarness {
  const harness = {
    listRequests: (prefix: string) =>
      harness.responses.filter((r) => r.method === 'GET' && r.path.split('?')[0] === prefix),
    createCustomers: async (n: number) => {
      for (let i = 0; i < n; i++) await harness.stripe.customers.create({ metadata: { n: String(i) } });
    },
  } as SyncHarness;
  beforeAll(async () => {
    harness.t = await startTestApp({
      STRIPE_SYNC_RATE: '100',
      STRIPE_SYNC_RETRY_DELAY: '0.05',
      STRIPE_SYNC_MAX_RETRIES: '3',
    });
    harness.stripe = createStripeClient({ secretKey: 'sk_test_fixtures', apiBase: harness.t.emulator.url });
    harness.responses = recordStripeResponses(harness.t);
  });
  afterAll(() => harness.t.close());
  beforeEach(async () => {
    await harness.t.reset();
    harness.responses.length = 0;
  });
  return harness;
}

export const PEOPLE = [
  { email: 'ann.example@example.com', name: 'Ann Example' },
  { email: 'bob.example@example.com', name: 'Bob Example' },
];

export interface BillingFixture {
  planId: string;
  priceId: string;
  customers: Stripe.Customer[];
  subscriptions: Stripe.Subscription[];
  refund: Stripe.Refund;
}

/**
 * A small billing history made through the SDK, as Stripe would hold it: a plan made in Recur,
 * customers with a card each, a subscription each (one then canceled), their invoices, payment
 * intents and charges, and a partial refund.
 */
export async function seedBilling(t: TestApp, stripe: Stripe): Promise<BillingFixture> {
  const planResponse = await t.app.inject({
    method: 'POST',
    url: '/api/plans',
    headers: bearer(t.adminKey),
    payload: {
      key: 'team',
      name: 'Team',
      benefits: [{ key: 'seats', value: 10 }],
      prices: [{ currency: 'usd', unit_amount: 4900, interval: 'month', lookup_key: 'team_monthly' }],
    },
  });
  expect(planResponse.statusCode, planResponse.body).toBe(201);
  const plan = planResponse.json();
  const priceId: string = plan.prices[0].stripe_price_id;
  const customers: Stripe.Customer[] = [];
  const subscriptions: Stripe.Subscription[] = [];
  for (const person of PEOPLE) {
    const customer = await stripe.customers.create({
      ...person,
      metadata: { recur_user_id: person.name.split(' ')[0]! },
    });
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    customers.push(
      await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } }),
    );
    subscriptions.push(
      await stripe.subscriptions.create({ customer: customer.id, items: [{ price: priceId }] }),
    );
  }
  subscriptions[1] = await stripe.subscriptions.cancel(subscriptions[1]!.id);
  const [charge] = (await stripe.charges.list({ customer: customers[0]!.id, limit: 1 })).data;
  const refund = await stripe.refunds.create({ charge: charge!.id, amount: 900 });
  return { planId: plan.id, priceId, customers, subscriptions, refund };
}

type Counts = { seen: number; created: number; updated: number; skipped: number };

/** A sync run as the API shows it. */
export interface RunView {
  id: string;
  mode: 'full' | 'incremental';
  trigger: string;
  objects: string[];
  status: 'running' | 'succeeded' | 'failed' | 'interrupted';
  /** Keyed by object type; a type the run has not reached yet is absent. */
  counts: { [K in SyncObject]: Counts };
  since: string | null;
  error: string | null;
  started_at: string;
  heartbeat_at: string;
  finished_at: string | null;
  duration_seconds: number;
}

export async function waitForRun(t: TestApp, id: string): Promise<RunView> {
  for (let i = 0; i < 600; i++) {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/admin/sync/${id}`,
      headers: bearer(t.adminKey),
    });
    expect(res.statusCode, res.body).toBe(200);
    if (res.json().status !== 'running') return res.json();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sync run ${id} did not finish`);
}

/** POST /api/admin/sync, then polls the run until it ends. */
export async function runSync(t: TestApp, body: Record<string, unknown> = {}): Promise<RunView> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/admin/sync',
    headers: bearer(t.adminKey),
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(202);
  expect(res.json().status).toBe('running');
  return waitForRun(t, res.json().id);
}

// biome-ignore lint/suspicious/noExplicitAny: rows of ad-hoc queries, asserted field by field
export type Row = Record<string, any>;

export function rows<T = Row>(t: TestApp, query: SQL): Promise<T[]> {
  return queryRows<T>(t.database.db, query);
}

/** Stripe requests the app's SDK client makes, as seen by its `response` event. */
export function recordStripeResponses(t: TestApp): Array<{ method: string; path: string; status: number }> {
  const seen: Array<{ method: string; path: string; status: number }> = [];
  t.services.stripe.on('response', (event: { method: string; path: string; status: number }) => {
    seen.push({ method: event.method, path: event.path, status: event.status });
  });
  return seen;
}

/** A writable that keeps what it is given, standing in for the CLI's stdout and stderr. */
export class CollectingStream {
  private text = '';
  isTTY = false;

  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }

  toString(): string {
    return this.text;
  }

  get asStdout(): NodeJS.WritableStream {
    return this as unknown as NodeJS.WritableStream;
  }

  get asStderr(): NodeJS.WriteStream {
    return this as unknown as NodeJS.WriteStream;
  }
}

/**
 * Refuses (400, for good) the second customers list request to come, letting the first through:
 * aimed before a run starts, since the second page is asked for while the first is being written.
 */
export function refuseSecondCustomersPage(t: TestApp): void {
  t.emulator.faults.failNext({
    method: 'GET',
    path: '/v1/customers',
    after: 1,
    status: 400,
    error: { type: 'invalid_request_error' },
  });
}
