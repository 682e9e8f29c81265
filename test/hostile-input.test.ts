import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeCursor } from '../src/http/pagination.js';
import { signPaymentNotice } from '../src/payment-webhook/signature.js';
import { bearer, JWT_SECRET, startTestApp, type TestApp } from './support/app.js';

/**
 * Input that PostgreSQL or Stripe would choke on is refused at the schema with a 400 naming the
 * field (or a 401 for a token whose subject Recur cannot store), before any SQL or Stripe call.
 */
const PAYMENT_SECRET = 'payment-provider-shared-secret-hostile-input';
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RECUR_PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET });
});
afterAll(() => t.close());
beforeEach(() => t.reset());

const NUL = 'a\u0000b';
const LONE = 'a\ud800b';

type Res = Awaited<ReturnType<TestApp['app']['inject']>>;

/** A 400 in the one error shape, whose details name `field`. */
function expectRefused(res: Res, field: string) {
  expect(res.statusCode, res.body).toBe(400);
  const body = res.json();
  expect(body.error.request_id).toEqual(expect.any(String));
  expect(body.error.code).toBe('validation_failed');
  expect(body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
}

const get = (url: string, token = t.adminKey) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
const post = (url: string, payload: unknown, token = t.adminKey) =>
  t.app.inject({ method: 'POST', url, headers: bearer(token), payload: payload as Record<string, unknown> });
const q = encodeURIComponent;

const plan = (extra: Record<string, unknown> = {}) => ({
  key: 'pro',
  name: 'Pro',
  trial_days: 0,
  force: true,
  prices: [{ currency: 'usd', unit_amount: 1000, interval: 'month' }],
  ...extra,
});

const userToken = (sub: string) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(JWT_SECRET));

