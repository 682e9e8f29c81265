import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charges, customers, events, invoices, refunds, subscriptions } from '../src/db/schema/index.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';

/**
 * The admin lists' `sort`/`order`: every key orders every page (walked two rows at a time, so the
 * cursor carries the order across pages), ties broken by id, filters combine with any sort, and a
 * key or order the list does not know is a 400 naming it.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await seed(t);
}, 120_000);
afterAll(() => t?.close());

const day = (n: number, hour = 0) => new Date(Date.UTC(2026, 0, n, hour));

type Row = { id: string } & Record<string, unknown>;
const SUBSCRIPTIONS: Row[] = [
  { id: 'sub_1', customerId: 'cus_a', status: 'active', planId: 'basic', createdAt: day(1) },
  { id: 'sub_2', customerId: 'cus_b', status: 'canceled', planId: 'pro', createdAt: day(2) },
  { id: 'sub_3', customerId: 'cus_a', status: 'past_due', planId: 'pro', createdAt: day(3) },
  { id: 'sub_4', customerId: 'cus_c', status: 'active', planId: 'pro', createdAt: day(3) },
  { id: 'sub_5', customerId: 'cus_a', status: 'trialing', planId: 'basic', createdAt: day(5) },
  { id: 'sub_6', customerId: 'cus_a', status: 'active', planId: 'pro', createdAt: day(6) },
];
const INVOICES: Row[] = [
  {
    id: 'in_1',
    customerId: 'cus_a',
    subscriptionId: 'sub_1',
    status: 'paid',
    total: 2900,
    createdAt: day(1),
  },
  { id: 'in_2', customerId: 'cus_b', subscriptionId: 'sub_2', status: 'paid', total: 900, createdAt: day(2) },
  {
    id: 'in_3',
    customerId: 'cus_a',
    subscriptionId: 'sub_3',
    status: 'open',
    total: 4900,
    createdAt: day(3),
  },
  {
    id: 'in_4',
    customerId: 'cus_a',
    subscriptionId: 'sub_1',
    status: 'paid',
    total: 2900,
    createdAt: day(4),
  },
  { id: 'in_5', customerId: 'cus_c', subscriptionId: 'sub_4', status: 'void', total: 100, createdAt: day(5) },
  {
    id: 'in_6',
    customerId: 'cus_a',
    subscriptionId: 'sub_6',
    status: 'paid',
    total: 15000,
    createdAt: day(6),
  },
];
const REFUNDS: Row[] = [
  { id: 're_1', chargeId: 'ch_a', amount: 500, createdAt: day(2) },
  { id: 're_2', chargeId: 'ch_b', amount: 2900, createdAt: day(3) },
  { id: 're_3', chargeId: 'ch_a', amount: 100, createdAt: day(4) },
  { id: 're_4', chargeId: 'ch_a', amount: 500, createdAt: day(5) },
  { id: 're_5', chargeId: 'ch_b', amount: 50, createdAt: day(6) },
];
const EVENTS: Row[] = [
  { id: 'evt_1', type: 'invoice.paid', status: 'processed', occurredAt: day(1), receivedAt: day(2) },
  { id: 'evt_2', type: 'invoice.created', status: 'dead', occurredAt: day(4), receivedAt: day(3) },
  { id: 'evt_3', type: 'customer.updated', status: 'processed', occurredAt: day(2), receivedAt: day(4) },
  { id: 'evt_4', type: 'invoice.paid', status: 'processed', occurredAt: day(6), receivedAt: day(5) },
  { id: 'evt_5', type: 'invoice.paid', status: 'dead', occurredAt: day(3), receivedAt: day(6) },
];
const CUSTOMERS: Row[] = [
  { id: 'cus_a', externalId: 'user_a', createdAt: day(1) },
  { id: 'cus_b', externalId: 'user_b', createdAt: day(2), deleted: true },
  { id: 'cus_c', externalId: 'user_c', createdAt: day(2) },
  { id: 'cus_d', externalId: null, createdAt: day(4) },
];

async function seed(app: TestApp) {
  const db = app.database.db;
  const stamp = { stripeEventAt: day(1) };
  await db.insert(customers).values(
    CUSTOMERS.map((c) => ({
      id: c.id,
      externalId: c.externalId as string | null,
      deleted: c.deleted === true,
      createdAt: c.createdAt as Date,
      ...stamp,
    })),
  );
  await db.insert(subscriptions).values(
    SUBSCRIPTIONS.map((s) => ({
      id: s.id,
      customerId: s.customerId as string,
      status: s.status as string,
      planId: s.planId as string,
      currency: 'usd',
      collectionMethod: 'charge_automatically',
      createdAt: s.createdAt as Date,
      ...stamp,
    })),
  );
  await db.insert(invoices).values(
    INVOICES.map((i) => ({
      id: i.id,
      customerId: i.customerId as string,
      subscriptionId: i.subscriptionId as string,
      status: i.status as string,
      currency: 'usd',
      subtotal: i.total as number,
      total: i.total as number,
      amountDue: i.total as number,
      amountPaid: i.status === 'paid' ? (i.total as number) : 0,
      amountRemaining: i.status === 'paid' ? 0 : (i.total as number),
      createdAt: i.createdAt as Date,
      ...stamp,
    })),
  );
  await db.insert(charges).values(
    ['ch_a', 'ch_b'].map((id, n) => ({
      id,
      customerId: n === 0 ? 'cus_a' : 'cus_b',
      status: 'succeeded',
      amount: 5000,
      currency: 'usd',
      paid: true,
      refunded: false,
      createdAt: day(1),
      ...stamp,
    })),
  );
  await db.insert(refunds).values(
    REFUNDS.map((r) => ({
      id: r.id,
      chargeId: r.chargeId as string,
      amount: r.amount as number,
      currency: 'usd',
      status: 'succeeded',
      createdAt: r.createdAt as Date,
      ...stamp,
    })),
  );
  await db.insert(events).values(
    EVENTS.map((e) => ({
      id: e.id,
      source: 'stripe',
      externalId: e.id,
      type: e.type as string,
      status: e.status as 'processed' | 'dead',
      payload: '{}',
      occurredAt: e.occurredAt as Date,
      receivedAt: e.receivedAt as Date,
    })),
  );
}

/** Every page of a list, two rows at a time; the ids in the order the API gave them. */
async function walk(path: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}limit=2${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await t.app.inject({ method: 'GET', url, headers: bearer(t.adminKey) });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    const body = res.json() as { data: Array<{ id: string }>; next_cursor: string | null };
    ids.push(...body.data.map((r) => r.id));
    cursor = body.next_cursor;
    if (!cursor) return ids;
  }
  throw new Error(`${path} did not end`);
}

