import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APP_EVENT_TYPES } from '../src/app-webhooks/catalog.js';
import { queryRows } from '../src/db/client.js';
import { startTestApp, type TestApp } from './support/app.js';
import { adminCall, createEndpoint, storedDeliveries, storedEndpoints } from './support/app-webhooks.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());
beforeEach(() => t.reset());

const ENDPOINTS = '/api/admin/webhook-endpoints';
const SECRET = /^whsec_[A-Za-z0-9+/]{32}$/;

describe('webhook endpoints', () => {
  it('are created with a secret shown once, stored encrypted, and listed, read and changed without it', async () => {
    const created = await adminCall(t, 'POST', ENDPOINTS, {
      url: 'http://127.0.0.1:4000/recur',
      description: 'Billing hooks',
      event_types: ['invoice.paid', 'entitlements.updated', 'invoice.paid'],
    });
    expect(created.status).toBe(201);
    const { endpoint, secret } = created.body;
    expect(secret).toMatch(SECRET);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(24);
    expect(endpoint).toMatchObject({
      id: expect.stringMatching(/^we_/),
      url: 'http://127.0.0.1:4000/recur',
      description: 'Billing hooks',
      event_types: ['invoice.paid', 'entitlements.updated'],
      enabled: true,
      disabled_reason: null,
      failing_since: null,
      previous_secret_expires_at: null,
    });

    const [row] = await storedEndpoints(t);
    expect(row!.secret_encrypted).not.toContain(secret.slice(6));
    expect(t.services.cipher.decrypt(row!.secret_encrypted)).toBe(secret);

    const reads = [
      await adminCall(t, 'GET', ENDPOINTS),
      await adminCall(t, 'GET', `${ENDPOINTS}/${endpoint.id}`),
      await adminCall(t, 'PATCH', `${ENDPOINTS}/${endpoint.id}`, { description: 'Renamed' }),
    ];
    for (const read of reads) {
      expect(read.status).toBe(200);
      expect(JSON.stringify(read.body)).not.toContain('whsec_');
    }
    expect(reads[0]!.body.data).toEqual([{ ...endpoint, updated_at: expect.any(String) }]);
    expect(reads[2]!.body).toMatchObject({ description: 'Renamed', url: endpoint.url });
  });

  it('take every type when event_types is absent or null, and a list replaces it', async () => {
    const { id } = await createEndpoint(t);
    expect((await adminCall(t, 'GET', `${ENDPOINTS}/${id}`)).body.event_types).toBeNull();
    const narrowed = await adminCall(t, 'PATCH', `${ENDPOINTS}/${id}`, { event_types: ['ping'] });
    expect(narrowed.body.event_types).toEqual(['ping']);
    const widened = await adminCall(t, 'PATCH', `${ENDPOINTS}/${id}`, { event_types: null });
    expect(widened.body.event_types).toBeNull();
    expect((await storedEndpoints(t))[0]!.event_types).toBeNull();
  });

  it('are disabled by hand and enabled again with their failure record cleared', async () => {
    const { id } = await createEndpoint(t, { enabled: false });
    expect((await storedEndpoints(t))[0]).toMatchObject({ enabled: false, disabled_reason: 'manual' });
    await t.database.db.execute(
      sql`update app_webhook_endpoints set disabled_reason = 'failing', failing_since = now() - interval '5 days'`,
    );
    const enabled = await adminCall(t, 'PATCH', `${ENDPOINTS}/${id}`, { enabled: true });
    expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null, failing_since: null });
    const disabled = await adminCall(t, 'PATCH', `${ENDPOINTS}/${id}`, { enabled: false });
    expect(disabled.body).toMatchObject({ enabled: false, disabled_reason: 'manual' });
  });

  it('are deleted with their deliveries', async () => {
    const { id } = await createEndpoint(t);
    await adminCall(t, 'POST', `${ENDPOINTS}/${id}/test`);
    expect(await storedDeliveries(t)).toHaveLength(1);
    const deleted = await adminCall(t, 'DELETE', `${ENDPOINTS}/${id}`);
    expect(deleted).toMatchObject({ status: 200, body: { id } });
    expect(await storedEndpoints(t)).toEqual([]);
    expect(await storedDeliveries(t)).toEqual([]);
    expect((await adminCall(t, 'GET', `${ENDPOINTS}/${id}`)).body.error.code).toBe('not_found');
    expect((await adminCall(t, 'DELETE', `${ENDPOINTS}/${id}`)).status).toBe(404);
  });

  it('rotate their secret: the new one shown once, the old one kept for the overlap', async () => {
    const { id, secret: first } = await createEndpoint(t);
    const rotated = await adminCall(t, 'POST', `${ENDPOINTS}/${id}/rotate-secret`, { overlap_hours: 2 });
    expect(rotated.status).toBe(200);
    const second = rotated.body.secret;
    expect(second).toMatch(SECRET);
    expect(second).not.toBe(first);
    const ends = new Date(rotated.body.endpoint.previous_secret_expires_at).getTime();
    expect(Math.abs(ends - (Date.now() + 2 * 3_600_000))).toBeLessThan(60_000);
    const [row] = await storedEndpoints(t);
    expect(t.services.cipher.decrypt(row!.secret_encrypted)).toBe(second);
    expect(t.services.cipher.decrypt(row!.previous_secret_encrypted!)).toBe(first);
    expect(JSON.stringify((await adminCall(t, 'GET', `${ENDPOINTS}/${id}`)).body)).not.toContain('whsec_');

    const byDefault = await adminCall(t, 'POST', `${ENDPOINTS}/${id}/rotate-secret`, {});
    const defaultEnd = new Date(byDefault.body.endpoint.previous_secret_expires_at).getTime();
    expect(Math.abs(defaultEnd - (Date.now() + 24 * 3_600_000))).toBeLessThan(60_000);
    expect(t.services.cipher.decrypt((await storedEndpoints(t))[0]!.previous_secret_encrypted!)).toBe(second);

    const atOnce = await adminCall(t, 'POST', `${ENDPOINTS}/${id}/rotate-secret`, { overlap_hours: 0 });
    expect(atOnce.body.endpoint.previous_secret_expires_at).toBeNull();
    expect((await storedEndpoints(t))[0]).toMatchObject({
      previous_secret_encrypted: null,
      previous_secret_expires_at: null,
    });
  });

  it('send a test ping to that endpoint only, enabled or not', async () => {
    await createEndpoint(t, { url: 'http://127.0.0.1:9/all' });
    const { id } = await createEndpoint(t, { event_types: ['invoice.paid'], enabled: false });
    const sent = await adminCall(t, 'POST', `${ENDPOINTS}/${id}/test`);
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({
      message_id: expect.stringMatching(/^msg_/),
      delivery_id: expect.any(String),
    });
    const deliveries = await storedDeliveries(t);
    expect(deliveries).toEqual([
      expect.objectContaining({
        id: sent.body.delivery_id,
        message_id: sent.body.message_id,
        endpoint_id: id,
        status: 'pending',
        attempts: 0,
      }),
    ]);
    const [message] = await queryRows<{ type: string; body: string }>(
      t.database.db,
      sql`select type, body from app_webhook_messages`,
    );
    expect(message!.type).toBe('ping');
    expect(JSON.parse(message!.body)).toMatchObject({
      type: 'ping',
      subject: `endpoint:${id}`,
      sequence: 1,
      data: { endpoint_id: id },
    });
    const again = await adminCall(t, 'POST', `${ENDPOINTS}/${id}/test`);
    expect(again.body.message_id).not.toBe(sent.body.message_id);
    expect(await storedDeliveries(t)).toHaveLength(2);
    expect((await adminCall(t, 'POST', `${ENDPOINTS}/we_missing/test`)).status).toBe(404);
  });
});

