import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requireEntitlement as expressGate } from '../src/express.js';
import { requireEntitlement as fastifyGate } from '../src/fastify.js';
import { requireEntitlement as honoGate } from '../src/hono.js';
import { Recur } from '../src/index.js';
import { entitlementsServer } from './support/entitlements-server.js';

/** Each framework's real server with the gate on `GET /api/data`; the user comes in `x-user`. */
type Call = (userId?: string) => Promise<{ status: number; body: unknown }>;
type Policy = 'allow' | 'deny';

let recur: Server;
type Server = Awaited<ReturnType<typeof entitlementsServer>>;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  recur = await entitlementsServer();
  closers.push(recur.close);
});
afterAll(async () => {
  for (const close of closers) await close();
});
beforeEach(() => {
  recur.benefits.set('paid', { api_access: true });
  recur.benefits.set('free', { api_access: false });
  recur.state.down = false;
});

const client = () => new Recur({ baseUrl: recur.url, apiKey: 'rk_test', retries: 0 });
const headersFor = (userId?: string): Record<string, string> => (userId ? { 'x-user': userId } : {});

async function viaExpress(onUnavailable: Policy): Promise<Call> {
  const app = express();
  const gate = expressGate(client(), 'api_access', {
    getUserId: (request) => request.header('x-user'),
    onUnavailable,
  });
  app.get('/api/data', gate, (_request, response) => {
    response.json({ data: 'secret' });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/data`;
  return async (userId) => {
    const response = await fetch(url, { headers: headersFor(userId) });
    return { status: response.status, body: await response.json() };
  };
}

async function viaFastify(onUnavailable: Policy): Promise<Call> {
  const app = Fastify();
  const preHandler = fastifyGate(client(), 'api_access', {
    getUserId: (request) => request.headers['x-user'] as string | undefined,
    onUnavailable,
  });
  app.get('/api/data', { preHandler }, async () => ({ data: 'secret' }));
  closers.push(() => app.close());
  return async (userId) => {
    const response = await app.inject({ method: 'GET', url: '/api/data', headers: headersFor(userId) });
    return { status: response.statusCode, body: response.json() };
  };
}

async function viaHono(onUnavailable: Policy): Promise<Call> {
  const app = new Hono();
  const gate = honoGate(client(), 'api_access', {
    getUserId: (context) => context.req.header('x-user'),
    onUnavailable,
  });
  app.get('/api/data', gate, (context) => context.json({ data: 'secret' }));
  return async (userId) => {
    const response = await app.request('/api/data', { headers: headersFor(userId) });
    return { status: response.status, body: await response.json() };
  };
}

describe.each([
  ['Express', viaExpress],
  ['Fastify', viaFastify],
  ['Hono', viaHono],
])('requireEntitlement on %s', (_name, serve) => {
  it('lets an entitled user through and answers 402 entitlement_required to one without', async () => {
    const call = await serve('deny');
    expect(await call('paid')).toEqual({ status: 200, body: { data: 'secret' } });
    const refused = await call('free');
    expect(refused.status).toBe(402);
    expect(refused.body).toEqual({
      error: {
        code: 'entitlement_required',
        message: 'This needs the "api_access" entitlement',
        feature: 'api_access',
        value: false,
      },
    });
    expect((await call('nobody')).status).toBe(402);
  });

  it('answers 401 without a signed-in user', async () => {
    const call = await serve('deny');
    expect(await call()).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
  });

  it('obeys onUnavailable while Recur is down and nothing is cached', async () => {
    recur.state.down = true;
    expect(await (await serve('deny'))('paid')).toMatchObject({
      status: 503,
      body: { error: { code: 'entitlements_unavailable', feature: 'api_access' } },
    });
    expect(await (await serve('allow'))('paid')).toEqual({ status: 200, body: { data: 'secret' } });
  });
});
