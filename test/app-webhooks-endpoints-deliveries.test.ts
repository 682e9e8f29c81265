import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { announce } from '../src/app-webhooks/outbox.js';
import { startTestApp, type TestApp } from './support/app.js';
import { adminCall, createEndpoint, type StoredDelivery, storedDeliveries } from './support/app-webhooks.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());
beforeEach(() => t.reset());

const ENDPOINTS = '/api/admin/webhook-endpoints';
const DELIVERIES = '/api/admin/webhook-deliveries';

/** Announces `count` messages of one subject at minute steps from `start`; answers their ids. */
async function announceMany(count: number, start = Date.parse('2026-12-01T10:00:00Z')): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = await announce(t.database.db, {
      type: 'checkout.completed',
      subject: 'user:u1',
      dedupeKey: `checkout:${i}`,
      at: new Date(start + i * 60_000),
      data: {
        user_id: 'u1',
        organization_id: null,
        checkout_session_id: `cs_${i}`,
        subscription_id: null,
        plan_id: null,
      },
    });
    ids.push(id!);
  }
  return ids;
}

/** Sets the delivery's state as a dispatcher would have left it; `createdAt` orders the list. */
async function setDelivery(
  id: string,
  state: { status: string; attempts: number; createdAt: string; deliveredAt?: string },
) {
  await t.database.db.execute(
    sql`update app_webhook_deliveries set status = ${state.status}, attempts = ${state.attempts},
        created_at = ${state.createdAt}::timestamptz, delivered_at = ${state.deliveredAt ?? null}::timestamptz,
        next_attempt_at = now() + interval '1 day', last_attempt_at = now() - interval '1 hour'
        where id = ${id}`,
  );
}

const byId = async (id: string) => (await storedDeliveries(t)).find((d) => d.id === id)!;

