import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.js';
import { signPaymentNotice } from '../../src/payment-webhook/signature.js';
import type { Stripe } from '../../src/stripe/index.js';
import { bearer, type TestApp } from './app.js';
import { createPlan as createCatalogPlan } from './billing.js';
import { type BillingHarness, billingTestApp } from './billing-app.js';

export const PAYMENT_SECRET = 'payment-provider-shared-secret-0123456789';

export const MONTHLY_USD = { currency: 'usd', unit_amount: 2000, interval: 'month' } as const;
export const YEARLY_USD = { currency: 'usd', unit_amount: 20000, interval: 'year' } as const;

/** The billing harness with the payment webhook on (its hooks start, reset and close the app). */
export function contractTestApp(): BillingHarness {
  return billingTestApp(() => ({ RECUR_PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET }));
}

/** A plan made through the admin API, named by its key; `trial_days` 0 unless given. */
export function createPlan(
  t: TestApp,
  key: string,
  prices: ReadonlyArray<Record<string, unknown>> = [MONTHLY_USD],
  extra: Record<string, unknown> = {},
) {
  return createCatalogPlan(t, { key, name: key, trial_days: 0, prices: [...prices], force: true, ...extra });
}

export function subscribe(
  t: TestApp,
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method: 'POST',
    url: '/api/subscriptions',
    headers: { ...bearer(t.serviceKey), ...headers },
    payload,
  });
}

/** Posts a body to the payment webhook, signed under `secret` unless a signature is given. */
export function postPaymentNotice(
  t: TestApp,
  body: unknown,
  options: { signature?: string | null; secret?: string } = {},
) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const signature =
    options.signature === undefined
      ? signPaymentNotice(raw, options.secret ?? PAYMENT_SECRET)
      : options.signature;
  return t.app.inject({
    method: 'POST',
    url: '/api/webhooks/payment',
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-recur-signature': signature }),
    },
    payload: raw,
  });
}

type Row = Record<string, unknown>;

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());

export async function subscriptionRowOf(t: TestApp, id: string) {
  const [row] = await queryRows<Row>(t.database.db, sql`select * from subscriptions where id = ${id}`);
  if (!row) return null;
  return {
    ...row,
    current_period_start: iso(row.current_period_start),
    current_period_end: iso(row.current_period_end),
    stripe_event_at: iso(row.stripe_event_at),
  } as unknown as Row & {
    status: string;
    provider: string;
    current_period_start: string;
    current_period_end: string;
  };
}

export function externalPayments(t: TestApp) {
  return queryRows<Row>(t.database.db, sql`select * from external_payments order by created_at, id`);
}

/** Everything a refused request must leave as it was: the database and the emulator's objects. */
export async function everything(t: TestApp, stripe: Stripe) {
  const db = t.database.db;
  const [subscriptions, events, payments, customers, idempotent] = await Promise.all([
    queryRows<Row>(
      db,
      sql`select id, status, current_period_start, current_period_end, stripe_event_at from subscriptions order by id`,
    ),
    queryRows<Row>(db, sql`select id, type, status from events order by id`),
    queryRows<Row>(db, sql`select id from external_payments order by id`),
    queryRows<Row>(db, sql`select id from customers order by id`),
    queryRows<Row>(db, sql`select key from idempotent_requests where status is not null order by key`),
  ]);
  const inStripe = {
    customers: (await stripe.customers.list({ limit: 100 })).data.map((c) => c.id),
    subscriptions: (await stripe.subscriptions.list({ limit: 100, status: 'all' })).data.map(
      (s) => `${s.id}:${s.status}`,
    ),
    invoices: (await stripe.invoices.list({ limit: 100 })).data.map((i) => `${i.id}:${i.status}`),
  };
  return { subscriptions, events, payments, customers, idempotent, inStripe };
}
