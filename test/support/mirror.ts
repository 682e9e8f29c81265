import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { type Db, queryRows } from '../../src/db/client.js';
import type { PiiCipher } from '../../src/shared/crypto.js';
import type { Stripe } from '../../src/stripe/index.js';
import {
  chargeRow,
  invoiceRow,
  paymentIntentRow,
  paymentMethodRow,
  refundRow,
  subscriptionItemRows,
  subscriptionRow,
} from '../../src/stripe/mapping.js';

type Row = Record<string, unknown>;

/** One ordering for both sides; SQL collation and localeCompare disagree about mixed case. */
export function byId(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0));
}

/** Raw queries return timestamps as Date (pg) or text (PGlite); compare them as ISO instants. */
function isoTime(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d/.test(v)) return new Date(v).toISOString();
  return v;
}

/** Mirror columns as the mapping names them; the stamps and bookkeeping are not state. */
export function comparable(row: Row): Row {
  // Columns Recur adds of its own: when the row was stamped, its plan, who collects its payments,
  // and whether an event said the invoice's payment waits for the customer (no field of Stripe's
  // invoice holds it; test/payment-action-order.test.ts checks it through the subscription's status).
  const {
    stripe_event_at: _a,
    updated_at: _u,
    plan_id: _p,
    provider: _v,
    payment_action_required: _r,
    ...rest
  } = row;
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, isoTime(v)]));
}

function snake(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), isoTime(v)]),
  );
}

export async function mirrorRows(db: Db, table: string): Promise<Row[]> {
  return byId(await queryRows<Row>(db, sql.raw(`select * from ${table}`)));
}

async function all<T>(list: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of list) out.push(item);
  return out;
}

/** The invoice Stripe says a payment paid (its invoice payments), which a refund's row keeps. */
export async function invoiceOfPayment(
  stripe: Stripe,
  payment: string | Stripe.PaymentIntent | null,
): Promise<string | null> {
  if (payment === null) return null;
  const paymentIntent = typeof payment === 'string' ? payment : payment.id;
  const [paid] = (
    await stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: paymentIntent } })
  ).data;
  return paid ? (typeof paid.invoice === 'string' ? paid.invoice : paid.invoice.id) : null;
}

/**
 * Asserts that every mirrored object equals Stripe's current state of it, and nothing else is there;
 * a refund's row also holds the invoice its payment paid.
 */
export async function expectMirrorEqualsStripe(db: Db, cipher: PiiCipher, stripe: Stripe): Promise<void> {
  const customers = await all(stripe.customers.list({ limit: 100 }));
  const mirrored = await mirrorRows(db, 'customers');
  expect(mirrored.map((c) => c.id)).toEqual(byId(customers as unknown as Row[]).map((c) => c.id));
  for (const c of mirrored) {
    const live = customers.find((x) => x.id === c.id)!;
    expect(c.email_encrypted ? cipher.decrypt(c.email_encrypted as string) : null).toBe(live.email);
    expect(c.name_encrypted ? cipher.decrypt(c.name_encrypted as string) : null).toBe(live.name);
    expect(c.default_payment_method_id).toBe(live.invoice_settings.default_payment_method);
  }
  const subscriptions = await all(stripe.subscriptions.list({ status: 'all', limit: 100 }));
  const families: Array<[string, () => Promise<Row[]>]> = [
    ['subscriptions', async () => subscriptions.map((s) => snake(subscriptionRow(s)))],
    ['subscription_items', async () => subscriptions.flatMap(subscriptionItemRows).map(snake)],
    [
      'invoices',
      async () => (await all(stripe.invoices.list({ limit: 100 }))).map((i) => snake(invoiceRow(i))),
    ],
    ['charges', async () => (await all(stripe.charges.list({ limit: 100 }))).map((c) => snake(chargeRow(c)))],
    [
      'refunds',
      async () =>
        Promise.all(
          (await all(stripe.refunds.list({ limit: 100 }))).map(async (r) =>
            snake(refundRow(r, await invoiceOfPayment(stripe, r.payment_intent))),
          ),
        ),
    ],
    [
      'payment_intents',
      async () =>
        (await all(stripe.paymentIntents.list({ limit: 100 }))).map((p) => snake(paymentIntentRow(p))),
    ],
    [
      'payment_methods',
      async () =>
        (
          await Promise.all(
            customers.map((c) => all(stripe.paymentMethods.list({ customer: c.id, limit: 100 }))),
          )
        )
          .flat()
          .map((p) => snake(paymentMethodRow(p))),
    ],
  ];
  for (const [table, live] of families) {
    expect((await mirrorRows(db, table)).map(comparable), table).toEqual(byId(await live()).map(comparable));
  }
}
