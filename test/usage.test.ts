import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { creditLedgerRepository } from '../src/usage/credits-ledger.js';
import { emitTestApp, storedMessages } from './support/app-webhook-messages.js';
import { createPlan } from './support/billing.js';
import { callAs, serviceOk, subscribedUser } from './support/usage.js';

// Usage through the API as a host app's backend reports it: events counted once whatever the
// retries, into the period they belong to; checks that answer balances and hold units; credits.
const h = emitTestApp();
const MIN = 60_000;
const DAY_MS = 86_400_000;

async function userOnPlan(userId: string, benefits: Array<Record<string, unknown> & { key: string }>) {
  const plan = await createPlan(h.t, { key: `plan_${userId}`, benefits });
  await subscribedUser(h.t, h.stripe, userId, plan.prices[0]!.stripe_price_id);
  return plan;
}

const check = (body: object) => serviceOk(h.t, '/api/check', { feature: 'api_calls', ...body });
const counters = (userId: string) =>
  queryRows<{ feature: string; period_start: Date; used: string; reserved: string; credits_drawn: string }>(
    h.t.database.db,
    sql`select feature, period_start, used, reserved, credits_drawn from usage_counters
        where payer_id = ${userId} order by feature, period_start`,
  );

describe('POST /api/usage', () => {
  it('counts each event once whatever the retries, alone, in batches and concurrently', async () => {
    await userOnPlan('ann', [{ key: 'api_calls', limit: 100, reset: 'month' }]);
    const event = { user_id: 'ann', feature: 'api_calls', value: 3, idempotency_key: 'k1' };
    expect(await serviceOk(h.t, '/api/usage', event)).toEqual({
      accepted: 1,
      duplicates: 0,
      events: [{ idempotency_key: 'k1', status: 'accepted' }],
    });
    expect((await serviceOk(h.t, '/api/usage', event)).duplicates).toBe(1);
    // Twenty retries of one event at once: one counts.
    const retries = await Promise.all(
      Array.from({ length: 20 }, () =>
        serviceOk(h.t, '/api/usage', { ...event, value: 5, idempotency_key: 'k2' }),
      ),
    );
    expect(retries.reduce((sum, r) => sum + r.accepted, 0)).toBe(1);
    const batch = await serviceOk(h.t, '/api/usage', {
      events: [
        { ...event, idempotency_key: 'k3', value: 10 },
        { ...event, idempotency_key: 'k3', value: 10 },
        event,
        { ...event, idempotency_key: 'k4', value: 1 },
      ],
    });
    expect(batch).toEqual({
      accepted: 2,
      duplicates: 2,
      events: [
        { idempotency_key: 'k3', status: 'accepted' },
        { idempotency_key: 'k3', status: 'duplicate' },
        { idempotency_key: 'k1', status: 'duplicate' },
        { idempotency_key: 'k4', status: 'accepted' },
      ],
    });
    // The same key for another feature is another event.
    await serviceOk(h.t, '/api/usage', { ...event, feature: 'exports' });
    expect(await check({ user_id: 'ann' })).toMatchObject({
      used: 19,
      limit: 100,
      balance: 81,
      allowed: true,
    });
    const rows = await counters('ann');
    expect(rows.map((r) => [r.feature, Number(r.used)])).toEqual([
      ['api_calls', 19],
      ['exports', 3],
    ]);
  });

  it('counts a past event into its own period and refuses what is too old, in the future or malformed, whole', async () => {
    await userOnPlan('bo', [{ key: 'api_calls', limit: 100, reset: 'month' }]);
    const now = Date.now();
    const lastMonth = new Date(now - 20 * DAY_MS);
    const event = { user_id: 'bo', feature: 'api_calls', value: 4, idempotency_key: 'past' };
    await serviceOk(h.t, '/api/usage', { ...event, timestamp: lastMonth.toISOString() });
    await serviceOk(h.t, '/api/usage', { ...event, value: 1, idempotency_key: 'now' });
    const rows = await counters('bo');
    const monthOf = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).getTime();
    expect(rows.map((r) => [new Date(r.period_start).getTime(), Number(r.used)])).toEqual(
      monthOf(lastMonth) === monthOf(new Date(now))
        ? [[monthOf(lastMonth), 5]]
        : [
            [monthOf(lastMonth), 4],
            [monthOf(new Date(now)), 1],
          ],
    );

    const refused = async (body: object, status: number, text: string) => {
      const res = await callAs(h.t, 'service', 'POST', '/api/usage', body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.body).toContain(text);
    };
    await refused(
      { ...event, idempotency_key: 'f', timestamp: new Date(now + 10 * MIN).toISOString() },
      400,
      'usage_timestamp_in_future',
    );
    await refused(
      { ...event, idempotency_key: 'o', timestamp: new Date(now - 40 * DAY_MS).toISOString() },
      400,
      'usage_timestamp_too_old',
    );
    await refused({ ...event, value: 0 }, 400, 'value');
    await refused({ ...event, value: 1.5 }, 400, 'value');
    await refused({ ...event, idempotency_key: '' }, 400, 'idempotency_key');
    await refused({ ...event, organization_id: 'acme' }, 400, 'user_id');
    await refused({ feature: 'api_calls', value: 1, idempotency_key: 'x' }, 400, 'user_id');
    await refused({ ...event, timestamp: 'yesterday' }, 400, 'timestamp');
    await refused({ events: [] }, 400, 'events');
    await refused(
      { events: Array.from({ length: 1001 }, (_, i) => ({ ...event, idempotency_key: `b${i}` })) },
      400,
      'events',
    );
    await refused(
      {
        events: [
          { ...event, idempotency_key: 'b1' },
          { ...event, idempotency_key: 'b2', value: -1 },
        ],
      },
      400,
      'events.1.value',
    );
    await refused(
      {
        events: [
          { ...event, idempotency_key: 'b1' },
          { ...event, idempotency_key: 'b2', timestamp: new Date(now + 10 * MIN).toISOString() },
        ],
      },
      400,
      'events.1.timestamp',
    );
    await refused(
      {
        events: [
          { ...event, idempotency_key: 'b1' },
          { ...event, user_id: undefined, organization_id: 'nowhere' },
        ],
      },
      404,
      'nowhere',
    );
    // Nothing of the refused batches was counted.
    const [{ n }] = (await queryRows<{ n: string }>(
      h.t.database.db,
      sql`select count(*) as n from usage_events`,
    )) as [{ n: string }];
    expect(Number(n)).toBe(2);
  });
});

