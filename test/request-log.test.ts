import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/observability/logger.js';
import { startTestApp, type TestApp } from './support/app.js';

/**
 * Every request leaves one log line once it is answered: what was asked, by whom, the answer's
 * status and how long it took, with the secrets of its URL scrubbed. One, not two: at the webhook
 * endpoint's rates the log line is a large part of a request's cost.
 */
const lines: Array<Record<string, unknown>> = [];
let t: TestApp;

beforeAll(async () => {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  t = await startTestApp({}, { logger: createLogger({ level: 'info', destination }) });
});
afterAll(() => t.close());

describe('the request log', () => {
  it('is one line per request, written when it is answered', async () => {
    const answered = await t.app.inject({
      method: 'GET',
      url: '/api/plans?token=rk_live_0123456789abcdef&limit=5',
      remoteAddress: '203.0.113.9',
    });
    const missing = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    const requestLines = (id: unknown) => lines.filter((line) => line.reqId === id);

    const [line, ...more] = requestLines(answered.headers['request-id']);
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { method: 'GET', url: '/api/plans?token=[redacted]&limit=5', remoteAddress: '203.0.113.9' },
      res: { statusCode: answered.statusCode },
    });
    expect(line!.responseTime).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain('rk_live_0123456789abcdef');

    expect(requestLines(missing.headers['request-id']).map((l) => [l.msg, l.res])).toEqual([
      ['request completed', { statusCode: 404 }],
    ]);
  });
});
