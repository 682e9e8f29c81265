import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../../test/support/app.js';
import { rows, waitForRun } from '../../test/support/sync-fixtures.js';
import { maskKey } from '../settings/routes.js';
import { nextRunAt, SyncScheduler } from './scheduler.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ STRIPE_SYNC_RATE: '100', STRIPE_SYNC_INTERVAL: '3600' });
});
afterAll(() => t.close());
beforeEach(() => t.reset());

const scheduler = (intervalSeconds = 3600) =>
  new SyncScheduler({
    syncs: t.services.syncs,
    settings: t.services.settings,
    intervalSeconds,
    logger: pino({ level: 'silent' }),
  });

async function putSettings(payload: Record<string, unknown>) {
  const res = await t.app.inject({
    method: 'PUT',
    url: '/api/admin/settings',
    headers: bearer(t.adminKey),
    payload,
  });
  return res;
}

const scheduledRuns = () =>
  rows(t, sql`select id, status, mode from sync_runs where trigger = 'schedule' order by started_at`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('nextRunAt', () => {
  it('is an interval after the latest run, or now when there has been none', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    expect(nextRunAt(null, 60, now)).toEqual(now);
    expect(nextRunAt(new Date('2026-03-01T11:59:30Z'), 60, now)).toEqual(new Date('2026-03-01T12:00:30Z'));
  });
});

describe('the sync schedule', () => {
  it('skips its tick while auto sync is off and runs once it is on, without a restart', async () => {
    const s = scheduler();
    expect((await putSettings({ auto_sync_enabled: false })).json().auto_sync_enabled).toBe(false);
    expect(await s.tick()).toBe('disabled');
    expect(await scheduledRuns()).toEqual([]);

    expect((await putSettings({ auto_sync_enabled: true })).statusCode).toBe(200);
    t.emulator.faults.set({ latencyMs: 100 });
    expect(await s.tick()).toBe('started');
    const [run] = await scheduledRuns();
    expect(run).toMatchObject({ mode: 'incremental' });
    // Due by the clock but one is running: the lock turns the second start away.
    expect(await s.tick(new Date(Date.now() + 3601_000))).toBe('busy');
    t.emulator.faults.set({ latencyMs: 0 });
    expect((await waitForRun(t, run!.id)).status).toBe('succeeded');
    // Not due again until an interval after that run started.
    expect(await s.tick()).toBe('not_due');
    expect(await s.tick(new Date(Date.now() + 3601_000))).toBe('started');
    await t.services.syncs.stop();
  });

  it('runs on its own timer and obeys the toggle at the next tick', async () => {
    const s = scheduler(1);
    s.start();
    try {
      await expect
        .poll(async () => (await scheduledRuns()).length, { timeout: 5000 })
        .toBeGreaterThanOrEqual(1);
      await putSettings({ auto_sync_enabled: false });
      await expect
        .poll(async () => (await scheduledRuns()).every((r) => r.status !== 'running'), { timeout: 5000 })
        .toBe(true);
      const whileOff = (await scheduledRuns()).length;
      await sleep(2500);
      expect((await scheduledRuns()).length).toBe(whileOff);

      await putSettings({ auto_sync_enabled: true });
      await expect
        .poll(async () => (await scheduledRuns()).length, { timeout: 5000 })
        .toBeGreaterThan(whileOff);
    } finally {
      await s.stop();
      await t.services.syncs.stop();
    }
  });

  it('shows the next scheduled run in the sync status, and none while auto sync is off', async () => {
    const status = async () =>
      (await t.app.inject({ method: 'GET', url: '/api/admin/sync', headers: bearer(t.adminKey) })).json()
        .schedule;
    const before = Date.now();
    expect(new Date((await status()).next_run_at).getTime()).toBeGreaterThanOrEqual(before - 1000);
    await putSettings({ auto_sync_enabled: false });
    expect(await status()).toEqual({ auto_sync_enabled: false, interval_seconds: 3600, next_run_at: null });
  });
});

describe('settings', () => {
  it('starts from the configuration and shows the Stripe connection without secrets', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/admin/settings',
      headers: bearer(t.adminKey),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      auto_sync_enabled: true,
      cache_enabled: true,
      audit_retention_days: null,
      tax_enabled: false,
      dispute_policy: 'freeze',
      early_fraud_warning_policy: 'none',
      sync_interval_seconds: 3600,
      cache_ttl_seconds: 3600,
      processing_paused: false,
      stripe: { mode: 'test', emulated: true, secret_key: null, webhook_secret_set: false },
    });

    const config = t.services.config;
    const original = config.stripe;
    const secretKey = 'sk_live_51HqLyjWDarjtT1zdp7dc9a8bX0QrsTuVwXyZ4242';
    config.stripe = {
      ...original,
      secretKey,
      mode: 'live',
      emulated: false,
      webhookSecrets: ['whsec_abc123'],
    };
    t.services.webhookSecrets.push('whsec_abc123');
    try {
      const live = await t.app.inject({
        method: 'GET',
        url: '/api/admin/settings',
        headers: bearer(t.adminKey),
      });
      expect(live.json().stripe).toEqual({
        mode: 'live',
        emulated: false,
        secret_key: 'sk_live_…4242',
        webhook_secret_set: true,
      });
      expect(live.body).not.toContain(secretKey.slice(8, -4));
      expect(live.body).not.toContain('whsec_');
    } finally {
      config.stripe = original;
      t.services.webhookSecrets.pop();
    }
  });

  it('refuses an empty or unknown change', async () => {
    expect((await putSettings({})).statusCode).toBe(400);
    expect((await putSettings({ processing_paused: true })).statusCode).toBe(400);
  });

  it('turns the plan cache off and on for every request at once', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/plans',
      headers: bearer(t.adminKey),
      payload: {
        key: 'solo',
        name: 'Solo',
        prices: [{ currency: 'usd', unit_amount: 900, interval: 'month' }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const names = async () =>
      (await t.app.inject({ method: 'GET', url: '/api/plans' }))
        .json()
        .data.map((p: { name: string }) => p.name);
    expect(await names()).toEqual(['Solo']);
    await t.database.db.execute(sql`update plans set name = 'Solo (renamed)'`);
    expect(await names()).toEqual(['Solo']);

    expect((await putSettings({ cache_enabled: false })).json().cache_enabled).toBe(false);
    expect(await names()).toEqual(['Solo (renamed)']);
    await t.database.db.execute(sql`update plans set name = 'Solo (again)'`);
    expect(await names()).toEqual(['Solo (again)']);

    await putSettings({ cache_enabled: true });
    expect(await names()).toEqual(['Solo (again)']);
    await t.database.db.execute(sql`update plans set name = 'Solo (cached)'`);
    expect(await names()).toEqual(['Solo (again)']);
  });

  it('masks keys to their mode and last four characters', () => {
    expect(maskKey('rk_test_abcdefghijklmnop9876')).toBe('rk_test_…9876');
  });
});
