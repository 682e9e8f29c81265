import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmailAlertChannel } from '../src/alerts/channels.js';
import { AlertMonitor } from '../src/alerts/monitor.js';
import { AlertRuleStore } from '../src/alerts/rule-settings.js';
import { AppWebhookDispatcher, type AppWebhookDispatcherOptions } from '../src/app-webhooks/dispatcher.js';
import { createAppWebhookMetrics } from '../src/app-webhooks/metrics.js';
import { announce } from '../src/app-webhooks/outbox.js';
import { ALERT_RULE_DEFAULTS } from '../src/config.js';
import { type Database, openDatabase, queryRows } from '../src/db/client.js';
import { createLogger, type Logger } from '../src/observability/logger.js';
import { createMetrics } from '../src/observability/metrics.js';
import { PiiCipher } from '../src/shared/crypto.js';
import { openTestDatabase, truncateAll } from './support/db.js';
import { startSmtpServer } from './support/smtp.js';
import { eventually } from './support/wait.js';
import {
  addEndpoint,
  announceChange,
  attempts,
  deliveries,
  newSecret,
  startReceiver,
  verifyWith,
  type WebhookReceiver,
} from './support/webhook-receiver.js';

let database: Database & { url?: string };
const cipher = new PiiCipher([randomBytes(32)]);
const logger = createLogger({ level: 'silent' });
const cleanups: (() => Promise<unknown> | unknown)[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());
beforeEach(() => truncateAll(database));
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receiver(...args: Parameters<typeof startReceiver>): Promise<WebhookReceiver> {
  const started = await startReceiver(...args);
  cleanups.push(() => started.close());
  return started;
}

function dispatcher(
  options: Partial<AppWebhookDispatcherOptions> = {},
  deps: {
    db?: Database['db'];
    metrics?: ReturnType<typeof createMetrics>;
    logger?: Logger;
  } = {},
) {
  const built = new AppWebhookDispatcher(
    {
      db: deps.db ?? database.db,
      cipher,
      metrics: createAppWebhookMetrics(deps.metrics ?? createMetrics()),
      logger: deps.logger ?? logger,
    },
    {
      allowPrivate: true,
      requireHttps: false,
      timeoutMs: 5000,
      leaseMs: 30_000,
      pollIntervalMs: 20,
      concurrency: 16,
      endpointConcurrency: 4,
      ...options,
    },
  );
  cleanups.push(() => built.stop());
  return built;
}

/**
 * Stops JavaScript's clock (timers keep running) a second ahead of the database's, so that what
 * the database stamped just now is due; tests then move it with `vi.setSystemTime`.
 */
function freezeClock(): number {
  const now = Date.now() + 1000;
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now);
  return now;
}

