import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Recur } from '../src/index.js';
import { entitlementsServer } from './support/entitlements-server.js';
import { entitlementsUpdated, newSecret, signed } from './support/events.js';

let server: Awaited<ReturnType<typeof entitlementsServer>>;
let now: number;
const secret = newSecret();

beforeAll(async () => {
  server = await entitlementsServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.benefits.clear();
  server.sequences.clear();
  Object.assign(server.state, { reads: 0, down: false, hold: null, arrived: () => {} });
  now = Date.now();
});

/** A client whose cache lives on the test's clock: 60 s TTL, stale answers for 300 s after. */
const client = () =>
  new Recur({
    baseUrl: server.url,
    apiKey: 'rk_test',
    webhookSecret: secret,
    retryDelayMs: 1,
    entitlements: { ttlSeconds: 60, staleSeconds: 300, retryAfterFailureSeconds: 5, now: () => now },
  });

const deliver = (recur: Recur, event: ReturnType<typeof entitlementsUpdated>) => {
  const { body, headers } = signed(event, [secret]);
  recur.webhooks.handle(body, headers);
};

describe('entitlements.check', () => {
  it('reads a user once, answers from memory within the TTL, and reads again after it', async () => {
    server.benefits.set('ann', { api_access: true, seats: 3 });
    const recur = client();
    expect(await recur.entitlements.check('ann', 'api_access')).toEqual({
      allowed: true,
      value: true,
      source: 'recur',
    });
    expect(await recur.entitlements.check('ann', 'seats')).toEqual({
      allowed: true,
      value: 3,
      source: 'cache',
    });
    expect(await recur.entitlements.check('ann', 'sso')).toEqual({
      allowed: false,
      value: null,
      source: 'cache',
    });
    expect(server.state.reads).toBe(1);
    server.benefits.set('ann', { api_access: false });
    now += 59_000;
    expect((await recur.entitlements.check('ann', 'api_access')).allowed).toBe(true);
    now += 2_000;
    expect(await recur.entitlements.check('ann', 'api_access')).toEqual({
      allowed: false,
      value: false,
      source: 'recur',
    });
    expect(server.state.reads).toBe(2);
  });

  it('concurrent checks of an unknown user share one read', async () => {
    server.benefits.set('bob', { api_access: true });
    const recur = client();
    const checks = await Promise.all([1, 2, 3].map(() => recur.entitlements.check('bob', 'api_access')));
    expect(checks.every((check) => check.allowed)).toBe(true);
    expect(server.state.reads).toBe(1);
  });

  it('applies entitlements.updated only when its sequence is newer than the last applied', async () => {
    const recur = client();
    deliver(recur, entitlementsUpdated('cat', 2, { api_access: true }));
    expect(await recur.entitlements.check('cat', 'api_access')).toMatchObject({
      allowed: true,
      source: 'cache',
    });
    // A late delivery of an earlier change, and a repeat, change nothing.
    deliver(recur, entitlementsUpdated('cat', 1, { api_access: false }));
    deliver(recur, entitlementsUpdated('cat', 2, { api_access: false }));
    expect((await recur.entitlements.check('cat', 'api_access')).allowed).toBe(true);
    deliver(recur, entitlementsUpdated('cat', 3, {}));
    expect(await recur.entitlements.check('cat', 'api_access')).toEqual({
      allowed: false,
      value: null,
      source: 'cache',
    });
    expect(server.state.reads).toBe(0);
  });

  it('a message renews the TTL, and one a read already included is dropped', async () => {
    server.benefits.set('dan', { api_access: true });
    server.sequences.set('dan', 7);
    const recur = client();
    await recur.entitlements.check('dan', 'api_access');
    // Message 7 announced a change the read (sequence 7) already holds: whatever its clock says.
    deliver(recur, entitlementsUpdated('dan', 7, {}, new Date(Date.now() + 60_000).toISOString()));
    expect((await recur.entitlements.check('dan', 'api_access')).allowed).toBe(true);
    now += 50_000;
    deliver(recur, entitlementsUpdated('dan', 8, { api_access: 'gold' }, new Date(0).toISOString()));
    now += 50_000;
    expect(await recur.entitlements.check('dan', 'api_access')).toEqual({
      allowed: true,
      value: 'gold',
      source: 'cache',
    });
    expect(server.state.reads).toBe(1);
  });

  it('keeps a message dated before a read that did not include it (clocks do not order them)', async () => {
    server.benefits.set('ida', {});
    const recur = client();
    expect((await recur.entitlements.check('ida', 'api_access')).allowed).toBe(false);
    // The Stripe event is older than the read, but Recur announced it after: sequence 1 > 0.
    deliver(recur, entitlementsUpdated('ida', 1, { api_access: true }, new Date(0).toISOString()));
    expect(await recur.entitlements.check('ida', 'api_access')).toEqual({
      allowed: true,
      value: true,
      source: 'cache',
    });
  });

  it('a read under way when a message arrives does not undo the message', async () => {
    server.benefits.set('eve', {});
    const recur = client();
    const held = server.holdAnswers();
    const check = recur.entitlements.check('eve', 'api_access');
    await held.arrived;
    deliver(recur, entitlementsUpdated('eve', 1, { api_access: true }));
    held.release();
    expect(await check).toMatchObject({ allowed: true, value: true });
    expect((await recur.entitlements.check('eve', 'api_access')).allowed).toBe(true);
  });

  it('while Recur is down: the last set for the stale period, then the per-call policy', async () => {
    server.benefits.set('fay', { api_access: true });
    const recur = client();
    await recur.entitlements.check('fay', 'api_access');
    server.state.down = true;
    now += 61_000;
    expect(await recur.entitlements.check('fay', 'api_access')).toEqual({
      allowed: true,
      value: true,
      source: 'stale',
    });
    const reads = server.state.reads;
    // Right after a failed read, checks answer at once without asking again.
    expect((await recur.entitlements.check('fay', 'api_access')).source).toBe('stale');
    expect(server.state.reads).toBe(reads);
    now += 300_000;
    expect(await recur.entitlements.check('fay', 'api_access')).toEqual({
      allowed: false,
      value: null,
      source: 'unavailable',
    });
    expect(await recur.entitlements.check('fay', 'api_access', { onUnavailable: 'allow' })).toEqual({
      allowed: true,
      value: null,
      source: 'unavailable',
    });
    // An unknown user has nothing stale to fall back on.
    now += 10_000;
    expect((await recur.entitlements.check('gus', 'x', { onUnavailable: 'allow' })).allowed).toBe(true);
    expect((await recur.entitlements.check('gus', 'x', { onUnavailable: 'deny' })).allowed).toBe(false);
    // Back up: the next check after the pause reads again.
    server.state.down = false;
    now += 10_000;
    expect(await recur.entitlements.check('fay', 'api_access')).toMatchObject({
      allowed: true,
      source: 'recur',
    });
  });
});