/** Pending and due now, its attempts so far still counted. */
function expectDueAgain(delivery: StoredDelivery, attempts: number) {
  expect(delivery).toMatchObject({ status: 'pending', attempts, delivered_at: null });
  expect(new Date(delivery.next_attempt_at).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
}

describe('an endpoint’s deliveries', () => {
  it('are listed newest first with their message, page by page and by status', async () => {
    const { id } = await createEndpoint(t);
    const other = await createEndpoint(t, { url: 'http://127.0.0.1:9/other' });
    const messages = await announceMany(3);
    const mine = (await storedDeliveries(t)).filter((d) => d.endpoint_id === id);
    for (const [i, d] of mine.entries()) {
      const minute = messages.indexOf(d.message_id);
      await setDelivery(d.id, {
        status: i === 0 ? 'failed' : 'succeeded',
        attempts: i + 1,
        createdAt: `2026-12-01T10:0${minute}:00Z`,
      });
    }
    await t.database.db.execute(
      sql`insert into app_webhook_attempts (delivery_id, attempted_at, duration_ms, status_code, succeeded)
          values (${mine[1]!.id}, now() - interval '2 minutes', 40, 500, false),
                 (${mine[1]!.id}, now() - interval '1 minute', 12, 204, true)`,
    );

    const first = await adminCall(t, 'GET', `${ENDPOINTS}/${id}/deliveries?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.data.map((d: { message_id: string }) => d.message_id)).toEqual([
      messages[2],
      messages[1],
    ]);
    const withAttempts = first.body.data.find((d: { id: string }) => d.id === mine[1]!.id);
    expect(withAttempts).toMatchObject({
      endpoint_id: id,
      type: 'checkout.completed',
      subject: 'user:u1',
      sequence: expect.any(Number),
      status: 'succeeded',
      last_status_code: 204,
    });
    const second = await adminCall(
      t,
      'GET',
      `${ENDPOINTS}/${id}/deliveries?limit=2&cursor=${first.body.next_cursor}`,
    );
    expect(second.body).toEqual({
      data: [expect.objectContaining({ message_id: messages[0], last_status_code: null })],
      next_cursor: null,
    });
    const failed = await adminCall(t, 'GET', `${ENDPOINTS}/${id}/deliveries?status=failed`);
    expect(failed.body.data.map((d: { id: string }) => d.id)).toEqual([mine[0]!.id]);
    const others = await adminCall(t, 'GET', `${ENDPOINTS}/${other.id}/deliveries`);
    expect(others.body.data).toHaveLength(3);
    expect(others.body.data.every((d: { endpoint_id: string }) => d.endpoint_id === other.id)).toBe(true);
  });

  it('refuses a bad status, cursor or limit, and an unknown endpoint', async () => {
    const { id } = await createEndpoint(t);
    for (const query of ['status=lost', 'cursor=not*a*cursor', 'cursor=YWJj', 'limit=0', 'limit=101']) {
      const res = await adminCall(t, 'GET', `${ENDPOINTS}/${id}/deliveries?${query}`);
      expect(res.status, query).toBe(400);
    }
    expect((await adminCall(t, 'GET', `${ENDPOINTS}/we_missing/deliveries`)).status).toBe(404);
  });

  it('show one delivery with every attempt and the body as sent', async () => {
    const { id } = await createEndpoint(t);
    const [messageId] = await announceMany(1);
    const [delivery] = await storedDeliveries(t);
    await t.database.db.execute(
      sql`insert into app_webhook_attempts (delivery_id, attempted_at, duration_ms, status_code, response_body, error, succeeded)
          values (${delivery!.id}, '2026-12-01T10:00:05Z', 15000, null, null, 'timed out after 15 s', false),
                 (${delivery!.id}, '2026-12-01T10:05:05Z', 31, 410, 'gone', null, false)`,
    );
    const res = await adminCall(t, 'GET', `${DELIVERIES}/${delivery!.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: delivery!.id, endpoint_id: id, message_id: messageId });
    expect(JSON.parse(res.body.body)).toMatchObject({
      type: 'checkout.completed',
      data: { checkout_session_id: 'cs_0' },
    });
    expect(res.body.attempts_log).toEqual([
      {
        attempted_at: '2026-12-01T10:00:05.000Z',
        duration_ms: 15000,
        status_code: null,
        response_body: null,
        error: 'timed out after 15 s',
        succeeded: false,
      },
      {
        attempted_at: '2026-12-01T10:05:05.000Z',
        duration_ms: 31,
        status_code: 410,
        response_body: 'gone',
        error: null,
        succeeded: false,
      },
    ]);
    expect(res.body.last_status_code).toBe(410);
    expect((await adminCall(t, 'GET', `${DELIVERIES}/dlv_missing`)).status).toBe(404);
  });
});

describe('resending', () => {
  it('makes one delivery due again now, a failed or a succeeded one', async () => {
    await createEndpoint(t);
    await announceMany(3);
    const [failed, succeeded, untouched] = await storedDeliveries(t);
    await setDelivery(failed!.id, { status: 'failed', attempts: 9, createdAt: '2026-12-01T10:00:00Z' });
    await setDelivery(succeeded!.id, {
      status: 'succeeded',
      attempts: 1,
      createdAt: '2026-12-01T10:01:00Z',
      deliveredAt: '2026-12-01T10:01:01Z',
    });
    await setDelivery(untouched!.id, { status: 'failed', attempts: 9, createdAt: '2026-12-01T10:02:00Z' });

    const res = await adminCall(t, 'POST', `${DELIVERIES}/${failed!.id}/resend`);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: failed!.id, status: 'pending', attempts: 9 });
    expectDueAgain(await byId(failed!.id), 9);
    expect((await adminCall(t, 'POST', `${DELIVERIES}/${succeeded!.id}/resend`)).status).toBe(202);
    expectDueAgain(await byId(succeeded!.id), 1);
    expect(await byId(untouched!.id)).toMatchObject({ status: 'failed', attempts: 9 });
    expect((await adminCall(t, 'POST', `${DELIVERIES}/dlv_missing/resend`)).status).toBe(404);
  });

  it('resends every failed delivery of the endpoint created since a time, and nothing else', async () => {
    const { id } = await createEndpoint(t);
    const other = await createEndpoint(t, { url: 'http://127.0.0.1:9/other' });
    await announceMany(4);
    const all = await storedDeliveries(t);
    const mine = all.filter((d) => d.endpoint_id === id);
    const states = [
      { status: 'failed', createdAt: '2026-12-01T09:59:00Z' },
      { status: 'failed', createdAt: '2026-12-01T10:00:00Z' },
      { status: 'succeeded', createdAt: '2026-12-01T10:01:00Z' },
      { status: 'failed', createdAt: '2026-12-01T10:02:00Z' },
    ];
    for (const [i, d] of mine.entries()) await setDelivery(d.id, { ...states[i]!, attempts: 9 });
    for (const d of all.filter((d) => d.endpoint_id === other.id))
      await setDelivery(d.id, { status: 'failed', attempts: 9, createdAt: '2026-12-01T10:03:00Z' });

    const res = await adminCall(t, 'POST', `${ENDPOINTS}/${id}/resend-failed`, {
      since: '2026-12-01T11:00:00+01:00',
    });
    expect(res).toMatchObject({ status: 202, body: { resent: 2 } });
    const after = await storedDeliveries(t);
    const statusOf = (d: StoredDelivery) => after.find((a) => a.id === d.id)!;
    expect(statusOf(mine[0]!)).toMatchObject({ status: 'failed', attempts: 9 });
    expectDueAgain(statusOf(mine[1]!), 9);
    expect(statusOf(mine[2]!)).toMatchObject({ status: 'succeeded', attempts: 9 });
    expectDueAgain(statusOf(mine[3]!), 9);
    expect(after.filter((d) => d.endpoint_id === other.id).every((d) => d.status === 'failed')).toBe(true);
  });

  it('refuses a missing or bad time and an unknown endpoint, changing nothing', async () => {
    const { id } = await createEndpoint(t);
    await announceMany(1);
    const [delivery] = await storedDeliveries(t);
    await setDelivery(delivery!.id, { status: 'failed', attempts: 9, createdAt: '2026-12-01T10:00:00Z' });
    const before = await storedDeliveries(t);
    for (const body of [
      {},
      { since: 'yesterday' },
      { since: '2026-12-01' },
      { since: 1 },
      { since: '2026-12-01T00:00:00Z', all: true },
    ]) {
      const res = await adminCall(t, 'POST', `${ENDPOINTS}/${id}/resend-failed`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const missing = await adminCall(t, 'POST', `${ENDPOINTS}/we_missing/resend-failed`, {
      since: '2026-01-01T00:00:00Z',
    });
    expect(missing.status).toBe(404);
    expect(await storedDeliveries(t)).toEqual(before);
  });
});
