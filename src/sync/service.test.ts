import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, type TestApp } from '../../test/support/app.js';
import {
  CollectingStream,
  refuseSecondCustomersPage,
  rows,
  runSync,
  type SyncHarness,
  seedBilling,
  syncTestHarness,
  waitForRun,
} from '../../test/support/sync-fixtures.js';
import { createMetrics } from '../observability/metrics.js';
import type { Stripe } from '../stripe/index.js';
import { syncCommand } from './command.js';
import { createSync } from './compose.js';

const harness = syncTestHarness();
const { listRequests, createCustomers } = harness;
let t: TestApp;
let stripe: Stripe;
let responses: SyncHarness['responses'];
beforeAll(() => {
  ({ t, stripe, responses } = harness);
});

describe('resuming', () => {
  /** A customers-only run that fails for good on its second page, leaving the first one's cursor. */
  async function failAfterFirstPage() {
    refuseSecondCustomersPage(t);
    const { finished } = await t.services.syncs.start({ objects: ['customers'], trigger: 'manual' });
    const failed = await finished;
    expect(failed.status).toBe('failed');
    expect(failed.counts.customers!.seen).toBe(100);
    expect(failed.cursor.customers).toMatch(/^cus_/);
    responses.length = 0;
    return { failed, cursor: failed.cursor.customers! };
  }

  const mirroredCustomers = async () =>
    ((await rows(t, sql`select count(*)::int as n from customers`)) as [{ n: number }])[0].n;

  it('picks up a failed run after its last saved page instead of listing again', async () => {
    await createCustomers(150);
    const { failed, cursor } = await failAfterFirstPage();

    const resumed = await runSync(t, { objects: ['customers'] });

    expect(resumed.status).toBe('succeeded');
    expect(resumed.id).not.toBe(failed.id);
    expect(listRequests('/v1/customers')).toHaveLength(1);
    expect(listRequests('/v1/customers')[0]!.path).toContain(`starting_after=${cursor}`);
    expect(resumed.counts.customers.seen).toBe(150);
    expect(await mirroredCustomers()).toBe(150);
  });

  it('lists a type from the start when the object its cursor names was deleted meanwhile', async () => {
    await createCustomers(150);
    const { cursor } = await failAfterFirstPage();
    await stripe.customers.del(cursor);
    responses.length = 0;

    const resumed = await runSync(t, { objects: ['customers'] });

    expect(resumed.status, resumed.error ?? '').toBe('succeeded');
    expect(listRequests('/v1/customers').map((r) => r.status)).toEqual([404, 200, 200]);
    expect(await mirroredCustomers()).toBe(150);
  });

  it('takes over a run whose process died (no heartbeat for a minute) and resumes it', async () => {
    await createCustomers(150);
    let pages = 0;
    const { finished } = await t.services.syncs.start({
      objects: ['customers'],
      trigger: 'manual',
      // Stopped after the first page, as a shutdown would.
      onProgress: (_o, _c, fraction) => {
        if (fraction === null && ++pages === 1) void t.services.syncs.stop();
      },
    });
    const stopped = await finished;
    expect(stopped.status).toBe('interrupted');
    // What a crash leaves behind: still `running`, silent for two minutes.
    await t.database.db.execute(
      sql`update sync_runs set status = 'running', finished_at = null, heartbeat_at = now() - interval '2 minutes' where id = ${stopped.id}`,
    );
    responses.length = 0;

    const resumed = await runSync(t, { objects: ['customers'] });

    expect(resumed.status).toBe('succeeded');
    expect(listRequests('/v1/customers')).toHaveLength(1);
    const dead = await waitForRun(t, stopped.id);
    expect(dead).toMatchObject({ status: 'interrupted', error: expect.stringContaining('no heartbeat') });
  });

  it('refuses to take over a run that is still alive (fresh heartbeat)', async () => {
    await t.database.db.execute(
      sql`insert into sync_runs (id, mode, trigger, objects, status) values ('sync_alive', 'full', 'manual', '["customers"]', 'running')`,
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/sync',
      headers: bearer(t.adminKey),
      payload: {},
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'sync_running', details: { run_id: 'sync_alive' } });
  });
});

