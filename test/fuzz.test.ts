import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/auth/principal.js';
import { loadFuzzSettings } from '../src/config.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import {
  type Caller,
  dataSnapshot,
  type FuzzCase,
  fuzzCases,
  type Operation,
  operations,
} from './support/fuzz.js';

/**
 * Every operation of openapi.json fuzzed from its own schema, as anonymous, as a role it refuses, as
 * one it admits and with a billing-link token. Never a 5xx; every 4xx in the one error shape; a
 * refused request changes no row and no Stripe object. `npm test` runs a fixed seed; `npm run fuzz`
 * runs more (FUZZ_RUNS, FUZZ_SEED: the seed of a failing run is printed to replay it).
 */
const { runs: RUNS, seed: SEED } = loadFuzzSettings();

let t: TestApp;
let known: { ids: string[] };
let billingLinkToken: string;
beforeAll(async () => {
  t = await startTestApp({ RECUR_PAYMENT_WEBHOOK_SECRET: 'payment-provider-secret-of-the-fuzz-test' });
  const plan = await t.app.inject({
    method: 'POST',
    url: '/api/plans',
    headers: bearer(t.adminKey),
    payload: {
      key: 'pro',
      name: 'Pro',
      force: true,
      prices: [{ currency: 'usd', unit_amount: 1000, interval: 'month' }],
    },
  });
  expect(plan.statusCode, plan.body).toBe(201);
  const link = await t.app.inject({
    method: 'POST',
    url: '/api/billing/links',
    headers: bearer(t.serviceKey),
    payload: { user_id: 'user_fuzz' },
  });
  billingLinkToken = new URL(link.json().url).hash.replace('#token=', '');
  known = { ids: ['pro', plan.json().id, plan.json().prices[0].id, 'user_fuzz', 'cus_000000000000'] };
}, 120_000);
afterAll(() => t?.close());

/** Work a request starts in the background must not run on under the snapshots: only hostile bodies. */
const startsBackgroundWork = (op: Operation) => op.method === 'POST' && op.path === '/api/admin/sync';

function credentialFor(op: Operation, caller: Caller, tokens: Record<Role, string>): Record<string, string> {
  const route = t.routes.find(
    (r) => r.method === op.method && r.url === op.path.replace(/\{(\w+)\}/g, ':$1'),
  );
  const access = route?.access;
  if (caller === 'anonymous') return {};
  if (caller === 'billing link') return bearer(billingLinkToken);
  if (!Array.isArray(access)) return caller === 'right role' ? {} : bearer(tokens.user);
  const roles: Role[] = ['admin', 'service', 'user'];
  const role: Role | undefined =
    caller === 'right role' ? (access[0] as Role) : roles.find((r) => !access.includes(r));
  return role ? bearer(tokens[role]) : {};
}

const describeCase = (c: FuzzCase) =>
  `${c.operation.method} ${c.url.slice(0, 300)} as ${c.caller}, ${c.payload.contentType ?? 'no body'}: ${(c.payload.raw ?? '').slice(0, 200)}`;

describe('the API under fuzzed input', () => {
  it(
    `answers ${RUNS} schema-driven hostile requests (seed ${SEED}) with no 5xx, the error shape and no change`,
    async () => {
      const ops = operations();
      expect(ops.length).toBeGreaterThan(50);
      const cases = fc.sample(fuzzCases(ops, known, startsBackgroundWork), { seed: SEED, numRuns: RUNS });
      const tokens: Record<Role, string> = {
        admin: t.adminKey,
        service: t.serviceKey,
        user: await t.userToken('user_fuzz'),
      };
      const failures: string[] = [];
      let before = await dataSnapshot(t);
      const statuses = new Map<number, number>();
      for (const c of cases) {
        const res = await t.app.inject({
          method: c.operation.method as 'GET',
          url: c.url,
          headers: {
            ...credentialFor(c.operation, c.caller, tokens),
            ...(c.payload.contentType ? { 'content-type': c.payload.contentType } : {}),
          },
          ...(c.payload.raw !== null ? { payload: c.payload.raw } : {}),
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        // Reads are compared at the next write or at the end, which still catches a read that writes.
        const reads = c.operation.method === 'GET' && c !== cases.at(-1);
        const after = reads ? before : await dataSnapshot(t);
        if (res.statusCode >= 500)
          failures.push(`${res.statusCode} ${describeCase(c)} → ${res.body.slice(0, 300)}`);
        else if (res.statusCode >= 400) {
          let shaped = false;
          try {
            const { error } = res.json();
            shaped =
              typeof error?.code === 'string' &&
              typeof error.message === 'string' &&
              typeof error.request_id === 'string' &&
              Object.keys(error).every((k) => ['code', 'message', 'details', 'request_id'].includes(k));
          } catch {}
          if (!shaped)
            failures.push(`unshaped ${res.statusCode} ${describeCase(c)} → ${res.body.slice(0, 300)}`);
          if (after !== before)
            failures.push(`refused with ${res.statusCode} but changed data: ${describeCase(c)}`);
        }
        before = after;
      }
      expect(failures, `seed ${SEED}; statuses ${JSON.stringify([...statuses])}`).toEqual([]);
      // Enough cases get past validation to reach the services, not only the schema.
      expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    },
    Math.max(300_000, RUNS * 300),
  );
});
