import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { startTestApp, type TestApp } from './support/app.js';

let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await startTestApp({
    RECUR_TRUST_PROXY: '1',
    RECUR_WEBHOOK_REFUSED_RATE_LIMIT: '3',
    RECUR_HTTP_REQUEST_TIMEOUT: '3',
    RECUR_HTTP_HEADERS_TIMEOUT: '2',
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as { port: number }).port;
});
afterAll(() => t.close());

describe('RECUR_TRUST_PROXY', () => {
  it('takes a hop count or proxy addresses, and refuses true with a clear line', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ RECUR_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ RECUR_TRUST_PROXY: '10.0.0.1, 10.8.0.0/16,::1' }).trustProxy).toEqual([
      '10.0.0.1',
      '10.8.0.0/16',
      '::1',
    ]);
    expect(() => loadConfig({ RECUR_TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ RECUR_TRUST_PROXY: 'true' })).toThrow(/number of proxies in front/);
    expect(() => loadConfig({ RECUR_TRUST_PROXY: 'proxy.local' })).toThrow(ConfigError);
  });

  it('a forged X-Forwarded-For cannot escape the rate limit: only the hop the proxy added counts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/stripe/webhook',
        payload: '{}',
        // The client wrote a new address each time; the one proxy in front appended the real one.
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i}, 203.0.113.7` },
        remoteAddress: '10.9.0.1',
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([400, 400, 400, 429, 429, 429]);
  });
});

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

const closed = (socket: Socket) =>
  new Promise<string>((resolve) => {
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString();
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(data));
  });

describe('slow clients', () => {
  it('cuts a client that sends its body one byte at a time (408) once the request timeout passes', async () => {
    const socket = await open();
    const ended = closed(socket);
    socket.write(
      'POST /stripe/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
    );
    const started = Date.now();
    const drip = setInterval(() => socket.writable && socket.write('a'), 300);
    const answer = await ended;
    clearInterval(drip);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // In the one error shape, like every other refusal.
    expect(answer).toMatch(
      /\r\n\r\n\{"error":\{"code":"request_timeout","message":"[^"]+","request_id":"req_[\w-]+"\}\}$/,
    );
    // Three seconds of timeout, checked every second, on a loaded machine.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('RECUR_HTTP_MAX_CONNECTIONS', () => {
  const cap = 3;
  let capped: TestApp;
  let cappedPort: number;
  beforeAll(async () => {
    capped = await startTestApp({ RECUR_HTTP_MAX_CONNECTIONS: String(cap) });
    await capped.app.listen({ port: 0, host: '127.0.0.1' });
    cappedPort = (capped.app.server.address() as { port: number }).port;
  });
  afterAll(() => capped.close());

  /** One keep-alive request on an open connection; resolves with the status line. */
  const request = (socket: Socket) =>
    new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        socket.off('data', onData);
        resolve(chunk.toString().split('\r\n')[0]!);
      };
      socket.on('data', onData);
      socket.once('close', () => reject(new Error('closed before answering')));
      socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    });

  it('refuses a connection over the cap at once, while the open ones keep working', async () => {
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < cap; i++) {
        const socket = connect(cappedPort, '127.0.0.1');
        socket.on('error', () => {});
        sockets.push(socket);
        // Answered: the server has counted this connection before the next one is opened.
        expect(await request(socket)).toBe('HTTP/1.1 200 OK');
      }
      const extra = connect(cappedPort, '127.0.0.1');
      sockets.push(extra);
      const started = Date.now();
      const answer = await closed(extra);
      expect(answer).toBe('');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await request(sockets[0]!)).toBe('HTTP/1.1 200 OK');
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });
});