describe('POST /api/check', () => {
  it('answers the balance, holds units with reserve, and confirms, releases and expires them', async () => {
    await userOnPlan('cy', [{ key: 'api_calls', limit: 10, reset: 'month' }]);
    expect(await check({ user_id: 'cy', required: 4 })).toMatchObject({
      allowed: true,
      balance: 10,
      limit: 10,
      used: 0,
      reserved: 0,
      credits: 0,
      overage: 'block',
      reset: 'month',
    });
    const held = await check({ user_id: 'cy', required: 6, reserve: true });
    expect(held).toMatchObject({ allowed: true, reserved: 6, balance: 4 });
    expect(held.reservation_id).toMatch(/^resv_/);
    const refused = await check({ user_id: 'cy', required: 5, reserve: true });
    expect(refused).toMatchObject({ allowed: false, reserved: 6, balance: 4 });
    expect(refused.reservation_id).toBeUndefined();

    const confirmUrl = (id: string) => `/api/check/reservations/${id}/confirm`;
    const tooMany = await callAs(h.t, 'service', 'POST', confirmUrl(held.reservation_id), { value: 7 });
    expect(tooMany.statusCode).toBe(400);
    const confirmed = await serviceOk(h.t, confirmUrl(held.reservation_id), { value: 4 });
    expect(confirmed).toMatchObject({
      id: held.reservation_id,
      status: 'confirmed',
      units: 6,
      user_id: 'cy',
    });
    expect(await check({ user_id: 'cy' })).toMatchObject({ used: 4, reserved: 0, balance: 6 });
    const again = await callAs(h.t, 'service', 'POST', confirmUrl(held.reservation_id), {});
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'reservation_settled']);
    expect((await callAs(h.t, 'service', 'POST', confirmUrl('resv_nothing'), {})).statusCode).toBe(404);

    const second = await check({ user_id: 'cy', required: 3, reserve: true });
    expect(await serviceOk(h.t, `/api/check/reservations/${second.reservation_id}/release`)).toMatchObject({
      status: 'released',
    });
    expect(await check({ user_id: 'cy' })).toMatchObject({ used: 4, reserved: 0, balance: 6 });

    const third = await check({ user_id: 'cy', required: 2, reserve: true });
    expect(await h.t.services.usage.sweepExpired(new Date(Date.now() + 10 * MIN))).toBe(0);
    expect(await h.t.services.usage.sweepExpired(new Date(Date.now() + 16 * MIN))).toBe(1);
    expect(await check({ user_id: 'cy' })).toMatchObject({ used: 4, reserved: 0, balance: 6 });
    const late = await callAs(h.t, 'service', 'POST', confirmUrl(third.reservation_id), {});
    expect(late.json().error.code).toBe('reservation_settled');

    const sources = await queryRows<{ source: string; value: string }>(
      h.t.database.db,
      sql`select source, value from usage_events where payer_id = 'cy'`,
    );
    expect(sources.map((s) => [s.source, Number(s.value)])).toEqual([['reservation', 4]]);
  });

  it('draws credits beyond the allowance: a feature held in credits only, and a credits overage', async () => {
    await userOnPlan('di', [{ key: 'exports', limit: 5, reset: 'month', overage: 'credits' }]);
    const grant = (feature: string, amount: number) =>
      creditLedgerRepository.grant(h.t.database.db, {
        payerKind: 'user',
        payerId: 'di',
        feature,
        amount,
        source: 'admin',
        sourceRef: `grant_${feature}`,
        expiresAt: null,
        reason: 'test',
      });
    await grant('ai', 10);
    await grant('exports', 4);
    expect(await check({ user_id: 'di', feature: 'ai' })).toMatchObject({
      allowed: true,
      limit: 0,
      overage: 'credits',
      reset: 'never',
      balance: 10,
      credits: 10,
      resets_at: null,
    });
    await serviceOk(h.t, '/api/usage', { user_id: 'di', feature: 'ai', value: 3, idempotency_key: 'a1' });
    expect(await check({ user_id: 'di', feature: 'ai' })).toMatchObject({ used: 3, credits: 7, balance: 7 });
    const held = await check({ user_id: 'di', feature: 'ai', required: 5, reserve: true });
    expect(held).toMatchObject({ allowed: true, credits: 2 });
    // All or nothing: 5 more are not there, and nothing is taken.
    expect(await check({ user_id: 'di', feature: 'ai', required: 5, reserve: true })).toMatchObject({
      allowed: false,
      credits: 2,
    });
    await serviceOk(h.t, `/api/check/reservations/${held.reservation_id}/confirm`, { value: 2 });
    expect(await check({ user_id: 'di', feature: 'ai' })).toMatchObject({ used: 5, credits: 5 });

    // 5 included, then credits: 7 used draws 2; 3 more draw the last 2, and the one beyond is owed.
    await serviceOk(h.t, '/api/usage', {
      user_id: 'di',
      feature: 'exports',
      value: 7,
      idempotency_key: 'e1',
    });
    expect(await check({ user_id: 'di', feature: 'exports' })).toMatchObject({
      used: 7,
      credits: 2,
      balance: 2,
    });
    await serviceOk(h.t, '/api/usage', {
      user_id: 'di',
      feature: 'exports',
      value: 3,
      idempotency_key: 'e2',
    });
    expect(await check({ user_id: 'di', feature: 'exports' })).toMatchObject({
      used: 10,
      credits: -1,
      balance: 0,
      allowed: false,
    });
    const rows = await counters('di');
    expect(rows.map((r) => [r.feature, Number(r.credits_drawn)])).toEqual([
      ['ai', 5],
      ['exports', 5],
    ]);
    expect(
      await creditLedgerRepository.ledgerSum(h.t.database.db, { payerKind: 'user', payerId: 'di' }, 'ai'),
    ).toBe(5);
  });

  it('lets the backend do everything, a user check only their own or their organisation’s, and never reserve', async () => {
    await userOnPlan('ed', [{ key: 'api_calls', limit: 10, reset: 'month' }]);
    await serviceOk(h.t, '/api/organizations/acme', undefined).catch(() => {});
    await h.t.app.inject({
      method: 'PUT',
      url: '/api/organizations/acme',
      headers: { authorization: `Bearer ${h.t.serviceKey}` },
      payload: { name: 'Acme' },
    });
    await h.t.app.inject({
      method: 'PUT',
      url: '/api/organizations/acme/members/ed',
      headers: { authorization: `Bearer ${h.t.serviceKey}` },
      payload: { role: 'member' },
    });
    const ed = { user: 'ed' };
    const status = async (as: Parameters<typeof callAs>[1], url: string, body?: object) =>
      (await callAs(h.t, as, 'POST', url, body)).statusCode;
    expect(await status(ed, '/api/check', { feature: 'api_calls' })).toBe(200);
    expect(await status(ed, '/api/check', { feature: 'api_calls', user_id: 'ed' })).toBe(200);
    expect(await status(ed, '/api/check', { feature: 'api_calls', organization_id: 'acme' })).toBe(200);
    expect(await status(ed, '/api/check', { feature: 'api_calls', user_id: 'zed' })).toBe(403);
    expect(await status(ed, '/api/check', { feature: 'api_calls', organization_id: 'other' })).toBe(404);
    expect(await status(ed, '/api/check', { feature: 'api_calls', reserve: true })).toBe(403);
    expect(
      await status(ed, '/api/usage', { user_id: 'ed', feature: 'api_calls', value: 1, idempotency_key: 'u' }),
    ).toBe(403);
    expect(await status(ed, '/api/check/reservations/resv_x/confirm', {})).toBe(403);
    expect(await status('admin', '/api/check', { feature: 'api_calls', organization_id: 'acme' })).toBe(200);
    expect(await status('admin', '/api/check', { feature: 'api_calls' })).toBe(400);
    expect(await status('service', '/api/check', { feature: 'api_calls', organization_id: 'ghost' })).toBe(
      404,
    );
    expect(
      (await h.t.app.inject({ method: 'POST', url: '/api/check', payload: { feature: 'x' } })).statusCode,
    ).toBe(401);
  });
});

