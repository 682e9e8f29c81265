import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { createRecurRoutes as expressRoutes } from '../src/express.js';
import { createRecurRoutes as fastifyRoutes } from '../src/fastify.js';
import { createRecurRoutes as honoRoutes } from '../src/hono.js';
import { Recur, type RecurEvent, type RecurOptions } from '../src/index.js';
import { createBrowserClient } from '../src/react/index.js';
import { entitlementsUpdated, newSecret, signed } from './support/events.js';

/**
 * The routes the React components call, served by each framework with the SDK, in front of the
 * real Recur app: the browser's requests carry the app's user (here the `x-user` header stands in
 * for its session) and never a Recur key.
 */
let t: TestApp;
let baseUrl: string;
const secret = newSecret();
const closers: (() => Promise<unknown>)[] = [];
type Send = (request: Request) => Promise<Response>;

beforeAll(async () => {
  t = await startTestApp({ RECUR_APP_URL: 'https://app.example.com' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  await new Recur({ baseUrl, apiKey: t.adminKey }).plans.create({
    key: 'pro',
    name: 'Pro',
    benefits: [{ key: 'api_access', value: true }],
    prices: [{ currency: 'usd', unit_amount: 2900, interval: 'month' }],
  });
});
afterAll(async () => {
  for (const close of closers) await close();
  await t.close();
});

function setUp() {
  const recur = new Recur({ baseUrl, apiKey: t.serviceKey, webhookSecret: secret } satisfies RecurOptions);
  const events: RecurEvent[] = [];
  const options = {
    successUrl: 'https://app.example.com/welcome',
    onEvent: (event: RecurEvent) => {
      events.push(event);
    },
  };
  return { recur, events, options };
}

const userOf = (header: string | string[] | undefined | null) => (typeof header === 'string' ? header : null);

async function viaExpress(): Promise<{ send: Send } & ReturnType<typeof setUp>> {
  const setup = setUp();
  const app = express();
  app.use(
    '/api/recur',
    expressRoutes(setup.recur, { ...setup.options, getUser: (req) => userOf(req.headers['x-user']) }),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...setup,
    send: (request) => fetch(new Request(new URL(new URL(request.url).pathname, origin), request)),
  };
}

async function viaFastify(): Promise<{ send: Send } & ReturnType<typeof setUp>> {
  const setup = setUp();
  const app = Fastify();
  await app.register(
    fastifyRoutes(setup.recur, { ...setup.options, getUser: (req) => userOf(req.headers['x-user']) }),
    {
      prefix: '/api/recur',
    },
  );
  closers.push(() => app.close());
  return {
    ...setup,
    send: async (request) => {
      const answer = await app.inject({
        method: request.method as 'GET' | 'POST',
        url: new URL(request.url).pathname,
        headers: Object.fromEntries(request.headers),
        ...(request.method === 'POST' ? { payload: await request.text() } : {}),
      });
      return new Response(answer.body, { status: answer.statusCode });
    },
  };
}

async function viaHono(): Promise<{ send: Send } & ReturnType<typeof setUp>> {
  const setup = setUp();
  const app = new Hono();
  app.route(
    '/api/recur',
    honoRoutes(setup.recur, { ...setup.options, getUser: (c) => userOf(c.req.header('x-user')) }),
  );
  return { ...setup, send: async (request) => app.request(request) };
}

const call = async (send: Send, method: string, path: string, user?: string, body?: unknown) => {
  const response = await send(
    new Request(`http://app.test/api/recur${path}`, {
      method,
      headers: {
        ...(user ? { 'x-user': user } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }),
  );
  return { status: response.status, body: await response.json() };
};

describe.each([
  ['Express', viaExpress],
  ['Fastify', viaFastify],
  ['Hono', viaHono],
])('createRecurRoutes on %s', (name, serve) => {
  it('serves the plans, the user’s entitlements, Checkout and the portal for the signed-in user', async () => {
    const { send } = await serve();
    const user = `user_${name}`;
    const plans = await call(send, 'GET', '/plans');
    expect(plans.status).toBe(200);
    expect(plans.body.data.map((plan: { key: string }) => plan.key)).toEqual(['pro']);
    expect(await call(send, 'GET', '/entitlements', user)).toMatchObject({
      status: 200,
      body: { benefits: {} },
    });
    expect(await call(send, 'GET', '/entitlements')).toMatchObject({ status: 401 });
    expect(await call(send, 'POST', '/portal', user)).toMatchObject({
      status: 404,
      body: { error: { code: 'customer_not_found' } },
    });
    const checkout = await call(send, 'POST', '/checkout', user, {
      plan_id: 'pro',
      success_url: 'https://evil.example',
    });
    expect(checkout.status).toBe(200);
    expect(checkout.body.url).toMatch(/^http/);
    const session = await t.services.stripe.checkout.sessions.retrieve(checkout.body.id);
    expect(session.success_url).toBe('https://app.example.com/welcome');
    expect((await call(send, 'POST', '/portal', user)).body.url).toMatch(/^http/);
    expect(await call(send, 'POST', '/checkout', user, {})).toMatchObject({
      status: 400,
      body: { error: { code: 'validation_failed' } },
    });
  });

  it('takes verified webhooks into the cache and onEvent, and refuses a forged one', async () => {
    const { send, recur, events } = await serve();
    const user = `hooked_${name}`;
    const delivery = signed(entitlementsUpdated(user, 1, { api_access: true }), [secret]);
    const post = (body: string) =>
      send(
        new Request('http://app.test/api/recur/webhooks', {
          method: 'POST',
          // As Recur sends it: a framework's JSON parser must not get there first.
          headers: { ...delivery.headers, 'content-type': 'application/json' },
          body,
        }),
      );
    expect((await post(delivery.body)).status).toBe(200);
    expect(events.map((event) => event.type)).toEqual(['entitlements.updated']);
    expect(await recur.entitlements.check(user, 'api_access')).toMatchObject({
      allowed: true,
      source: 'cache',
    });
    const forged = await post(delivery.body.replace('true', 'false'));
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    expect(events).toHaveLength(1);
  });

  it('the browser client starts Checkout through these routes and sends the browser to Stripe', async () => {
    const { send } = await serve();
    const redirects: string[] = [];
    const browser = createBrowserClient({
      fetch: (input, init) => {
        const request = new Request(new URL(String(input), 'http://app.test'), init);
        request.headers.set('x-user', `browser_${name}`);
        return send(request);
      },
      redirect: (url) => redirects.push(url),
    });
    await browser.plans.load();
    const plan = browser.plans.snapshot().data![0]!;
    await browser.startCheckout({ plan_id: plan.id, price_id: plan.prices[0]!.id });
    expect(redirects).toHaveLength(1);
    expect(redirects[0]).toMatch(/^http/);
    await browser.entitlements.load();
    expect(browser.entitlements.snapshot()).toMatchObject({ data: { benefits: {} }, error: undefined });
    await expect(
      createBrowserClient({
        fetch: () => send(new Request('http://app.test/api/recur/portal', { method: 'POST' })),
      }).openPortal(),
    ).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });
});
