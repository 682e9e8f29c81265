import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertChannels } from '../src/alerts/channels.js';
import { AlertMonitor } from '../src/alerts/monitor.js';
import { AlertRuleStore } from '../src/alerts/rule-settings.js';
import { queryRows } from '../src/db/client.js';
import { createStripeClient, type Stripe } from '../src/stripe/index.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { customerWithCard, monthlyPrice } from './support/billing-app.js';
import { failingCustomerEvent } from './support/failing-event.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';
import { runSync } from './support/sync-fixtures.js';
import { settled } from './support/wait.js';
import { startReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

/**
 * Alerts from the rules to the admins: the real app, its SMTP channel aimed at a local mail server
 * and its chat webhook at a local receiver. The monitor is ticked by the test (the worker process
 * runs it on a timer), so every message counted below was sent by exactly the ticks shown.
 */
let t: TestApp;
let stripe: Stripe;
let smtp: TestSmtpServer;
let chat: WebhookReceiver;
let chatAnswer = 200;

beforeAll(async () => {
  smtp = await startSmtpServer();
  chat = await startReceiver(() => ({ status: chatAnswer }));
  t = await startTestApp(
    {
      RECUR_EVENT_MAX_ATTEMPTS: '1',
      SMTP_URL: smtp.url,
      RECUR_ADMIN_EMAILS: 'ops@ops.test',
      RECUR_ALERT_WEBHOOK_URL: chat.url,
      RECUR_WEBHOOKS_ALLOW_PRIVATE: 'true',
    },
    { webhooks: true, worker: true },
  );
  stripe = createStripeClient({ secretKey: 'sk_test_dashboard', apiBase: t.emulator.url });
});
afterAll(async () => {
  await t.close();
  await chat.close();
  await smtp.close();
});
beforeEach(async () => {
  await t.reset();
  smtp.received.splice(0);
  chat.received.splice(0);
  chatAnswer = 200;
});

const admin = () => bearer(t.adminKey);

/** `recur_stripe_watched_events_total` for the two payment outcomes, as /metrics shows them now. */
async function watchedCounts(): Promise<{ failed: number; succeeded: number }> {
  const scrape = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(t.serviceKey) });
  const count = (type: string) =>
    Number(
      new RegExp(`^recur_stripe_watched_events_total\\{type="${type}"\\} (\\d+)$`, 'm').exec(
        scrape.body,
      )?.[1] ?? 0,
    );
  return { failed: count('invoice.payment_failed'), succeeded: count('invoice.payment_succeeded') };
}
const chatTexts = () => chat.received.map((r) => (JSON.parse(r.body) as { text: string }).text);
const subjects = () => smtp.received.map((m) => m.subject);

async function incidents() {
  const res = await t.app.inject({ method: 'GET', url: '/api/admin/alerts', headers: admin() });
  expect(res.statusCode).toBe(200);
  return res.json() as {
    open: Array<{ id: string; rule: string; key: string; summary: string; messages: unknown[] }>;
    recent: Array<{ id: string; rule: string; status: string; resolved_at: string | null }>;
    channels: string[];
  };
}

/** An event dead-lettered for real (one attempt is allowed); the worker is left stopped. */
async function deadLetter(): Promise<{ eventId: string; heal: () => void }> {
  await t.services.worker.stop();
  const failing = await failingCustomerEvent(t, stripe, 'dead@example.com');
  expect(await t.services.worker.process(failing.eventId)).toBe('dead');
  return failing;
}

/** Two passes after the dead letter left: one RESOLVED by each channel, after the one ALERT. */
async function expectDeadLetterResolvedOnce(): Promise<void> {
  await t.services.alertMonitor.tick();
  await t.services.alertMonitor.tick();
  expect(subjects()).toEqual(['[Recur] ALERT Dead-lettered events', '[Recur] RESOLVED Dead-lettered events']);
  expect(chatTexts()).toHaveLength(2);
  expect(chatTexts()[1]).toMatch(/^RESOLVED Dead-lettered events/);
}