describe('entitlements answer balances', () => {
  it('shows each usage feature’s standing in the entitlements and in entitlements.updated', async () => {
    await userOnPlan('gil', [
      { key: 'api_calls', limit: 100, reset: 'month' },
      { key: 'seats', value: 3 },
    ]);
    await creditLedgerRepository.grant(h.t.database.db, {
      payerKind: 'user',
      payerId: 'gil',
      feature: 'ai',
      amount: 25,
      source: 'admin',
      sourceRef: 'g',
      expiresAt: null,
      reason: 'test',
    });
    await serviceOk(h.t, '/api/usage', {
      user_id: 'gil',
      feature: 'api_calls',
      value: 30,
      idempotency_key: 'a',
    });
    await check({ user_id: 'gil', required: 5, reserve: true });
    const mine = (await callAs(h.t, { user: 'gil' }, 'GET', '/api/me/entitlements')).json();
    const now = new Date();
    expect(mine.usage).toEqual({
      api_calls: {
        limit: 100,
        used: 30,
        reserved: 5,
        balance: 65,
        credits: 0,
        overage: 'block',
        reset: 'month',
        period_start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString(),
        resets_at: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
      },
      ai: {
        limit: 0,
        used: 0,
        reserved: 0,
        balance: 25,
        credits: 25,
        overage: 'credits',
        reset: 'never',
        period_start: new Date(0).toISOString(),
        resets_at: null,
      },
    });
    const theirs = (await callAs(h.t, 'service', 'GET', '/api/users/gil/entitlements')).json();
    expect(theirs.usage).toEqual(mine.usage);
    const updated = (await storedMessages(h.t)).filter((m) => m.type === 'entitlements.updated');
    const last = updated.at(-1)!.event.data as { entitlements: { usage: Record<string, { limit: number }> } };
    expect(last.entitlements.usage.api_calls).toMatchObject({ limit: 100, overage: 'block' });
  });
});

