import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { createRecurRoutes } from '../src/express.js';
import { Recur, type RecurEvent } from '../src/index.js';

/**
 * Recur's own dispatcher delivering to a host app that receives with the SDK: what Recur signs is
 * what the SDK verifies, also across a secret rotation.
 */
let t: TestApp;
let recurUrl: string;
let hostUrl: string;
let routes: RequestHandler = (_request, _response, next) => next();
const received: RecurEvent[] = [];
let waiting: ((event: RecurEvent) => void) | null = null;
let refused: ((status: number) => void) | null = null;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  recurUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const host = express();
  host.use('/api/recur', (request, response, next) => {
    // A refused delivery would only be retried minutes later: the test fails at once instead.
    response.on('finish', () => {
      if (response.statusCode >= 400) refused?.(response.statusCode);
    });
    routes(request, response, next);
  });
  const server = host.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  hostUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.services.appWebhooks.start();
});
afterAll(async () => {
  for (const close of closers) await close();
  await t.close();
});

/** The host app from now on verifies with these secrets. */
function receiveWith(secrets: string[]) {
  const recur = new Recur({ baseUrl: recurUrl, apiKey: t.serviceKey, webhookSecret: secrets });
  routes = createRecurRoutes(recur, {
    getUser: () => null,
    onEvent: (event) => {
      received.push(event);
      waiting?.(event);
    },
  });
}

/** Asks Recur to ping the endpoint, and waits until the host app has taken that very message. */
async function pingArrives(admin: Recur, id: string): Promise<RecurEvent> {
  const arrived = new Promise<RecurEvent>((resolve, reject) => {
    waiting = resolve;
    refused = (status) => reject(new Error(`the host app answered ${status}`));
  });
  const { data } = await admin.api.POST('/api/admin/webhook-endpoints/{id}/test', {
    params: { path: { id } },
  });
  const event = await arrived;
  expect(received.at(-1)).toBe(event);
  expect(data?.message_id).toEqual(expect.any(String));
  return event;
}

describe('a delivery from Recur to an app that receives with the SDK', () => {
  it('verifies, before, during and after a secret rotation', async () => {
    const admin = new Recur({ baseUrl: recurUrl, apiKey: t.adminKey });
    const { data: created } = await admin.api.POST('/api/admin/webhook-endpoints', {
      body: { url: `${hostUrl}/api/recur/webhooks`, event_types: ['ping'] },
    });
    const id = created!.endpoint.id;
    receiveWith([created!.secret]);
    const first = await pingArrives(admin, id);
    expect(first).toMatchObject({ type: 'ping', data: { endpoint_id: id } });

    const { data: rotated } = await admin.api.POST('/api/admin/webhook-endpoints/{id}/rotate-secret', {
      params: { path: { id } },
      body: {},
    });
    // The app has not switched yet: the old secret still signs during the overlap.
    expect((await pingArrives(admin, id)).type).toBe('ping');
    receiveWith([rotated!.secret]);
    expect((await pingArrives(admin, id)).type).toBe('ping');
  });
});