/** The expected order: by the key's value, ties by id, both in the asked direction. */
function ordered(rows: Row[], key: string, order: 'asc' | 'desc'): string[] {
  const value = (r: Row) => {
    const v = r[key];
    return v instanceof Date ? v.getTime() : (v as string | number);
  };
  const sorted = [...rows].sort((a, b) =>
    value(a) === value(b) ? a.id.localeCompare(b.id) : value(a) < value(b) ? -1 : 1,
  );
  return (order === 'asc' ? sorted : sorted.reverse()).map((r) => r.id);
}

const LISTS = [
  { path: '/api/subscriptions', rows: SUBSCRIPTIONS, keys: { created: 'createdAt', status: 'status' } },
  { path: '/api/invoices', rows: INVOICES, keys: { created: 'createdAt', total: 'total' } },
  { path: '/api/refunds', rows: REFUNDS, keys: { created: 'createdAt', amount: 'amount' } },
  { path: '/api/admin/events', rows: EVENTS, keys: { received: 'receivedAt', occurred: 'occurredAt' } },
  { path: '/api/customers', rows: CUSTOMERS, keys: { created: 'createdAt' } },
] as const;

describe('sorted admin lists', () => {
  it('orders every page by each sort key, both ways; newest first by default', async () => {
    for (const list of LISTS) {
      const [defaultKey, defaultField] = Object.entries(list.keys)[0]!;
      expect(await walk(list.path), `${list.path} default`).toEqual(ordered(list.rows, defaultField, 'desc'));
      for (const [key, field] of Object.entries(list.keys)) {
        for (const order of ['asc', 'desc'] as const) {
          expect(
            await walk(`${list.path}?sort=${key}&order=${order}`),
            `${list.path} ${key} ${order}`,
          ).toEqual(ordered(list.rows, field, order));
        }
      }
      expect(defaultKey).toBeTruthy();
    }
  });

  it('combines filters with a sort', async () => {
    // Recur's `active` is Stripe's active and trialing.
    expect(await walk('/api/subscriptions?customer_id=cus_a&status=active&sort=created&order=asc')).toEqual([
      'sub_1',
      'sub_5',
      'sub_6',
    ]);
    expect(await walk('/api/subscriptions?plan_id=pro&sort=status&order=asc')).toEqual([
      'sub_4',
      'sub_6',
      'sub_2',
      'sub_3',
    ]);
    expect(await walk('/api/invoices?customer_id=cus_a&status=paid&sort=total&order=desc')).toEqual([
      'in_6',
      'in_4',
      'in_1',
    ]);
    expect(
      await walk(`/api/invoices?subscription_id=sub_1&created_from=${day(2).toISOString()}&sort=total`),
    ).toEqual(['in_4']);
    expect(await walk('/api/refunds?charge_id=ch_a&sort=amount&order=asc')).toEqual(['re_3', 're_1', 're_4']);
    expect(
      await walk(`/api/refunds?charge_id=ch_a&created_to=${day(4).toISOString()}&sort=amount&order=desc`),
    ).toEqual(['re_1', 're_3']);
    expect(await walk('/api/admin/events?type=invoice.*&status=processed&sort=occurred&order=asc')).toEqual([
      'evt_1',
      'evt_4',
    ]);
    expect(await walk('/api/admin/events?type=invoice.paid&status=dead&sort=occurred')).toEqual(['evt_5']);
    expect(await walk('/api/customers?deleted=false&order=asc')).toEqual(['cus_a', 'cus_c', 'cus_d']);
    expect(await walk('/api/customers?deleted=false&external_id=user_c&order=desc')).toEqual(['cus_c']);
  });

  it('names the customer of a refunded charge', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/refunds?sort=amount',
      headers: bearer(t.adminKey),
    });
    const rows = res.json().data as Array<{ id: string; customer_id: string | null }>;
    expect(rows.map((r) => [r.id, r.customer_id])).toEqual([
      ['re_2', 'cus_b'],
      ['re_4', 'cus_a'],
      ['re_1', 'cus_a'],
      ['re_3', 'cus_a'],
      ['re_5', 'cus_b'],
    ]);
  });

  it('refuses an unknown key or order with a 400 naming it, and a cursor of another sort', async () => {
    for (const list of LISTS) {
      for (const [param, value] of [
        ['sort', 'amount_due'],
        ['sort', 'email'],
        ['order', 'up'],
      ] as const) {
        const res = await t.app.inject({
          method: 'GET',
          url: `${list.path}?${param}=${value}`,
          headers: bearer(t.adminKey),
        });
        expect(res.statusCode, `${list.path} ${param}=${value}`).toBe(400);
        expect(res.json().error.code).toBe('validation_failed');
        expect(res.json().error.message).toContain(`${param} '${value}' is not`);
      }
    }
    const first = await t.app.inject({
      method: 'GET',
      url: '/api/invoices?sort=total&limit=1',
      headers: bearer(t.adminKey),
    });
    const cursor = first.json().next_cursor as string;
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/invoices?sort=created&limit=1&cursor=${cursor}`,
      headers: bearer(t.adminKey),
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().error.code).toBe('invalid_cursor');
  });
});
