import { sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BillingLinkSecret } from '../src/billing-links/secret.js';
import { BillingLinkService } from '../src/billing-links/service.js';
import { BILLING_LINK_AUDIENCE, BILLING_LINK_ISSUER } from '../src/billing-links/tokens.js';
import { queryRows } from '../src/db/client.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { createPlan } from './support/billing.js';

/**
 * Billing links: the host app's backend asks for one, the billing page presents its token, and the
 * token acts as that user on the user routes and nowhere else.
 */
const PUBLIC = 'https://recur.example.com';
// Configured here because each test empties the settings table, where a generated one would live;
// the generated secret has a test of its own below.
const LINK_SECRET = 'billing-link-secret-of-these-tests-0123456789';
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({
    RECUR_PUBLIC_URL: PUBLIC,
    RECUR_APP_URL: 'https://app.example.com',
    RECUR_BILLING_LINK_SECRET: LINK_SECRET,
  });
});
afterAll(() => t.close());
beforeEach(() => t.reset());

async function createLink(body: Record<string, unknown>, key = t.serviceKey) {
  return t.app.inject({ method: 'POST', url: '/api/billing/links', headers: bearer(key), payload: body });
}

async function tokenFor(userId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await createLink({ user_id: userId, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return tokenOf(res.json().url);
}

const get = (url: string, credential: string) =>
  t.app.inject({ method: 'GET', url, headers: bearer(credential) });

const secretOf = (configured: string | undefined) =>
  new BillingLinkSecret({ db: t.database.db, cipher: t.services.cipher, configured });

/** Another instance of Recur, configured alike. */
const otherInstance = (now?: () => Date, secret = secretOf(LINK_SECRET)) =>
  new BillingLinkService({ secret, publicOrigin: t.services.publicOrigin, ...(now ? { now } : {}) });

const tokenOf = (url: string) => new URL(url).hash.slice('#token='.length);

describe('POST /api/billing/links', () => {
  it('makes a link to the billing page whose token acts as the user on their own routes', async () => {
    const before = Date.now();
    const res = await createLink({ user_id: 'user_link', email: 'link@example.com', name: 'Lin K' });
    const after = Date.now();
    expect(res.statusCode, res.body).toBe(201);
    const { url, expires_at } = res.json();
    expect(url).toMatch(new RegExp(`^${PUBLIC}/billing#token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    // Fifteen minutes from the request, in whole seconds (a token's expiry has no milliseconds).
    const expires = Date.parse(expires_at);
    expect(expires % 1000).toBe(0);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 15 * 60_000);
    expect(expires).toBeLessThanOrEqual(after + 15 * 60_000);

    const token = tokenOf(url);
    const entitlements = await get('/api/me/entitlements', token);
    expect(entitlements.statusCode, entitlements.body).toBe(200);
    expect(entitlements.json().user_id).toBe('user_link');
    expect((await get('/api/me/subscriptions', token)).json()).toEqual({ data: [] });
    expect((await get('/api/me/invoices', token)).statusCode).toBe(200);

    // The link's email and name fill in the customer made at the first Checkout.
    await createPlan(t, { key: 'basic', prices: [{ currency: 'usd', unit_amount: 900, interval: 'month' }] });
    const checkout = await t.app.inject({
      method: 'POST',
      url: '/api/checkout/sessions',
      headers: bearer(token),
      payload: { plan_id: 'basic' },
    });
    expect(checkout.statusCode, checkout.body).toBe(201);
    const customer = await get('/api/me/customer', token);
    expect(customer.json()).toMatchObject({
      external_id: 'user_link',
      email: 'link@example.com',
      name: 'Lin K',
    });
  });

  it('is accepted by every instance configured alike, and admins may ask for one too', async () => {
    const link = await otherInstance().createLink({ userId: 'user_elsewhere' }, 300);
    expect((await get('/api/me/entitlements', tokenOf(link.url))).json().user_id).toBe('user_elsewhere');
    expect((await createLink({ user_id: 'user_admin_made', expires_in: 60 }, t.adminKey)).statusCode).toBe(
      201,
    );
  });

  it('without a configured secret, generates one once, keeps it sealed, and all instances share it', async () => {
    const [first, second] = [secretOf(undefined), secretOf(undefined)];
    const [a, b] = await Promise.all([first.key(), second.key()]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(a.length).toBeGreaterThanOrEqual(32);
    const rows = await queryRows<{ value: unknown }>(
      t.database.db,
      sql`select value from settings where key = 'billing_link_secret'`,
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0]!.value)).not.toContain(Buffer.from(a).toString());

    const link = await otherInstance(undefined, first).createLink({ userId: 'user_shared' }, 300);
    expect(await otherInstance(undefined, second).verify(tokenOf(link.url))).toEqual({
      userId: 'user_shared',
    });
    // A restarted instance reads the same secret back.
    expect(await otherInstance(undefined, secretOf(undefined)).verify(tokenOf(link.url))).toEqual({
      userId: 'user_shared',
    });
    // And a link made with another secret is refused.
    expect(await otherInstance().verify(tokenOf(link.url))).toBeNull();
  });

  it('refuses expired, tampered and foreign tokens with 401', async () => {
    const expired = await otherInstance(() => new Date(Date.now() - 3_600_000)).createLink(
      { userId: 'user_late' },
      900,
    );
    const good = await tokenFor('user_t');
    const [head, body, signature] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forgedBody = Buffer.from(JSON.stringify({ ...claims, sub: 'user_victim' })).toString('base64url');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const key = new TextEncoder().encode(LINK_SECRET);
    const signed = (audience: string, issuer = BILLING_LINK_ISSUER) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('user_t')
        .setAudience(audience)
        .setIssuer(issuer)
        .setExpirationTime('5m')
        .sign(key);

    const refused: Array<[string, string]> = [
      ['expired', tokenOf(expired.url)],
      ['claims changed', `${head}.${forgedBody}.${signature}`],
      ['signature changed', `${head}.${body}.${flipped}`],
      ['another audience', await signed('recur-admin')],
      ['another issuer', await signed(BILLING_LINK_AUDIENCE, 'someone-else')],
      ['unsigned', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`],
    ];
    for (const [what, token] of refused) {
      const res = await get('/api/me/entitlements', token);
      expect(res.statusCode, what).toBe(401);
      expect(res.json().error.code, what).toBe('unauthorized');
    }
    expect((await get('/api/me/entitlements', await signed(BILLING_LINK_AUDIENCE))).statusCode).toBe(200);
  });

  it('gives a user, never an operator: admin and service routes answer 403', async () => {
    const token = await tokenFor('user_climber');
    for (const url of ['/api/admin/api-keys', '/api/customers', '/api/users/user_other/entitlements']) {
      const res = await get(url, token);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    const linkAsUser = await createLink({ user_id: 'user_other' }, token);
    expect(linkAsUser.statusCode).toBe(403);
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/billing/links',
      payload: { user_id: 'x' },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('still accepts the host app’s own user JWTs beside billing links', async () => {
    const res = await get('/api/me/entitlements', await t.userToken('user_host'));
    expect(res.json().user_id).toBe('user_host');
  });

  it('refuses bad input with 400 and a message naming the field', async () => {
    const cases: Array<[string, unknown]> = [
      ['no user id', {}],
      ['blank user id', { user_id: '  ' }],
      ['user id too long', { user_id: 'u'.repeat(201) }],
      ['user id not text', { user_id: 42 }],
      ['bad email', { user_id: 'u1', email: 'not-an-email' }],
      ['blank name', { user_id: 'u1', name: '' }],
      ['too short a life', { user_id: 'u1', expires_in: 59 }],
      ['too long a life', { user_id: 'u1', expires_in: 86_401 }],
      ['fractional life', { user_id: 'u1', expires_in: 90.5 }],
      ['life as text', { user_id: 'u1', expires_in: '900' }],
      ['unknown field', { user_id: 'u1', role: 'admin' }],
      ['not an object', ['u1']],
    ];
    for (const [what, body] of cases) {
      const res = await createLink(body as Record<string, unknown>);
      expect(res.statusCode, what).toBe(400);
      expect(res.json().error.code, what).toBe('validation_failed');
      expect(res.json().error.message.length, what).toBeGreaterThan(0);
    }
  });
});

describe('return URLs on Recur’s own billing page', () => {
  it('accepts the billing page on the public origin and nothing else of that origin', async () => {
    await createPlan(t, { key: 'basic', prices: [{ currency: 'usd', unit_amount: 900, interval: 'month' }] });
    const token = await tokenFor('user_return', { email: 'ret@example.com' });
    const checkout = (body: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/checkout/sessions',
        headers: bearer(token),
        payload: { plan_id: 'basic', ...body },
      });
    const refused = [
      `${PUBLIC}/admin`,
      `${PUBLIC}/billingx`,
      `${PUBLIC}/`,
      `${PUBLIC}/api/plans`,
      'https://recur.example.com.evil.example/billing',
      'https://evil.example/billing?checkout=success',
      'http://recur.example.com/billing',
      `${PUBLIC}:8443/billing`,
    ];
    for (const success_url of refused) {
      const res = await checkout({ success_url });
      expect(res.statusCode, success_url).toBe(400);
      expect(res.json().error.code, success_url).toBe('redirect_not_allowed');
    }
    const portalRefused = await t.app.inject({
      method: 'POST',
      url: '/api/portal/sessions',
      headers: bearer(token),
      payload: { return_url: `${PUBLIC}/admin` },
    });
    expect(portalRefused.json().error.code).toBe('redirect_not_allowed');

    const ok = await checkout({
      success_url: `${PUBLIC}/billing?checkout=success`,
      cancel_url: `${PUBLIC}/billing/?checkout=cancelled`,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const portal = await t.app.inject({
      method: 'POST',
      url: '/api/portal/sessions',
      headers: bearer(token),
      payload: { return_url: `${PUBLIC}/billing?portal=return` },
    });
    expect(portal.statusCode, portal.body).toBe(201);
  });
});