describe('NUL and unpaired surrogates', () => {
  it('in a path id, even on the public plan route: 400 naming the id', async () => {
    expectRefused(await t.app.inject({ method: 'GET', url: `/api/plans/${q(NUL)}` }), 'id');
    expectRefused(await get(`/api/customers/${q(NUL)}`), 'id');
    expectRefused(await get(`/api/subscriptions/${q(NUL)}`), 'id');
    expectRefused(await get(`/api/users/${q(NUL)}/entitlements`, t.serviceKey), 'externalId');
  });

  it('in list filters and a report’s plan_id', async () => {
    expectRefused(await get(`/api/customers?external_id=${q(NUL)}`), 'external_id');
    expectRefused(await get(`/api/subscriptions?plan_id=${q(NUL)}`), 'plan_id');
    expectRefused(await get(`/api/invoices?customer_id=${q(NUL)}`), 'customer_id');
    expectRefused(await get(`/api/reports/mrr?plan_id=${q(NUL)}`), 'plan_id');
  });

  it('in body strings; a plan name, lookup key or coupon never reaches Stripe', async () => {
    expectRefused(await post('/api/plans', plan({ name: NUL })), 'name');
    expectRefused(await post('/api/plans', plan({ name: LONE })), 'name');
    expectRefused(
      await post(
        '/api/plans',
        plan({ prices: [{ currency: 'usd', unit_amount: 1, interval: 'month', lookup_key: LONE }] }),
      ),
      'prices.0.lookup_key',
    );
    const token = await t.userToken('user_1');
    expectRefused(await post('/api/checkout/sessions', { plan_id: 'pro', coupon: LONE }, token), 'coupon');
    expectRefused(await post('/api/billing/links', { user_id: NUL }, t.serviceKey), 'user_id');
    expect((await get('/api/plans?status=all')).json().data).toEqual([]);
  });

  it('in a signed payment notice’s subscription_id', async () => {
    const raw = JSON.stringify({
      subscription_id: NUL,
      event: 'payment_success',
      amount: 100,
      date: '2026-01-01',
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/webhooks/payment',
      headers: {
        'content-type': 'application/json',
        'x-recur-signature': signPaymentNotice(raw, PAYMENT_SECRET),
      },
      payload: raw,
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.details.fields.map((f: { field: string }) => f.field)).toContain(
      'subscription_id',
    );
  });

  it('in a user token’s subject, or one longer than a user id: 401, not a Stripe error', async () => {
    for (const sub of [NUL, LONE, 'u'.repeat(500)]) {
      const token = await userToken(sub);
      expect((await get('/api/me/subscriptions', token)).statusCode, JSON.stringify(sub.slice(0, 3))).toBe(
        401,
      );
      const res = await post('/api/checkout/sessions', { plan_id: 'pro' }, token);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
    expect((await get('/api/me/subscriptions', await userToken('u'.repeat(200)))).statusCode).toBe(200);
  });
});

/** The lists paged by creation time, with a creation range. */
const LISTS = [
  '/api/customers',
  '/api/subscriptions',
  '/api/invoices',
  '/api/refunds',
  '/api/admin/disputes',
  '/api/admin/early-fraud-warnings',
];

describe('dates out of range', () => {
  it('a cursor dated year ±275760 or 0000 is 400 on every list', async () => {
    const cursors = [
      encodeCursor({ at: new Date(8.64e15), id: 'x' }),
      encodeCursor({ at: new Date(-8.64e15), id: 'x' }),
      Buffer.from('0000-01-01T00:00:00.000Z|x').toString('base64url'),
      Buffer.from(`2026-01-01T00:00:00.000Z|${NUL}`).toString('base64url'),
    ];
    for (const list of [
      '/api/customers',
      '/api/subscriptions',
      '/api/invoices',
      '/api/refunds',
      '/api/admin/disputes',
      '/api/admin/early-fraud-warnings',
      '/api/admin/events',
    ]) {
      for (const cursor of cursors) {
        const res = await get(`${list}?cursor=${cursor}`);
        expect(res.statusCode, `${list} ${res.body}`).toBe(400);
        expect(res.json().error.code).toBe('invalid_cursor');
      }
      expectRefused(await get(`${list}?cursor=${q('abc|def')}`), 'cursor');
    }
  });

  it('created_from/created_to outside 1970–9999 are 400 naming the field', async () => {
    for (const list of LISTS) {
      expectRefused(await get(`${list}?created_from=${q('0000-01-01T00:00:00Z')}`), 'created_from');
      expectRefused(await get(`${list}?created_to=${q('1969-12-31T23:59:59Z')}`), 'created_to');
    }
    expectRefused(await get(`/api/admin/events?from=${q('0000-01-01T00:00:00Z')}`), 'from');
  });

  it('created_from after created_to is 400 on every list', async () => {
    const range = `created_from=${q('2026-02-01T00:00:00Z')}&created_to=${q('2026-01-01T00:00:00Z')}`;
    for (const list of LISTS) {
      const res = await get(`${list}?${range}`);
      expect(res.statusCode, list).toBe(400);
      expect(res.json().error.code).toBe('invalid_date_range');
    }
    const events = await get(
      `/api/admin/events?from=${q('2026-02-01T00:00:00Z')}&to=${q('2026-01-01T00:00:00Z')}`,
    );
    expect(events.statusCode).toBe(400);
    expect(events.json().error.code).toBe('invalid_date_range');
  });

  it('report months are bounded: to=9999-12 and from=0000-01 are 400', async () => {
    for (const query of ['to=9999-12', 'from=0000-01&to=0001-01', 'from=1969-12']) {
      const res = await get(`/api/reports/mrr?${query}`);
      expect(res.statusCode, `${query} ${res.body}`).toBe(400);
      expect(res.json().error.code).toBe('invalid_month');
    }
    expect((await get('/api/reports/mrr?from=9998-01&to=9998-12')).statusCode).toBe(200);
  });
});

describe('write bodies are strict', () => {
  it('POST /api/admin/sync refuses an unknown key instead of starting a full sync', async () => {
    const res = await post('/api/admin/sync', { mode: 'incremental', object: ['plans'] });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    expect((await get('/api/admin/sync')).json().data).toEqual([]);
  });
});