describe('alerts', () => {
  it('sends a dead letter once by email and to the chat webhook, shows it, and resolves once on replay', async () => {
    try {
      const dead = await deadLetter();
      await t.services.alertMonitor.tick();
      await t.services.alertMonitor.tick();
      expect(subjects()).toEqual(['[Recur] ALERT Dead-lettered events']);
      expect(smtp.received[0]!.to).toEqual(['ops@ops.test']);
      expect(smtp.received[0]!.raw).toContain('1 event is dead-lettered in the inbox');
      expect(chatTexts()).toEqual([
        expect.stringMatching(/^ALERT Dead-lettered events: 1 event is dead-lettered/),
      ]);
      expect(chat.received[0]!.headers['content-type']).toBe('application/json');

      const scrape = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(t.serviceKey) });
      expect(scrape.body).toMatch(/^recur_events_dead 1$/m);
      expect(scrape.body).toMatch(/^recur_alert_incidents_open\{rule="dead_letters"\} 1$/m);
      const shown = await incidents();
      expect(shown.channels).toEqual(['email', 'webhook']);
      expect(shown.open).toMatchObject([
        {
          rule: 'dead_letters',
          key: '',
          summary: '1 event is dead-lettered in the inbox',
          messages: [
            { kind: 'opened', channel: 'email', status: 'sent', attempts: 1 },
            { kind: 'opened', channel: 'webhook', status: 'sent', attempts: 1 },
          ],
        },
      ]);

      dead.heal();
      const replay = await t.app.inject({
        method: 'POST',
        url: `/api/admin/events/${dead.eventId}/replay`,
        headers: admin(),
      });
      expect(replay.statusCode).toBe(202);
      expect(await t.services.worker.process(dead.eventId)).toBe('processed');
      await expectDeadLetterResolvedOnce();
      const after = await incidents();
      expect(after.open).toEqual([]);
      expect(after.recent).toMatchObject([
        { id: shown.open[0]!.id, rule: 'dead_letters', status: 'resolved', resolved_at: expect.any(String) },
      ]);
    } finally {
      await t.services.worker.start();
    }
  });

  it('resolves once when the dead letter is discarded instead', async () => {
    try {
      const dead = await deadLetter();
      await t.services.alertMonitor.tick();
      expect(subjects()).toEqual(['[Recur] ALERT Dead-lettered events']);
      const discard = (id: string) =>
        t.app.inject({ method: 'POST', url: `/api/admin/events/${id}/discard`, headers: admin() });
      const discarded = await discard(dead.eventId);
      expect(discarded.statusCode).toBe(200);
      expect(discarded.json()).toEqual({ discarded: true });
      // Only a dead letter is discarded, once; an unknown id is not found.
      expect((await discard(dead.eventId)).json().error.code).toBe('event_not_dead');
      expect((await discard('ev_nothing')).statusCode).toBe(404);
      const event = await t.app.inject({
        method: 'GET',
        url: `/api/admin/events/${dead.eventId}`,
        headers: admin(),
      });
      expect(event.json()).toMatchObject({ status: 'discarded' });

      await expectDeadLetterResolvedOnce();
      const [audited] = await queryRows<{ object_id: string }>(
        t.database.db,
        sql`select object_id from audit_log where action = 'event.discard'`,
      );
      expect(audited!.object_id).toBe(dead.eventId);
    } finally {
      await t.services.worker.start();
    }
  });

  it('opens on a burst of bad webhook signatures at the thresholds an admin set, and resolves once it passes', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/alerts/rules',
      headers: admin(),
      payload: { signature_failures: { count: 3, window_seconds: 60 } },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().signature_failures).toEqual({ enabled: true, count: 3, window_seconds: 60 });
    expect(put.json().processing_lag).toEqual({ enabled: true, seconds: 300 });
    const [audited] = await queryRows<{ action: string; changes: { before: object; after: object } }>(
      t.database.db,
      sql`select action, changes from audit_log where action = 'alert_rules.update'`,
    );
    expect(audited!.changes).toEqual({
      before: { signature_failures: { enabled: true, count: 20, window_seconds: 300 } },
      after: { signature_failures: { enabled: true, count: 3, window_seconds: 60 } },
    });

    const forged = () =>
      t.app.inject({
        method: 'POST',
        url: '/stripe/webhook',
        headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
        payload: JSON.stringify({ id: 'evt_forged', type: 'customer.created' }),
      });
    for (let i = 0; i < 2; i++) expect((await forged()).statusCode).toBe(400);
    await t.services.signatureFailures.flush();
    const now = Date.now();
    await t.services.alertMonitor.tick(new Date(now));
    expect(subjects()).toEqual([]);

    expect((await forged()).statusCode).toBe(400);
    await t.services.signatureFailures.flush();
    await t.services.alertMonitor.tick(new Date(now));
    expect(subjects()).toEqual(['[Recur] ALERT Webhook signature failures']);
    expect(chatTexts()).toEqual([
      expect.stringContaining('3 Stripe webhook requests with a bad signature in 60 s'),
    ]);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(t.serviceKey) });
    expect(metrics.body).toMatch(/^recur_webhook_signature_failures_total 3$/m);
    expect(metrics.body).toMatch(/^recur_alert_incidents_open\{rule="signature_failures"\} 1$/m);

    // Two minutes on, the burst is out of the window.
    await t.services.alertMonitor.tick(new Date(now + 120_000));
    await t.services.alertMonitor.tick(new Date(now + 130_000));
    expect(subjects()).toEqual([
      '[Recur] ALERT Webhook signature failures',
      '[Recur] RESOLVED Webhook signature failures',
    ]);
    expect(chatTexts()).toHaveLength(2);
  });

  it('sends once when two evaluators run at once, and a restarted one neither repeats nor forgets', async () => {
    const monitor = () =>
      new AlertMonitor(
        {
          db: t.database.db,
          rules: new AlertRuleStore({ db: t.database.db, defaults: t.services.config.alerts.ruleDefaults }),
          channels: alertChannels(t.services.config),
          cipher: t.services.cipher,
          logger: pino({ level: 'silent' }),
        },
        // A failed message is due again at once: the next pass is its retry.
        { intervalSeconds: 60, retryBaseMs: 0 },
      );
    const [a, b] = [monitor(), monitor()];
    try {
      await deadLetter();
      chatAnswer = 503;
      const results = await Promise.all([a.evaluate(), b.evaluate(), a.evaluate(), b.evaluate()]);
      expect(results.flatMap((r) => r.opened)).toHaveLength(1);
      await Promise.all([a.dispatchDue(), b.dispatchDue()]);
      expect(subjects()).toEqual(['[Recur] ALERT Dead-lettered events']);
      // The chat webhook refused it: kept, with why, for the next pass.
      expect(chat.received).toHaveLength(1);
      const [pending] = (await incidents()).open;
      expect(pending!.messages).toMatchObject([
        { channel: 'email', status: 'sent' },
        { channel: 'webhook', status: 'pending', last_error: 'the alert webhook answered 503' },
      ]);

      // A new process (a restart) sends what was left, and nothing that was sent.
      chatAnswer = 200;
      const restarted = monitor();
      await Promise.all([restarted.tick(), a.tick(), b.tick()]);
      expect(subjects()).toEqual(['[Recur] ALERT Dead-lettered events']);
      expect(chat.received).toHaveLength(2);
      expect(chatTexts()[1]).toMatch(/^ALERT Dead-lettered events/);
      restarted.close();
    } finally {
      a.close();
      b.close();
      await t.services.worker.start();
    }
  });

  it('opens an incident per dispute and resolves it when the dispute closes', async () => {
    // Two payments on the card that the emulator disputes at once, as Stripe's test card does.
    const price = await monthlyPrice(stripe, 2000);
    const disputed = async (userId: string) => {
      const customer = await customerWithCard(stripe, { userId, card: 'pm_card_createDispute' });
      await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
      const [charge] = (await stripe.charges.list({ customer: customer.id })).data;
      const [found] = (await stripe.disputes.list({ charge: charge!.id })).data;
      return found!;
    };
    const one = await disputed('dora');
    const two = await disputed('dario');
    await settled(t);
    await t.services.alertMonitor.tick();
    expect((await incidents()).open.map((i) => [i.rule, i.key]).sort()).toEqual(
      [
        ['dispute', one.id],
        ['dispute', two.id],
      ].sort(),
    );
    expect(subjects()).toEqual(['[Recur] ALERT Payment disputed', '[Recur] ALERT Payment disputed']);
    const due = new Date(one.evidence_details.due_by! * 1000).toISOString().slice(0, 10);
    expect(chatTexts()).toContainEqual(
      expect.stringContaining(
        `A customer disputed a payment (${one.id}; $20.00, reason: fraudulent, evidence due ${due})`,
      ),
    );
    await stripe.disputes.close(one.id);
    await settled(t);
    await t.services.alertMonitor.tick();
    expect((await incidents()).open.map((i) => i.key)).toEqual([two.id]);
    expect(chatTexts().filter((text) => text.startsWith('RESOLVED'))).toEqual([
      expect.stringContaining(`(${one.id};`),
    ]);
  });

  it('tells of a failed sync from Stripe, with its reason, and that it cleared once a later run succeeded', async () => {
    t.emulator.faults.set({
      failNext: [
        {
          method: 'GET',
          path: '/v1/customers',
          status: 400,
          error: { type: 'invalid_request_error', message: 'Injected listing failure' },
        },
      ],
    });
    expect((await runSync(t, { objects: ['customers'] })).status).toBe('failed');
    await t.services.alertMonitor.tick();
    expect(subjects()).toEqual(['[Recur] ALERT Sync from Stripe failed']);
    expect(chatTexts()[0]).toContain('Injected listing failure');

    expect((await runSync(t, { objects: ['customers'] })).status).toBe('succeeded');
    await t.services.alertMonitor.tick();
    await t.services.alertMonitor.tick();
    expect(subjects()).toEqual([
      '[Recur] ALERT Sync from Stripe failed',
      '[Recur] RESOLVED Sync from Stripe failed',
    ]);
  });

  it('judges the failed-payment rate against the usual one, only from enough attempts', async () => {
    await t.services.worker.stop();
    try {
      let n = 0;
      const payments = async (
        type: 'invoice.payment_failed' | 'invoice.payment_succeeded',
        count: number,
      ) => {
        for (let i = 0; i < count; i++) {
          const id = `in_rate${++n}`;
          await t.services.inbox.ingestStripe({
            id: `evt_rate${n}`,
            object: 'event',
            type,
            created: Math.floor(Date.now() / 1000),
            livemode: false,
            api_version: null,
            pending_webhooks: 0,
            request: { id: null, idempotency_key: null },
            data: { object: { id, object: 'invoice' } },
          } as never);
        }
      };
      const countedBefore = await watchedCounts();
      const paymentAlerts = () => subjects().filter((subject) => subject.includes('Failed-payment rate'));
      // Two failed payments out of two: 100%, but too few attempts to judge.
      await payments('invoice.payment_failed', 2);
      await t.services.alertMonitor.tick();
      expect(paymentAlerts()).toEqual([]);

      // The usual rate, from the ten days before: 4 failed of 40 (10%), so the rule fires at 20%.
      await payments('invoice.payment_failed', 4);
      await payments('invoice.payment_succeeded', 36);
      await t.database.db.execute(
        sql`update events set received_at = now() - interval '10 days' where external_id in (select external_id from events order by received_at desc, id desc limit 40)`,
      );
      // The last 24 h: 3 failed of 20 (15%), above 10% but under twice the usual rate.
      await payments('invoice.payment_failed', 1);
      await payments('invoice.payment_succeeded', 17);
      await t.services.alertMonitor.tick();
      expect(paymentAlerts()).toEqual([]);

      // 5 failed of 22 (22.7%).
      await payments('invoice.payment_failed', 2);
      const now = Date.now();
      await t.services.alertMonitor.tick(new Date(now));
      await t.services.alertMonitor.tick(new Date(now + 1000));
      expect(paymentAlerts()).toEqual(['[Recur] ALERT Failed-payment rate above usual']);
      expect(chatTexts()).toContainEqual(
        expect.stringContaining('22.7% of payments failed in the last 24 h (5 of 22); usual: 10.0%'),
      );
      const [incident] = (await incidents()).open.filter((i) => i.rule === 'payment_failure_rate');
      expect(incident!.summary).toBe('22.7% of payments failed in the last 24 h (5 of 22); usual: 10.0%');

      // The counters are the process's: this test's events added to whatever earlier tests counted.
      expect((await watchedCounts()).failed - countedBefore.failed).toBe(9);
      expect((await watchedCounts()).succeeded - countedBefore.succeeded).toBe(53);
      // A day on, those attempts are the usual rate, and the window has too few to judge.
      await t.services.alertMonitor.tick(new Date(now + 25 * 3_600_000));
      await t.services.alertMonitor.tick(new Date(now + 25 * 3_600_000 + 1000));
      expect(paymentAlerts()).toEqual([
        '[Recur] ALERT Failed-payment rate above usual',
        '[Recur] RESOLVED Failed-payment rate above usual',
      ]);
    } finally {
      await t.services.worker.start();
    }
  });

  it('refuses unknown rules, fields and out-of-range thresholds, changing nothing', async () => {
    const before = (
      await t.app.inject({ method: 'GET', url: '/api/admin/alerts/rules', headers: admin() })
    ).json();
    for (const payload of [
      {},
      { nope: { enabled: false } },
      { dead_letters: { min_count: 0 } },
      { dead_letters: { extra: 1 } },
      { payment_failure_rate: { min_rate: 2 } },
    ]) {
      const res = await t.app.inject({
        method: 'PUT',
        url: '/api/admin/alerts/rules',
        headers: admin(),
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
    const after = (
      await t.app.inject({ method: 'GET', url: '/api/admin/alerts/rules', headers: admin() })
    ).json();
    expect(after).toEqual(before);
  });
});
