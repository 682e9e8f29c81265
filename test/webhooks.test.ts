import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { signStripePayload } from '../src/stripe/signature.js';
import { startTestApp, type TestApp } from './support/app.js';

const SECRET = 'whsec_test_endpoint_secret';
const ROTATED = 'whsec_test_rotated_secret';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ STRIPE_WEBHOOK_RATE_LIMIT: '1000' });
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.reset();
  t.services.webhookSecrets.splice(0, Infinity, SECRET);
});

let sequence = 0;
function stripeEvent(type = 'customer.created', object: Record<string, unknown> = {}) {
  sequence++;
  return {
    id: `evt_test_${sequence}_${Date.now()}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: {
      object: {
        id: `cus_test_${sequence}`,
        object: 'customer',
        email: 'private@example.com',
        created: 1,
        ...object,
      },
    },
  };
}

function deliver(
  app: TestApp,
  body: string,
  signature: string | undefined,
  url = '/stripe/webhook',
  remoteAddress?: string,
) {
  return app.app.inject({
    method: 'POST',
    url,
    payload: body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(signature ? { 'stripe-signature': signature } : {}),
    },
    ...(remoteAddress ? { remoteAddress } : {}),
  });
}

async function storedEvents(app: TestApp = t) {
  return queryRows<{ external_id: string; type: string; status: string; payload: string; object_id: string }>(
    app.database.db,
    sql`select external_id, type, status, payload, object_id from events order by received_at`,
  );
}

describe('POST /stripe/webhook', () => {
  it('stores a signed event once, encrypted, and answers 200', async () => {
    const body = JSON.stringify(stripeEvent());
    const res = await deliver(t, body, signStripePayload(body, SECRET));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ received: true, duplicate: false });
    const rows = await storedEvents();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      type: 'customer.created',
      status: 'received',
      object_id: expect.stringMatching(/^cus_test_/),
    });
    expect(rows[0]!.payload).not.toContain('private@example.com');
    expect(t.services.cipher.decryptJson<{ id: string }>(rows[0]!.payload).id).toBe(JSON.parse(body).id);
  });

  it('answers a duplicate delivery 200 and stores it once', async () => {
    const body = JSON.stringify(stripeEvent());
    const first = await deliver(t, body, signStripePayload(body, SECRET));
    const again = await deliver(t, body, signStripePayload(body, SECRET));
    expect(first.json().duplicate).toBe(false);
    expect(again.statusCode).toBe(200);
    expect(again.json().duplicate).toBe(true);
    expect(await storedEvents()).toHaveLength(1);
  });

  it('is also mounted at /api/payments/webhook, and accepts every secret of a rotation', async () => {
    t.services.webhookSecrets.push(ROTATED);
    const body = JSON.stringify(stripeEvent());
    const res = await deliver(t, body, signStripePayload(body, ROTATED), '/api/payments/webhook');
    expect(res.statusCode).toBe(200);
    expect(await storedEvents()).toHaveLength(1);
  });

  it('stores event types no handler knows', async () => {
    const body = JSON.stringify(stripeEvent('issuing_card.created', { id: 'ic_1', object: 'issuing.card' }));
    expect((await deliver(t, body, signStripePayload(body, SECRET))).statusCode).toBe(200);
    const [row] = await storedEvents();
    const id = (await queryRows<{ id: string }>(t.database.db, sql`select id from events`))[0]!.id;
    expect(row!.type).toBe('issuing_card.created');
    expect(await t.services.worker.process(id)).toBe('ignored');
    expect((await storedEvents())[0]!.status).toBe('ignored');
  });

  const refusals: Array<[string, () => { body: string; signature: string | undefined }, number, string]> = [
    [
      'a wrong secret',
      () => ({
        body: JSON.stringify(stripeEvent()),
        signature: signStripePayload(JSON.stringify(stripeEvent()), 'whsec_other'),
      }),
      400,
      'invalid_signature',
    ],
    [
      'a body changed after signing',
      () => {
        const body = JSON.stringify(stripeEvent());
        return {
          body: body.replace('customer.created', 'customer.deleted'),
          signature: signStripePayload(body, SECRET),
        };
      },
      400,
      'invalid_signature',
    ],
    [
      'a stale timestamp',
      () => {
        const body = JSON.stringify(stripeEvent());
        return { body, signature: signStripePayload(body, SECRET, Math.floor(Date.now() / 1000) - 301) };
      },
      400,
      'invalid_signature',
    ],
    [
      'no signature',
      () => ({ body: JSON.stringify(stripeEvent()), signature: undefined }),
      400,
      'invalid_signature',
    ],
    [
      'malformed JSON, correctly signed',
      () => ({ body: '{"id": "evt_1", ', signature: signStripePayload('{"id": "evt_1", ', SECRET) }),
      400,
      'invalid_payload',
    ],
    [
      'JSON that is not an event',
      () => ({ body: '{"hello":"world"}', signature: signStripePayload('{"hello":"world"}', SECRET) }),
      400,
      'invalid_payload',
    ],
    [
      'JSON null, correctly signed',
      () => ({ body: 'null', signature: signStripePayload('null', SECRET) }),
      400,
      'invalid_payload',
    ],
    ['an empty body', () => ({ body: '', signature: signStripePayload('', SECRET) }), 400, 'empty_body'],
  ];

  it.each(refusals)('refuses %s and stores nothing', async (_name, make, status, code) => {
    const { body, signature } = make();
    const res = await deliver(t, body, signature);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(await storedEvents()).toHaveLength(0);
  });

  it('refuses a body over 1 MB with 413 and stores nothing', async () => {
    const body = JSON.stringify(stripeEvent('customer.updated', { description: 'x'.repeat(1024 * 1024) }));
    const res = await deliver(t, body, signStripePayload(body, SECRET));
    expect(res.statusCode).toBe(413);
    expect(await storedEvents()).toHaveLength(0);
  });
});

describe('when the service is under pressure', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await startTestApp({ STRIPE_WEBHOOK_RATE_LIMIT: '3' });
    limited.services.webhookSecrets.push(SECRET);
  });
  afterAll(() => limited.close());

  it('answers 429 past the per-client rate, and other clients are not affected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const body = JSON.stringify(stripeEvent());
      statuses.push(
        (await deliver(limited, body, signStripePayload(body, SECRET), '/stripe/webhook', '10.0.0.1'))
          .statusCode,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const body = JSON.stringify(stripeEvent());
    expect(
      (await deliver(limited, body, signStripePayload(body, SECRET), '/stripe/webhook', '10.0.0.2'))
        .statusCode,
    ).toBe(200);
    expect(await storedEvents(limited)).toHaveLength(4);
  });

  it('answers 503 when the database is down, so Stripe retries', async () => {
    await limited.database.close();
    const body = JSON.stringify(stripeEvent());
    const res = await deliver(limited, body, signStripePayload(body, SECRET), '/stripe/webhook', '10.0.0.3');
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('inbox_unavailable');
  });
});