describe('webhook endpoint input', () => {
  const refused = [
    ['another scheme', { url: 'ftp://127.0.0.1/hooks' }, 'invalid_webhook_url'],
    ['credentials in the URL', { url: 'http://user:pass@127.0.0.1/hooks' }, 'invalid_webhook_url'],
    ['not a URL', { url: 'not a url' }, 'invalid_webhook_url'],
    ['a URL over 2,048 characters', { url: `http://127.0.0.1/${'a'.repeat(2032)}` }, 'validation_failed'],
    ['an empty URL', { url: '' }, 'validation_failed'],
    ['no URL', {}, 'validation_failed'],
    [
      'an unknown event type',
      { url: 'http://127.0.0.1/h', event_types: ['invoice.created'] },
      'validation_failed',
    ],
    ['no event type', { url: 'http://127.0.0.1/h', event_types: [] }, 'validation_failed'],
    ['a long description', { url: 'http://127.0.0.1/h', description: 'x'.repeat(501) }, 'validation_failed'],
    ['an unknown key', { url: 'http://127.0.0.1/h', secret: 'whsec_mine' }, 'validation_failed'],
    ['a NUL', { url: 'http://127.0.0.1/h\u0000' }, 'validation_failed'],
  ] as const;

  it.each(refused)('refuses %s, creating nothing', async (_case, body, code) => {
    const res = await adminCall(t, 'POST', ENDPOINTS, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toBeTruthy();
    expect(await storedEndpoints(t)).toEqual([]);
  });

  it('takes a URL of 2,048 characters', async () => {
    const url = `http://127.0.0.1/${'a'.repeat(2031)}`;
    expect(url).toHaveLength(2048);
    expect((await adminCall(t, 'POST', ENDPOINTS, { url })).status).toBe(201);
  });

  it('says why a URL was refused', async () => {
    const res = await adminCall(t, 'POST', ENDPOINTS, { url: 'http://u:p@127.0.0.1/hooks' });
    expect(res.body.error.message).toMatch(/credentials/);
    expect(res.body.error.details.reason).toMatch(/credentials/);
  });

  it('refuses a bad change, a change of nothing, and a bad overlap, changing nothing', async () => {
    const { id } = await createEndpoint(t);
    const before = await storedEndpoints(t);
    const cases: Array<[string, string, unknown]> = [
      ['PATCH', `${ENDPOINTS}/${id}`, {}],
      ['PATCH', `${ENDPOINTS}/${id}`, { url: 'gopher://127.0.0.1/' }],
      ['PATCH', `${ENDPOINTS}/${id}`, { enabled: 'yes' }],
      ['PATCH', `${ENDPOINTS}/${id}`, { id: 'we_other' }],
      ['PATCH', `${ENDPOINTS}/${id}`, { event_types: [APP_EVENT_TYPES[0], 'nope'] }],
      ['POST', `${ENDPOINTS}/${id}/rotate-secret`, { overlap_hours: 169 }],
      ['POST', `${ENDPOINTS}/${id}/rotate-secret`, { overlap_hours: -1 }],
      ['POST', `${ENDPOINTS}/${id}/rotate-secret`, { overlap_hours: 1.5 }],
      ['POST', `${ENDPOINTS}/${id}/rotate-secret`, { overlap_hours: 1, keep: true }],
    ];
    for (const [method, url, body] of cases) {
      const res = await adminCall(t, method as 'POST', url, body);
      expect(res.status, `${method} ${url} ${JSON.stringify(body)}`).toBe(400);
    }
    expect(await storedEndpoints(t)).toEqual(before);
    expect((await adminCall(t, 'PATCH', `${ENDPOINTS}/we_missing`, { enabled: false })).status).toBe(404);
    expect((await adminCall(t, 'POST', `${ENDPOINTS}/we_missing/rotate-secret`, {})).status).toBe(404);
  });
});

describe('who may manage webhook endpoints', () => {
  it('admins only: a service key and a user are forbidden, no credential is unauthorized', async () => {
    const { id } = await createEndpoint(t);
    const routes: Array<[string, string, unknown]> = [
      ['GET', ENDPOINTS, undefined],
      ['POST', ENDPOINTS, { url: 'http://127.0.0.1:9/x' }],
      ['GET', `${ENDPOINTS}/${id}`, undefined],
      ['PATCH', `${ENDPOINTS}/${id}`, { enabled: false }],
      ['POST', `${ENDPOINTS}/${id}/rotate-secret`, {}],
      ['POST', `${ENDPOINTS}/${id}/test`, undefined],
      ['GET', `${ENDPOINTS}/${id}/deliveries`, undefined],
      ['POST', `${ENDPOINTS}/${id}/resend-failed`, { since: '2026-01-01T00:00:00Z' }],
      ['GET', '/api/admin/webhook-deliveries/dlv_x', undefined],
      ['POST', '/api/admin/webhook-deliveries/dlv_x/resend', undefined],
      ['DELETE', `${ENDPOINTS}/${id}`, undefined],
    ];
    const before = await storedEndpoints(t);
    const user = await t.userToken('user_1');
    for (const [method, url, body] of routes) {
      const as = (credential: string | null) => adminCall(t, method as 'GET', url, body, credential);
      expect((await as(null)).status, `${method} ${url}`).toBe(401);
      expect((await as(t.serviceKey)).status, `${method} ${url} as service`).toBe(403);
      expect((await as(user)).status, `${method} ${url} as user`).toBe(403);
    }
    expect(await storedEndpoints(t)).toEqual(before);
    expect(await storedDeliveries(t)).toEqual([]);
    for (const [method, url, body] of routes) {
      const res = await adminCall(t, method as 'GET', url, body);
      expect(res.status, `${method} ${url} as admin`).toBeLessThan(500);
      expect([401, 403]).not.toContain(res.status);
    }
  });
});