describe('one sync at a time', () => {
  it('answers 409 sync_running to a second start, from the API, another instance and the CLI', async () => {
    await createCustomers(5);
    t.emulator.faults.set({ latencyMs: 300 });
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/admin/sync',
      headers: bearer(t.adminKey),
      payload: {},
    });
    expect(first.statusCode).toBe(202);

    const second = await t.app.inject({
      method: 'POST',
      url: '/api/admin/sync',
      headers: bearer(t.adminKey),
      payload: {},
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toMatchObject({ code: 'sync_running', details: { run_id: first.json().id } });

    // Another instance on the same database (another process, in production) is refused by the lock.
    const other = createSync({
      ...t.services,
      metrics: createMetrics(),
      invalidatePlanCache: async () => {},
    });
    await expect(other.syncs.start({ trigger: 'manual' })).rejects.toMatchObject({
      status: 409,
      code: 'sync_running',
    });

    const err = new CollectingStream();
    const code = await syncCommand(
      t.services,
      { objects: ['customers'], mode: 'full' },
      { out: new CollectingStream().asStdout, err: err.asStderr },
    );
    expect(code).toBe(1);
    expect(String(err)).toContain('A sync is already running');

    t.emulator.faults.set({ latencyMs: 0 });
    expect((await waitForRun(t, first.json().id)).status).toBe('succeeded');
    expect((await runSync(t, { objects: ['customers'] })).status).toBe('succeeded');
  });
});

describe('status, CLI output and metrics', () => {
  it('lists recent runs with duration and the next scheduled run', async () => {
    await createCustomers(2);
    const run = await runSync(t, { objects: ['customers'] });
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/sync', headers: bearer(t.adminKey) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.data[0]).toMatchObject({
      id: run.id,
      mode: 'full',
      trigger: 'manual',
      status: 'succeeded',
      error: null,
    });
    expect(body.data[0].duration_seconds).toBeGreaterThanOrEqual(0);
    expect(body.schedule).toMatchObject({ auto_sync_enabled: true, interval_seconds: 21_600 });
    expect(new Date(body.schedule.next_run_at).getTime()).toBe(
      new Date(run.started_at).getTime() + 21_600_000,
    );

    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/admin/sync/sync_nope',
      headers: bearer(t.adminKey),
    });
    expect(missing.statusCode).toBe(404);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/admin/sync',
      headers: bearer(t.adminKey),
      payload: { objects: ['coupons'] },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('prints products and prices as the catalog import did, with the bar on stderr', async () => {
    await seedBilling(t, stripe);
    const out = new CollectingStream();
    const err = new CollectingStream();

    const code = await syncCommand(
      t.services,
      { objects: ['products', 'prices'], mode: 'full' },
      { out: out.asStdout, err: err.asStderr },
    );

    expect(code).toBe(0);
    expect(String(out)).toBe(
      '{"products":{"seen":1,"created":0,"updated":0,"skipped":1},"prices":{"seen":1,"created":0,"updated":0,"skipped":1}}\n',
    );
    expect(JSON.parse(String(out))).toEqual({
      // The plan service wrote both already: the import finds them unchanged.
      products: { seen: 1, created: 0, updated: 0, skipped: 1 },
      prices: { seen: 1, created: 0, updated: 0, skipped: 1 },
    });
    expect(String(err)).toMatch(/\[1\/2\] products .*\] 1 seen/);
    expect(String(err)).toMatch(/\[2\/2\] prices .*\[#{24}\] 1 seen/);
  });

  it('counts runs by result and objects by outcome', async () => {
    const metric = async (series: string) => {
      const text = (await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(t.adminKey) })).body;
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line ? Number(line.split(' ')[1]) : 0;
    };
    const succeeded = 'recur_sync_runs_total{trigger="manual",result="succeeded"}';
    const failed = 'recur_sync_runs_total{trigger="manual",result="failed"}';
    const created = 'recur_sync_objects_total{object="customers",outcome="created"}';
    const before = {
      succeeded: await metric(succeeded),
      failed: await metric(failed),
      created: await metric(created),
    };
    await createCustomers(3);
    await runSync(t, { objects: ['customers'] });
    t.emulator.faults.set({
      failNext: [
        { method: 'GET', path: '/v1/customers', status: 401, error: { type: 'invalid_request_error' } },
      ],
    });
    await runSync(t, { objects: ['customers'] });

    expect(await metric(succeeded)).toBe(before.succeeded + 1);
    expect(await metric(failed)).toBe(before.failed + 1);
    expect(await metric(created)).toBe(before.created + 3);
  });
});
