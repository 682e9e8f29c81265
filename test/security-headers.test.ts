import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from './support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('security headers', () => {
  it('/docs may not be framed, sniffed or leak its address', async () => {
    for (const url of ['/docs', '/docs/static/index.html', '/docs/json']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBeLessThan(400);
      const policy = String(res.headers['content-security-policy']);
      expect(policy, url).toContain("frame-ancestors 'none'");
      expect(policy, url).toContain("default-src 'self'");
      expect(policy, url).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
    }
  });

  it('API JSON is never sniffed, and answers with personal data are never stored by a cache', async () => {
    const user = await t.userToken('user_headers', { email: 'headers@example.com' });
    for (const [url, headers] of [
      ['/api/customers?limit=5', bearer(t.adminKey)],
      ['/api/me/customer', bearer(user)],
      ['/api/plans', {}],
      ['/api/nothing-here', {}],
    ] as const) {
      const res = await t.app.inject({ method: 'GET', url, headers });
      expect(res.headers['content-type'], url).toMatch(/^application\/json/);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('health answers are not sniffed either', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/live' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
