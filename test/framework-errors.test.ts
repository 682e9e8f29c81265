import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from './support/app.js';

let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as { port: number }).port;
});
afterAll(() => t.close());

function expectErrorShape(body: unknown, code: string) {
  expect(body).toEqual({
    error: { code, message: expect.any(String), request_id: expect.stringMatching(/^req_/) },
  });
}

/** Writes raw bytes on a new connection and resolves with all the server wrote before closing it. */
function exchange(raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(raw));
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString();
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(data));
    setTimeout(() => reject(new Error(`no close within 10 s; got ${data.slice(0, 200)}`)), 10_000).unref();
  });
}

function parseRaw(answer: string) {
  const [head, body] = answer.split('\r\n\r\n', 2) as [string, string];
  const headers = Object.fromEntries(
    head
      .split('\r\n')
      .slice(1)
      .map((line) => [
        line.slice(0, line.indexOf(':')).toLowerCase(),
        line.slice(line.indexOf(':') + 1).trim(),
      ]),
  );
  return { status: Number(head.split(' ')[1]), headers, body: JSON.parse(body) as unknown };
}

describe("Fastify's answers before routing take the one error shape", () => {
  it('414 for a path parameter over the router limit', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/plans/${'p'.repeat(500)}` });
    expect(res.statusCode).toBe(414);
    expectErrorShape(res.json(), 'uri_too_long');
    expect(res.headers['request-id']).toBe(res.json().error.request_id);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).not.toContain('ppppp');
  });

  it('400 for a URL that is not valid percent-encoding', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/plans/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 'bad_url');
    expect(res.headers['request-id']).toBe(res.json().error.request_id);
  });

  it('415 for a body of a content type no route takes', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/plans',
      headers: { ...bearer(t.adminKey), 'content-type': 'application/xml' },
      payload: '<plan/>',
    });
    expect(res.statusCode).toBe(415);
    expectErrorShape(res.json(), 'unsupported_media_type');
  });

  // Malformed JSON: test/http-errors.test.ts.
  it('400 for an empty body declared as JSON', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/plans',
      headers: { ...bearer(t.adminKey), 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 'bad_request');
  });
});

describe("Node's HTTP parser refusals take the one error shape", () => {
  it('431 for headers over the size limit, and the connection is closed', async () => {
    const answer = parseRaw(
      await exchange(`GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(20_000)}\r\n\r\n`),
    );
    expect(answer.status).toBe(431);
    expectErrorShape(answer.body, 'headers_too_large');
    expect(answer.headers['request-id']).toBe(
      (answer.body as { error: { request_id: string } }).error.request_id,
    );
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
  });

  it('431 for a request line over the size limit too', async () => {
    const answer = parseRaw(
      await exchange(`GET /api/plans?q=${'q'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`),
    );
    expect(answer.status).toBe(431);
    expectErrorShape(answer.body, 'headers_too_large');
  });

  it('400 for bytes that are not HTTP', async () => {
    const answer = parseRaw(await exchange('HELLO THERE\r\n\r\n'));
    expect(answer.status).toBe(400);
    expectErrorShape(answer.body, 'bad_request');
  });
});
