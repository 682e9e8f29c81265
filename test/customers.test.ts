import { sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { createStripeClient } from '../src/stripe/index.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { createPlan } from './support/billing.js';
import { eventually, settled } from './support/wait.js';

/** Customers: made once however many first requests race, stored encrypted, found by email hash. */
let t: TestApp;
let stripe: Stripe;

beforeAll(async () => {
  t = await startTestApp({}, { webhooks: true, worker: true });
  stripe = createStripeClient({ secretKey: 'sk_test_customers', apiBase: t.emulator.url });
});
afterAll(() => t.close());
beforeEach(() => t.reset());

const countRows = async (table: 'customers' | 'events') =>
  (await queryRows<{ n: number }>(t.database.db, sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;

const admin = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(t.adminKey) });

describe('one customer per user or email', () => {
  it('makes one Stripe customer and one mirror row for 20 concurrent first checkouts of a user', async () => {
    await createPlan(t, { key: 'solo' });
    const token = await t.userToken('user_rush', { email: 'Rush.Hour@Example.com', name: 'Rush Hour' });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.app.inject({
          method: 'POST',
          url: '/api/checkout/sessions',
          headers: bearer(token),
          payload: { plan_id: 'solo' },
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const direct = await Promise.all(
      Array.from({ length: 20 }, () => t.services.customers.forUser({ userId: 'user_rush' })),
    );
    await settled(t);
    const inStripe = (await stripe.customers.list({ limit: 100 })).data;
    expect(inStripe).toHaveLength(1);
    expect(inStripe[0]).toMatchObject({
      email: 'rush.hour@example.com',
      metadata: { recur_user_id: 'user_rush' },
    });
    expect(new Set(direct.map((c) => c.id))).toEqual(new Set([inStripe[0]!.id]));
    expect(await countRows('customers')).toBe(1);
    const sessions = (await stripe.checkout.sessions.list({ limit: 100 })).data;
    expect(new Set(sessions.map((s) => s.customer))).toEqual(new Set([inStripe[0]!.id]));
  });

  it('makes one customer for 20 concurrent look-ups of a new email', async () => {
    const found = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.services.customers.forEmail(
          i % 2 ? 'new.person@example.com' : ' NEW.Person@example.com',
          'New Person',
        ),
      ),
    );
    await settled(t);
    expect((await stripe.customers.list({ limit: 100 })).data).toHaveLength(1);
    expect(new Set(found.map((c) => c.id)).size).toBe(1);
    expect(await countRows('customers')).toBe(1);
  });

  it('makes a new customer for a user whose customer was deleted in Stripe, keeping the old row', async () => {
    const first = await t.services.customers.forUser({ userId: 'user_again', email: 'again@example.com' });
    await stripe.customers.del(first.id);
    await eventually(async () => expect((await t.services.customers.get(first.id))?.deleted).toBe(true));
    const second = await t.services.customers.forUser({ userId: 'user_again', email: 'again@example.com' });
    expect(second.id).not.toBe(first.id);
    expect(second.deleted).toBe(false);
    expect((await t.services.customers.forUser({ userId: 'user_again' })).id).toBe(second.id);
    const live = (await stripe.customers.list({ limit: 100 })).data;
    expect(live.map((c) => c.id)).toEqual([second.id]);
    await settled(t);
    expect(await countRows('customers')).toBe(2);
  });

  it('stores no email or name in the clear, in customers or in event payloads, yet finds by email', async () => {
    await t.services.customers.forUser({
      userId: 'user_lena',
      email: 'lena.park@example.com',
      name: 'Lena Park',
    });
    await t.services.customers.forEmail('otto.rand@example.com', 'Otto Rand');
    await settled(t);
    expect(await countRows('events')).toBeGreaterThan(0);
    const [dump] = await queryRows<{ text: string }>(
      t.database.db,
      sql`select string_agg(x::text, ' ') as text from (select row_to_json(c) x from customers c union all select row_to_json(e) from events e) s`,
    );
    for (const secret of [
      'lena.park@example.com',
      'Lena Park',
      'otto.rand@example.com',
      'Otto Rand',
      'lena.park',
    ]) {
      expect(dump!.text).not.toContain(secret);
    }
    const res = await admin('/api/customers?email=LENA.PARK@example.com');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toEqual([
      expect.objectContaining({
        external_id: 'user_lena',
        email: 'lena.park@example.com',
        name: 'Lena Park',
      }),
    ]);
  });
});

describe('customer routes', () => {
  it('shows the user their own customer only once it exists', async () => {
    const token = await t.userToken('user_me', { email: 'me@example.com' });
    const before = await t.app.inject({ method: 'GET', url: '/api/me/customer', headers: bearer(token) });
    expect(before.statusCode).toBe(404);
    expect(before.json().error.code).toBe('customer_not_found');
    const mine = await t.services.customers.forUser({ userId: 'user_me', email: 'me@example.com' });
    await t.services.customers.forUser({ userId: 'user_other', email: 'other@example.com' });
    const after = await t.app.inject({ method: 'GET', url: '/api/me/customer', headers: bearer(token) });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({
      id: mine.id,
      external_id: 'user_me',
      email: 'me@example.com',
      deleted: false,
    });
  });

  it('lists customers newest first with filters and cursor pages, and gets one by id', async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      made.push((await t.services.customers.forUser({ userId: `user_${i}`, email: `p${i}@example.com` })).id);
    }
    await stripe.customers.del(made[0]!);
    await settled(t);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await admin(`/api/customers?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().data.map((c: { id: string }) => c.id));
      cursor = res.json().next_cursor;
    } while (cursor);
    expect(new Set(seen)).toEqual(new Set(made));
    expect(seen).toHaveLength(5);

    expect(
      (await admin('/api/customers?external_id=user_3')).json().data.map((c: { id: string }) => c.id),
    ).toEqual([made[3]]);
    expect((await admin('/api/customers?deleted=true')).json().data.map((c: { id: string }) => c.id)).toEqual(
      [made[0]],
    );
    expect((await admin('/api/customers?deleted=false')).json().data).toHaveLength(4);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await admin(`/api/customers?created_from=${encodeURIComponent(future)}`)).json().data).toEqual(
      [],
    );
    expect((await admin(`/api/customers?created_to=${encodeURIComponent(future)}`)).json().data).toHaveLength(
      5,
    );

    const one = await admin(`/api/customers/${made[2]}`);
    expect(one.json()).toMatchObject({ id: made[2], external_id: 'user_2', email: 'p2@example.com' });
  });

  it('searches by part of an email, its domain or a name, page by page, and by id', async () => {
    const made: Record<string, string> = {};
    for (const [email, name] of [
      ['ann.lee@acme.io', 'Ann Lee'],
      ['bob@acme.io', 'Bob Stone'],
      ['carla@other.org', 'Carla Annan'],
      ['dan@other.org', null],
    ] as const) {
      made[email] = (await t.services.customers.forEmail(email, name ?? undefined)).id;
    }
    const search = async (q: string, extra = '') =>
      (await admin(`/api/customers?q=${encodeURIComponent(q)}${extra}`)).json();
    const emails = async (q: string) => (await search(q)).data.map((c: { email: string }) => c.email).sort();

    expect(await emails('ann')).toEqual(['ann.lee@acme.io', 'carla@other.org']);
    expect(await emails('ACME')).toEqual(['ann.lee@acme.io', 'bob@acme.io']);
    expect(await emails('@other.org')).toEqual(['carla@other.org', 'dan@other.org']);
    expect(await emails('stone')).toEqual(['bob@acme.io']);
    expect(await emails('bob@acme.io')).toEqual(['bob@acme.io']);
    expect(await emails(made['dan@other.org']!)).toEqual(['dan@other.org']);
    expect(await emails('zed')).toEqual([]);

    // One match a page, in the list's order, and the cursor carries the scan on.
    const both = (await search('acme')).data.map((c: { email: string }) => c.email);
    const first = await search('acme', '&limit=1');
    const second = await search('acme', `&limit=1&cursor=${first.next_cursor}`);
    expect([...first.data, ...second.data].map((c: { email: string }) => c.email)).toEqual(both);
    // Older customers may follow the last match: their page is read and holds no more.
    if (second.next_cursor !== null) {
      const rest = await search('acme', `&limit=1&cursor=${second.next_cursor}`);
      expect(rest).toEqual({ data: [], next_cursor: null });
    }
    expect((await admin('/api/customers?q=a')).json().error.code).toBe('validation_failed');
  });

  it('refuses bad filters and unknown ids with their own codes', async () => {
    const cases: Array<[string, number, string]> = [
      ['/api/customers?email=not-an-email', 400, 'invalid_email'],
      ['/api/customers?deleted=maybe', 400, 'validation_failed'],
      ['/api/customers?created_from=yesterday', 400, 'validation_failed'],
      ['/api/customers?limit=0', 400, 'validation_failed'],
      ['/api/customers?limit=101', 400, 'validation_failed'],
      ['/api/customers?cursor=bm9wZQ', 400, 'invalid_cursor'],
      ['/api/customers?colour=blue', 400, 'validation_failed'],
      ['/api/customers/cus_missing', 404, 'customer_not_found'],
    ];
    for (const [url, status, code] of cases) {
      const res = await admin(url);
      expect(res.statusCode, url).toBe(status);
      expect(res.json().error.code, url).toBe(code);
    }
    expect((await stripe.customers.list()).data).toHaveLength(0);
  });
});
