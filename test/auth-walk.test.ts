import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/auth/principal.js';
import { queryRows } from '../src/db/client.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';

/**
 * Walks every route the app registers. Each must declare who may call it; each protected route
 * must answer 401 with no credential and 403 to a role it does not admit, before doing anything.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const sample = (url: string) => url.replace(/:(\w+)/g, 'sample_$1').replace('*', 'x');

describe('the auth walk', () => {
  it('finds routes to walk, and every one declares its access', () => {
    expect(t.routes.length).toBeGreaterThan(10);
    for (const route of t.routes) expect(route.access).toBeDefined();
  });

  it('answers 401 to an unauthenticated call of every protected route', async () => {
    const protectedRoutes = t.routes.filter((r) => Array.isArray(r.access));
    expect(protectedRoutes.length).toBeGreaterThan(5);
    for (const route of protectedRoutes) {
      const res = await t.app.inject({
        method: route.method as 'GET',
        url: sample(route.url),
        payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
  });

  it('answers 403 to a role the route does not admit', async () => {
    const credentials: Record<Role, () => Promise<string>> = {
      admin: async () => t.adminKey,
      service: async () => t.serviceKey,
      user: () => t.userToken('user_walk'),
    };
    let checked = 0;
    for (const route of t.routes) {
      if (!Array.isArray(route.access)) continue;
      const wrong = (['user', 'service', 'admin'] as const).find((role) => !route.access.includes(role));
      if (!wrong) continue;
      const res = await t.app.inject({
        method: route.method as 'GET',
        url: sample(route.url),
        headers: bearer(await credentials[wrong]()),
        payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
      });
      expect(res.statusCode, `${route.method} ${route.url} as ${wrong}`).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('refuses unknown and revoked keys and bad tokens with 401', async () => {
    const cases = ['rk_notarealkey0000000000000000000', 'eyJhbGciOiJIUzI1NiJ9.e30.bad', 'Basic abc'];
    for (const credential of cases) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/admin/api-keys',
        headers: { authorization: credential.startsWith('Basic') ? credential : `Bearer ${credential}` },
      });
      expect(res.statusCode).toBe(401);
    }
    const { key, apiKey } = await t.services.apiKeys.create('to revoke', 'admin');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/admin/api-keys', headers: bearer(key) })).statusCode,
    ).toBe(200);
    await t.services.apiKeys.revoke(apiKey.id);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/admin/api-keys', headers: bearer(key) })).statusCode,
    ).toBe(401);
  });

  it('stores API keys only as hashes', async () => {
    const { key } = await t.services.apiKeys.create('hashed', 'service');
    const rows = await queryRows(t.database.db, sql`select * from api_keys`);
    expect(JSON.stringify(rows)).not.toContain(key);
  });
});
