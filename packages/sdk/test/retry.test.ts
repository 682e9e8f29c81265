import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Recur, RecurError, retryingFetch } from '../src/index.js';

/** A local server that answers each request by a script, recording what it was sent. */
type Reply = (request: IncomingMessage, response: ServerResponse) => void;
let script: Reply[] = [];
const seen: { method: string; url: string; key: string | undefined; body: string }[] = [];
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => {
    body += chunk;
  });
  request.on('end', () => {
    const key = request.headers['idempotency-key'];
    seen.push({
      method: request.method!,
      url: request.url!,
      key: typeof key === 'string' ? key : undefined,
      body,
    });
    (script.shift() ?? json(500, { error: { code: 'internal_error', message: 'x', request_id: 'r' } }))(
      request,
      response,
    );
  });
});
let baseUrl: string;

const json =
  (status: number, body: unknown): Reply =>
  (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
const cut: Reply = (request) => request.socket.destroy();
const failure = json(500, { error: { code: 'internal_error', message: 'boom', request_id: 'req_1' } });
const created = json(201, { subscription_id: 'sub_1', status: 'active' });

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  script = [];
  seen.length = 0;
});

const recur = (retries = 3) => new Recur({ baseUrl, apiKey: 'rk_test', retries, retryDelayMs: 1 });
const body = { plan_id: 'pro', customer_email: 'a@example.com' };

describe('retries', () => {
  it('send a write again after a 500 with the same Idempotency-Key, made for the call', async () => {
    script = [failure, created];
    const answer = await recur().subscriptions.create(body);
    expect(answer).toMatchObject({ subscription_id: 'sub_1' });
    expect(seen).toHaveLength(2);
    expect(seen[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]).toEqual(seen[0]);
  });

  it("keep the caller's key across a connection cut before the answer", async () => {
    script = [cut, created];
    await recur().subscriptions.create(body, { idempotencyKey: 'mine-1' });
    expect(seen.map((request) => request.key)).toEqual(['mine-1', 'mine-1']);
  });

  it('make a new key for each call', async () => {
    script = [created, created];
    await recur().subscriptions.create(body);
    await recur().subscriptions.create(body);
    expect(seen[0]!.key).not.toBe(seen[1]!.key);
  });

  it('send a read again after a 503, and after a 409 idempotency_in_progress', async () => {
    script = [
      json(503, { error: { code: 'stripe_unavailable', message: 'x', request_id: 'r' } }),
      json(200, { data: [] }),
    ];
    expect(await recur().plans.list()).toEqual({ data: [] });
    expect(seen.map((request) => request.method)).toEqual(['GET', 'GET']);
    seen.length = 0;
    script = [
      json(409, { error: { code: 'idempotency_in_progress', message: 'x', request_id: 'r' } }),
      created,
    ];
    await recur().subscriptions.create(body);
    expect(seen).toHaveLength(2);
  });

  it('stop after the configured number and throw the last answer as a RecurError', async () => {
    script = [failure, failure, failure];
    const error = await recur(2)
      .subscriptions.create(body)
      .catch((thrown: unknown) => thrown);
    expect(seen).toHaveLength(3);
    expect(error).toBeInstanceOf(RecurError);
    expect(error).toMatchObject({ status: 500, code: 'internal_error', message: 'boom', requestId: 'req_1' });
  });

  it('never repeat a refusal (4xx)', async () => {
    script = [json(409, { error: { code: 'already_subscribed', message: 'x', request_id: 'r' } }), created];
    await expect(recur().subscriptions.create(body)).rejects.toMatchObject({
      status: 409,
      code: 'already_subscribed',
    });
    expect(seen).toHaveLength(1);
  });

  it('never repeat a write without an Idempotency-Key', async () => {
    script = [failure, created];
    const send = retryingFetch({ retries: 3, retryDelayMs: 1 });
    const response = await send(new Request(`${baseUrl}/anything`, { method: 'POST', body: '{}' }));
    expect(response.status).toBe(500);
    expect(seen).toHaveLength(1);
  });
});
