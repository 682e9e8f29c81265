import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { createPlan } from './support/billing.js';

/** The deployment's branding: set by admins, read by anyone (the billing page), passed to Checkout. */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());
beforeEach(() => t.reset());

const SMALL_PNG = `data:image/png;base64,${Buffer.from('\x89PNG\r\n\x1a\n-a-tiny-logo').toString('base64')}`;

const put = (payload: unknown, key = t.adminKey) =>
  t.app.inject({
    method: 'PUT',
    url: '/api/admin/settings/branding',
    headers: bearer(key),
    payload: payload as object,
  });
const read = async () => (await t.app.inject({ method: 'GET', url: '/api/branding' })).json();

describe('branding settings', () => {
  it('starts unset, is set by an admin, read by anyone, and changed field by field', async () => {
    expect(await read()).toEqual({
      product_name: null,
      logo_url: null,
      accent_color: null,
      support_email: null,
      support_url: null,
    });
    const res = await put({
      product_name: '  Acme Cloud ',
      logo_url: SMALL_PNG,
      accent_color: '#0B6E4F',
      support_email: 'help@acme.example',
      support_url: 'https://acme.example/support',
    });
    expect(res.statusCode, res.body).toBe(200);
    const all = {
      product_name: 'Acme Cloud',
      logo_url: SMALL_PNG,
      accent_color: '#0b6e4f',
      support_email: 'help@acme.example',
      support_url: 'https://acme.example/support',
    };
    expect(res.json()).toEqual(all);
    expect(await read()).toEqual(all);

    // Fields left out stay; null clears one.
    expect((await put({ support_url: null, accent_color: '#FFD60A' })).json()).toEqual({
      ...all,
      support_url: null,
      accent_color: '#ffd60a',
    });

    const audited = await queryRows<{
      changes: { before: Record<string, unknown>; after: Record<string, unknown> };
    }>(t.database.db, sql`select changes from audit_log where action = 'branding.update' order by id`);
    expect(audited).toHaveLength(2);
    // An inline logo is recorded by its size, not its bytes.
    expect(audited[0]!.changes.after.logo_url).toBe(
      `data:image/png;base64,…(${SMALL_PNG.length} characters)`,
    );
    expect(audited[1]!.changes).toEqual({
      before: { support_url: 'https://acme.example/support', accent_color: '#0b6e4f' },
      after: { support_url: null, accent_color: '#ffd60a' },
    });
  });

  it('refuses what it cannot show safely, and changes nothing', async () => {
    await put({ product_name: 'Acme Cloud', accent_color: '#0b6e4f' });
    const before = await read();
    const refused = [
      { accent_color: 'green' },
      { accent_color: '#0b6e4' },
      { logo_url: 'http://acme.example/logo.png' },
      { logo_url: 'javascript:alert(1)' },
      { logo_url: 'data:text/html;base64,PHNjcmlwdD4=' },
      { logo_url: `data:image/png;base64,${'A'.repeat(100_000)}` },
      { logo_url: 'data:image/png;base64,not base64!' },
      { product_name: '' },
      { product_name: 'x'.repeat(81) },
      { product_name: 'Acme\nCloud' },
      { support_email: 'not an email' },
      { support_url: 'ftp://acme.example' },
      { colour: '#000000' },
      {},
    ];
    for (const payload of refused) {
      const res = await put(payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(res.json().error.message).not.toBe('');
    }
    expect(await read()).toEqual(before);
  });

  it('is changed by admins only', async () => {
    const user = await t.userToken('user_mallory');
    expect((await put({ product_name: 'Evil' }, user)).statusCode).toBe(403);
    expect((await put({ product_name: 'Evil' }, t.serviceKey)).statusCode).toBe(403);
    const anonymous = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/settings/branding',
      payload: { product_name: 'Evil' },
    });
    expect(anonymous.statusCode).toBe(401);
    expect((await read()).product_name).toBeNull();
  });

  it('brands Stripe Checkout with the product name, accent colour and an https logo', async () => {
    await createPlan(t, { key: 'pro' });
    const user = await t.userToken('user_ann', { email: 'ann@example.com' });
    const checkout = async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/checkout/sessions',
        headers: bearer(user),
        payload: { plan_id: 'pro' },
      });
      expect(res.statusCode, res.body).toBe(201);
      return t.services.stripe.checkout.sessions.retrieve(res.json().id);
    };
    // Nothing set: the Stripe account's own branding.
    expect((await checkout()).branding_settings).toBeUndefined();

    await put({ product_name: 'Acme Cloud', accent_color: '#0B6E4F', logo_url: SMALL_PNG });
    // An inline logo stays on the billing page: Stripe takes images by URL or File upload only.
    expect((await checkout()).branding_settings).toMatchObject({
      display_name: 'Acme Cloud',
      button_color: '#0b6e4f',
      logo: null,
    });

    await put({ logo_url: 'https://cdn.acme.example/logo.png' });
    expect((await checkout()).branding_settings).toMatchObject({
      display_name: 'Acme Cloud',
      logo: { type: 'url', url: 'https://cdn.acme.example/logo.png' },
    });
  });

  it('lets the billing page load an https logo from its origin, and no other', async () => {
    const policy = async () => {
      const res = await t.app.inject({ method: 'GET', url: '/billing' });
      expect(res.statusCode, 'run npm run build:web first').toBe(200);
      return String(res.headers['content-security-policy']);
    };
    expect(await policy()).toContain("img-src 'self' data:;");
    await put({ logo_url: 'https://cdn.acme.example/brand/logo.svg' });
    expect(await policy()).toContain("img-src 'self' data: https://cdn.acme.example;");
    const admin = await t.app.inject({ method: 'GET', url: '/admin' });
    expect(String(admin.headers['content-security-policy'])).toContain("img-src 'self' data:;");
  });
});
