import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/observability/logger.js';
import { startTestApp, type TestApp } from './support/app.js';
import { stallBeside } from './support/stall.js';

/*
 * Every request is logged at info (as `recur serve` does), and the logger must cost the same
 * whatever a client sends. Before redaction was bounded, these requests froze the event loop for
 * seconds (a 15 kB query 2–6 s, a 100 kB field 12–28 s). The bound is far above what a loaded
 * machine adds to a liveness answer, and far below what a quadratic scrubber costs.
 */
const STALL_BOUND_MS = 1000;

let t: TestApp;
let base: string;
let logged = '';
beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logged += chunk.toString();
      done();
    },
  });
  t = await startTestApp({}, { logger: createLogger({ level: 'info', destination: sink }) });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  // The first call of each route compiles its code; that pause is not what is measured.
  await stallBeside(base, () => fetch(`${base}/api/plans?search=warm`));
  await stallBeside(base, () => fetch(`${base}/stripe/webhook`, { method: 'POST', body: '{}' }));
});
afterAll(() => t.close());

describe('no request stalls the others through the logger', () => {
  it('a 15 kB query string', async () => {
    const stall = await stallBeside(base, () => fetch(`${base}/api/plans?search=${'A'.repeat(15_000)}`));
    expect(stall.probes).toBeGreaterThan(0);
    expect(stall.maxMs).toBeLessThan(STALL_BOUND_MS);
  });

  it('a 100 kB field in a signed-in request', async () => {
    const stall = await stallBeside(base, () =>
      fetch(`${base}/api/plans`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ key: 'big', name: 'Big', description: 'A'.repeat(100_000) }),
      }),
    );
    expect(stall.status).toBe(400);
    expect(stall.maxMs).toBeLessThan(STALL_BOUND_MS);
  });

  it('a 1 MB unsigned webhook body', async () => {
    const stall = await stallBeside(base, () =>
      fetch(`${base}/stripe/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
        body: JSON.stringify({ id: 'evt_1', pad: 'A'.repeat(1_000_000) }),
      }),
    );
    expect(stall.status).toBe(400);
    expect(stall.maxMs).toBeLessThan(STALL_BOUND_MS);
  });

  it('logged those requests with their URLs cut to size and no body', () => {
    const lines = logged.trim().split('\n');
    expect(lines.length).toBeGreaterThan(6);
    for (const line of lines) expect(line.length).toBeLessThan(8_000);
    expect(logged).not.toContain(t.adminKey);
    expect(logged).toContain('more chars]');
  });
});