describe('the app webhook dispatcher', () => {
  it('posts the stored body, signed per Standard Webhooks, and records the success', async () => {
    const app = await receiver(() => ({ status: 204 }));
    const secret = newSecret();
    const endpointId = await addEndpoint(database.db, cipher, { url: app.url, secret });
    const messageId = await announceChange(database.db);
    const metrics = createMetrics();

    expect(await dispatcher({}, { metrics }).dispatchDue()).toBe(1);

    expect(app.received).toHaveLength(1);
    const [request] = app.received;
    expect(verifyWith(secret, request!)).toMatchObject({ type: 'customer.updated', data: { user_id: 'u1' } });
    const [stored] = await queryRows<{ body: string }>(
      database.db,
      sql`select body from app_webhook_messages`,
    );
    expect(request!.body).toBe(stored!.body);
    expect(request!.headers).toMatchObject({
      'webhook-id': messageId,
      'content-type': 'application/json',
      'user-agent': expect.stringMatching(/^Recur-Webhooks\//),
    });
    expect(Math.abs(Number(request!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(await deliveries(database.db)).toMatchObject([
      { endpoint_id: endpointId, status: 'succeeded', attempts: 1, delivered_at: expect.any(Date) },
    ]);
    expect(await attempts(database.db)).toMatchObject([
      { status_code: 204, succeeded: true, error: null, duration_ms: expect.any(Number) },
    ]);
    const scraped = await metrics.registry.metrics();
    expect(scraped).toContain('recur_app_webhook_deliveries_total{outcome="succeeded"} 1');
    expect(scraped).toMatch(/recur_app_webhook_attempt_seconds_count\{succeeded="true"\} 1/);
  });

  it('retries on 500 by the schedule for three days, keeping 1 KB of each answer', async () => {
    const app = await receiver(() => ({ status: 500, body: 'e'.repeat(3000) }));
    const secret = newSecret();
    await addEndpoint(database.db, cipher, { url: app.url, secret });
    await announceChange(database.db);
    freezeClock();
    const sender = dispatcher();
    const waits: number[] = [];
    for (;;) {
      const triedAt = Date.now();
      expect(await sender.dispatchDue()).toBe(1);
      verifyWith(secret, app.received.at(-1)!);
      const [delivery] = await deliveries(database.db);
      if (delivery!.status === 'failed') break;
      waits.push(delivery!.next_attempt_at.getTime() - triedAt);
      vi.setSystemTime(delivery!.next_attempt_at);
    }
    // 5 s, 5 min, 30 min, 2 h, 5 h, then 10 h on, each up to 10% longer.
    const base = (i: number) => [5e3, 3e5, 18e5, 72e5, 18e6][i] ?? 36e6;
    expect(waits.length).toBeGreaterThanOrEqual(11);
    waits.forEach((wait, i) => {
      expect(wait).toBeGreaterThanOrEqual(base(i));
      expect(wait).toBeLessThanOrEqual(base(i) * 1.1 + 1000);
    });
    const tried = await attempts(database.db);
    expect(tried).toHaveLength(waits.length + 1);
    expect(
      tried.every((a) => a.status_code === 500 && !a.succeeded && a.response_body === 'e'.repeat(1024)),
    ).toBe(true);
    // Given up on the first failure three days after the first attempt, not before.
    const first = tried[0]!.attempted_at.getTime();
    expect(tried.at(-1)!.attempted_at.getTime() - first).toBeGreaterThanOrEqual(3 * 86_400_000);
    expect(tried.at(-2)!.attempted_at.getTime() - first).toBeLessThan(3 * 86_400_000);
    expect(await deliveries(database.db)).toMatchObject([{ status: 'failed', attempts: waits.length + 1 }]);
  });

  it('counts a timeout, a refused connection and a redirect as failed attempts, retried in 5 s', async () => {
    const hanging = await receiver(() => 'hang');
    const elsewhere = await receiver();
    const redirecting = await receiver(() => ({ status: 302, headers: { location: elsewhere.url } }));
    const closed = await startReceiver();
    await closed.close();
    const urls = [hanging.url, closed.url, redirecting.url];
    for (const url of urls) await addEndpoint(database.db, cipher, { url, secret: newSecret() });
    await announceChange(database.db);
    const before = Date.now();

    expect(await dispatcher({ timeoutMs: 300 }).dispatchDue()).toBe(3);

    const byEndpoint = new Map((await deliveries(database.db)).map((d) => [d.id, d]));
    const tried = await attempts(database.db);
    expect(tried.map((a) => a.error ?? `status ${a.status_code}`).sort()).toEqual([
      expect.stringMatching(/^ECONNREFUSED/),
      'no answer within 300 ms',
      'status 302',
    ]);
    expect(tried.every((a) => !a.succeeded)).toBe(true);
    for (const attempt of tried) {
      const delivery = byEndpoint.get(attempt.delivery_id)!;
      expect(delivery).toMatchObject({ status: 'pending', attempts: 1 });
      expect(delivery.next_attempt_at.getTime() - before).toBeGreaterThanOrEqual(5000);
    }
    expect(elsewhere.received).toHaveLength(0);
  });

  it('keeps delivering to a fast endpoint while a slow one hangs', async () => {
    let slowHangs = true;
    const slow = await receiver(() => (slowHangs ? 'hang' : { status: 200 }));
    const fast = await receiver(() => ({ status: 200 }));
    const fastSecret = newSecret();
    const slowId = await addEndpoint(database.db, cipher, { url: slow.url, secret: newSecret() });
    const fastId = await addEndpoint(database.db, cipher, { url: fast.url, secret: fastSecret });
    for (let i = 0; i < 6; i++) await announceChange(database.db, `u${i}`);

    dispatcher({ timeoutMs: 30_000, endpointConcurrency: 2, concurrency: 4 }).start();

    const fastDone = await eventually(async () => {
      const done = (await deliveries(database.db)).filter(
        (d) => d.endpoint_id === fastId && d.status === 'succeeded',
      );
      expect(done).toHaveLength(6);
      return done;
    });
    expect(fast.received.map((r) => verifyWith(fastSecret, r))).toHaveLength(6);
    expect(fastDone).toHaveLength(6);
    // The slow endpoint holds its two slots, still unanswered, and nothing of it is recorded yet.
    expect(slow.hanging()).toBe(2);
    const slowDeliveries = (await deliveries(database.db)).filter((d) => d.endpoint_id === slowId);
    expect(slowDeliveries.every((d) => d.status === 'pending' && d.attempts === 0)).toBe(true);

    slowHangs = false;
    slow.release(200);
    await eventually(async () => {
      expect((await deliveries(database.db)).every((d) => d.status === 'succeeded')).toBe(true);
    });
    expect(slow.received).toHaveLength(6);
  });

  it('signs with both secrets during a rotation, and with the new one only once the old expires', async () => {
    const app = await receiver();
    const [oldSecret, newOne] = [newSecret(), newSecret()];
    const rotatedAt = Date.now();
    await addEndpoint(database.db, cipher, {
      url: app.url,
      secret: newOne,
      previous: { secret: oldSecret, expiresAt: new Date(rotatedAt + 3_600_000) },
    });
    const sender = dispatcher();
    await announceChange(database.db);
    freezeClock();
    await sender.dispatchDue();
    const [during] = app.received;
    expect(String(during!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifyWith(oldSecret, during!)).toBeTruthy();
    expect(verifyWith(newOne, during!)).toBeTruthy();

    vi.setSystemTime(rotatedAt + 3_600_001);
    await announceChange(database.db);
    await sender.dispatchDue();
    const after = app.received[1]!;
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifyWith(newOne, after)).toBeTruthy();
    expect(() => verifyWith(oldSecret, after)).toThrow(/No matching signature/);
  });

  it('refuses, at send time, a target whose name resolves to 127.0.0.1 when private targets are not allowed', async () => {
    const app = await receiver();
    const port = new URL(app.url).port;
    await addEndpoint(database.db, cipher, { url: `http://localhost:${port}/hooks`, secret: newSecret() });
    await announceChange(database.db);

    expect(await dispatcher({ allowPrivate: false }).dispatchDue()).toBe(1);

    expect(app.received).toHaveLength(0);
    expect(await attempts(database.db)).toMatchObject([
      {
        succeeded: false,
        status_code: null,
        error: expect.stringMatching(/^target refused: .*localhost resolves to \S+, a loopback address/),
      },
    ]);
    expect(await deliveries(database.db)).toMatchObject([{ status: 'pending', attempts: 1 }]);
  });

  it('disables an endpoint that failed everything for five days, tells the admins, and holds its messages', async () => {
    const smtp = await startSmtpServer();
    cleanups.push(() => smtp.close());
    const lines: { level: number; msg: string; endpointId?: string }[] = [];
    const captured = createLogger({
      level: 'info',
      destination: { write: (l: string) => lines.push(JSON.parse(l)) },
    });
    let answer = 500;
    const app = await receiver(() => ({ status: answer }));
    const secret = newSecret();
    const endpointId = await addEndpoint(database.db, cipher, { url: app.url, secret });
    // The admins hear of it through the alert rule on failing endpoints, evaluated here by hand.
    const alerts = new AlertMonitor(
      {
        db: database.db,
        rules: new AlertRuleStore({ db: database.db, defaults: ALERT_RULE_DEFAULTS }),
        cipher,
        channels: [
          new EmailAlertChannel({
            url: smtp.url,
            from: 'recur@ops.test',
            to: ['ops@ops.test', 'cto@ops.test'],
          }),
        ],
        logger,
      },
      { intervalSeconds: 60 },
    );
    cleanups.push(() => alerts.close());
    const sender = dispatcher({}, { logger: captured });
    const endpoint = async () =>
      (
        await queryRows<{ enabled: boolean; disabled_reason: string | null; failing_since: unknown }>(
          database.db,
          sql`select enabled, disabled_reason, failing_since from app_webhook_endpoints`,
        )
      )[0]!;

    // Each delivery is verified as it arrives (the timestamp is checked against the clock).
    let verified = 0;
    const verifyNew = () => {
      for (const request of app.received.slice(verified)) verifyWith(secret, request);
      verified = app.received.length;
    };
    await announceChange(database.db);
    const start = freezeClock();
    await sender.dispatchDue();
    verifyNew();
    vi.setSystemTime(start + 5 * 86_400_000 - 60_000);
    await announceChange(database.db);
    // The first message again (given up: three days old) and the second, failing too.
    expect(await sender.dispatchDue()).toBe(2);
    verifyNew();
    expect(await endpoint()).toMatchObject({ enabled: true, failing_since: expect.anything() });
    // Failing for five days is an incident of its own (the rule's default: an hour); it is not told here.
    await alerts.tick(new Date());
    expect(smtp.received.map((m) => m.subject)).toEqual(['[Recur] ALERT Webhook endpoint failing']);
    expect(smtp.received[0]!.raw).toContain(
      `Webhook endpoint ${endpointId} (${new URL(app.url).host}) has failed`,
    );

    vi.setSystemTime(start + 5 * 86_400_000 + 1000);
    await announceChange(database.db);
    expect(await sender.dispatchDue()).toBe(2);
    verifyNew();
    expect(await endpoint()).toMatchObject({ enabled: false, disabled_reason: 'failing' });
    // Disabled: the same incident, still open, so nothing more is sent.
    await alerts.tick(new Date());
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]).toMatchObject({ to: ['ops@ops.test', 'cto@ops.test'] });
    expect(lines.filter((l) => l.level === 50)).toMatchObject([
      { endpointId, msg: expect.stringContaining('endpoint disabled') },
    ]);

    // Held while disabled: due, but not attempted; sent once the endpoint is enabled again.
    vi.setSystemTime(start + 6 * 86_400_000);
    const sent = app.received.length;
    expect(await sender.dispatchDue()).toBe(0);
    expect(app.received).toHaveLength(sent);
    answer = 200;
    await database.db.execute(sql`update app_webhook_endpoints set enabled = true, disabled_reason = null`);
    expect(await sender.dispatchDue()).toBe(2);
    verifyNew();
    const statuses = (await deliveries(database.db)).map((d) => d.status);
    expect(statuses.sort()).toEqual(['failed', 'succeeded', 'succeeded']);
    expect(await endpoint()).toMatchObject({ enabled: true, failing_since: null });
    await alerts.tick(new Date());
    expect(smtp.received.map((m) => m.subject)).toEqual([
      '[Recur] ALERT Webhook endpoint failing',
      '[Recur] RESOLVED Webhook endpoint failing',
    ]);
  });

  it('sends a disabled endpoint its test ping, and holds everything else for it', async () => {
    const app = await receiver();
    const secret = newSecret();
    const endpointId = await addEndpoint(database.db, cipher, { url: app.url, secret, enabled: false });
    const at = new Date();
    const data = {
      user_id: 'u1',
      organization_id: null,
      customer: { id: 'cus_1', deleted: false, default_payment_method_id: null },
    };
    await announce(database.db, {
      type: 'customer.updated',
      subject: 'user:u1',
      dedupeKey: 'held',
      at,
      data,
      endpointId,
    });
    const pingId = await announce(database.db, {
      type: 'ping',
      subject: `endpoint:${endpointId}`,
      dedupeKey: 'ping',
      at,
      data: { endpoint_id: endpointId, message: 'hello' },
      endpointId,
    });

    expect(await dispatcher().dispatchDue()).toBe(1);

    expect(app.received.map((r) => r.headers['webhook-id'])).toEqual([pingId]);
    expect(verifyWith(secret, app.received[0]!)).toMatchObject({ type: 'ping' });
    expect((await deliveries(database.db)).map((d) => d.status).sort()).toEqual(['pending', 'succeeded']);
  });

  it('lets two dispatchers share the table without sending a delivery twice', async () => {
    const app = await receiver();
    const secret = newSecret();
    await addEndpoint(database.db, cipher, { url: app.url, secret });
    for (let i = 0; i < 40; i++) await announceChange(database.db, `u${i}`);
    // On PostgreSQL the second dispatcher has connections of its own, as another process would.
    const other = database.url ? await openDatabase({ url: database.url, poolSize: 4 }) : database;
    if (other !== database) cleanups.push(() => other.close());

    dispatcher({ concurrency: 8 }).start();
    dispatcher({ concurrency: 8 }, { db: other.db }).start();

    await eventually(async () => {
      expect((await deliveries(database.db)).filter((d) => d.status === 'succeeded')).toHaveLength(40);
    });
    const seen = app.received.map((r) => `${r.headers['webhook-id']}`);
    expect(seen).toHaveLength(40);
    expect(new Set(seen).size).toBe(40);
    for (const request of app.received) verifyWith(secret, request);
    expect(await attempts(database.db)).toHaveLength(40);
  });
});
