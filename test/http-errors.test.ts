import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from './support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

function expectErrorShape(body: unknown, code: string) {
  expect(body).toEqual({
    error: expect.objectContaining({
      code,
      message: expect.any(String),
      request_id: expect.stringMatching(/^req_/),
    }),
  });
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
}

describe('one error shape', () => {
  it('404 for an unknown route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expectErrorShape(res.json(), 'route_not_found');
    expect(res.headers['request-id']).toBe(res.json().error.request_id);
  });

  it('400 with the failing fields for a body that breaks the schema', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/plans',
      headers: bearer(t.adminKey),
      payload: { key: 'pro', name: '', prices: [{ currency: 'usd', interval: 'fortnight' }] },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expectErrorShape(body, 'validation_failed');
    const fields = body.error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'prices.0.interval']));
  });

  it('400 for malformed JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/plans',
      headers: { ...bearer(t.adminKey), 'content-type': 'application/json' },
      payload: '{"key": ',
    });
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 'bad_request');
  });

  it('413 for a body over 1 MB', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/plans',
      headers: { ...bearer(t.adminKey), 'content-type': 'application/json' },
      payload: JSON.stringify({ key: 'x', description: 'a'.repeat(1024 * 1024 + 10) }),
    });
    expect(res.statusCode).toBe(413);
    expectErrorShape(res.json(), 'payload_too_large');
  });
});

describe('health and metrics', () => {
  it('serves liveness, readiness of every dependency, and the Stripe mode', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
      ['database', true],
      ['queue', true],
      ['cache', true],
      ['stripe', true],
    ]);
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json().stripe).toEqual({
      mode: 'test',
      emulated: true,
    });
  });

  it('reports not ready when Stripe does not answer', async () => {
    // A second app whose emulator is stopped: its readiness must say so with a 503.
    const other = await startTestApp();
    await other.emulator.close();
    const res = await other.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks.find((c: { name: string }) => c.name === 'stripe').ok).toBe(false);
    await other.app.close();
    await other.services.close();
    await other.database.close();
  });

  it('exposes HTTP latency histograms to admin and service keys', async () => {
    await t.app.inject({ method: 'GET', url: '/api/plans' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(t.serviceKey) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/recur_http_request_duration_seconds_bucket\{.*route="\/api\/plans"/);
  });
});