describe('thresholds', () => {
  it('announces 80% and 100% of a limit once per period, with the usage that crossed them', async () => {
    await userOnPlan('fi', [{ key: 'api_calls', limit: 10, reset: 'month' }]);
    const track = (key: string, value: number) =>
      serviceOk(h.t, '/api/usage', { user_id: 'fi', feature: 'api_calls', value, idempotency_key: key });
    const thresholds = async () =>
      (await storedMessages(h.t))
        .filter((m) => m.type === 'usage.threshold_reached')
        .map(
          (m) => m.event.data as { threshold: number; used: number; limit: number; user_id: string | null },
        );
    await track('a', 7);
    expect(await thresholds()).toEqual([]);
    await track('b', 1);
    await track('b', 1);
    expect(await thresholds()).toMatchObject([{ threshold: 80, used: 8, limit: 10, user_id: 'fi' }]);
    await track('c', 1);
    await track('d', 5);
    await track('e', 5);
    expect((await thresholds()).map((t) => [t.threshold, t.used])).toEqual([
      [80, 8],
      [100, 14],
    ]);
    // Each crossing also sends the user's entitlement set, whose usage shows the standing then.
    const standings = (await storedMessages(h.t))
      .filter((m) => m.type === 'entitlements.updated')
      .map(
        (m) => (m.event.data as { entitlements: { usage: Record<string, { used: number }> } }).entitlements,
      )
      .map((e) => e.usage.api_calls?.used);
    expect(standings.slice(-2)).toEqual([8, 14]);
  });
});
