import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { NotificationDispatcher } from '../src/notifications/dispatcher.js';
import { LogNotificationSender } from '../src/notifications/senders.js';
import { SmtpNotificationSender } from '../src/notifications/smtp-sender.js';
import { bearer } from './support/app.js';
import { billingTestApp, customerWithCard, monthlyPrice } from './support/billing-app.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';
import { settled } from './support/wait.js';

/**
 * The outbox from events to senders. The app's own dispatcher is stopped before each test (the
 * harness's reset starts it again): each test sends with a dispatcher of its own, one pass at a
 * time, so retries need no waiting and nothing is sent behind a test's back.
 */
let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());
const h = billingTestApp();
beforeEach(() => h.t.services.notifications.stop());

type Row = { id: string; kind: string; status: string; attempts: number; last_error: string | null };
async function outbox(): Promise<Row[]> {
  return queryRows<Row>(
    h.t.database.db,
    sql`select id, kind, status, attempts, last_error from notifications order by created_at, kind`,
  );
}

function dispatcherWith(sender: SmtpNotificationSender | LogNotificationSender) {
  return new NotificationDispatcher(
    { db: h.t.database.db, sender, cipher: h.t.services.cipher, logger: pino({ level: 'silent' }) },
    // Retries fall due at once: the next pass is the retry.
    { retryBaseMs: 0, retryMaxMs: 0, maxAttempts: 3 },
  );
}

/** A trial shorter than three days announces its end at once; cancelling it announces that. */
async function trialThenCancel(options: { email?: boolean } = {}) {
  const customer =
    options.email === false
      ? await h.stripe.customers.create({ name: 'No Mail' })
      : await customerWithCard(h.stripe, { userId: 'user_lin', name: 'Lin' });
  const price = await monthlyPrice(h.stripe, 1500);
  const subscription = await h.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: price.id }],
    trial_period_days: 1,
  });
  await h.stripe.subscriptions.cancel(subscription.id);
  await settled(h.t);
  return { customer, subscription };
}

describe('the notification outbox', () => {
  it('queues one notification per event, however often the event is processed', async () => {
    await trialThenCancel();
    expect((await outbox()).map((n) => [n.kind, n.status]).sort()).toEqual([
      ['subscription_cancelled', 'pending'],
      ['trial_will_end', 'pending'],
    ]);
    const replay = await h.t.app.inject({
      method: 'POST',
      url: '/api/admin/events/replay',
      headers: bearer(h.t.adminKey),
      payload: { type: 'customer.subscription.*' },
    });
    expect(replay.statusCode).toBe(202);
    expect(replay.json().replayed).toBeGreaterThanOrEqual(3);
    await settled(h.t);
    expect(await outbox()).toHaveLength(2);
  });

  it('emails through SMTP, retrying a refused message until it is sent', async () => {
    await trialThenCancel();
    const sender = new SmtpNotificationSender({ url: smtp.url, from: 'billing@recur.test' });
    const dispatcher = dispatcherWith(sender);
    smtp.refuseNext(1);
    smtp.received.length = 0;

    expect(await dispatcher.dispatchDue()).toBe(1);
    const afterFirst = await outbox();
    const refused = afterFirst.find((n) => n.status === 'pending')!;
    expect(refused).toMatchObject({ attempts: 1 });
    expect(refused.last_error).toContain('Mailbox busy');
    expect(afterFirst.filter((n) => n.status === 'sent')).toHaveLength(1);

    expect(await dispatcher.dispatchDue()).toBe(1);
    expect((await outbox()).map((n) => n.status)).toEqual(['sent', 'sent']);
    expect(await dispatcher.dispatchDue()).toBe(0);
    const subjects = smtp.received.map((m) => m.subject);
    expect(subjects).toHaveLength(2);
    expect(subjects).toContain('Your subscription was cancelled');
    expect(subjects.find((s) => s.startsWith('Your trial'))).toMatch(/^Your trial ends on \w+ \d+, \d{4}$/);
    for (const mail of smtp.received) {
      expect(mail.to).toEqual(['user_lin@example.com']);
      expect(mail.raw).toContain('Hello Lin,');
      expect(mail.raw).not.toContain('4242');
    }
    sender.close();
  });

  it('gives up at once on a customer without an email address', async () => {
    await trialThenCancel({ email: false });
    const sender = new SmtpNotificationSender({ url: smtp.url, from: 'billing@recur.test' });
    expect(await dispatcherWith(sender).dispatchDue()).toBe(0);
    const rows = await outbox();
    expect(rows.map((n) => [n.status, n.attempts, n.last_error])).toEqual([
      ['failed', 1, 'the customer has no email address'],
      ['failed', 1, 'the customer has no email address'],
    ]);
    sender.close();
  });

  it('logs kind, customer and notification id without SMTP, never the address', async () => {
    const { customer } = await trialThenCancel();
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    expect(await dispatcherWith(new LogNotificationSender(logger)).dispatchDue()).toBe(2);
    const rows = await outbox();
    expect(rows.map((n) => n.status)).toEqual(['sent', 'sent']);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const entry = JSON.parse(line);
      expect(entry.customerId).toBe(customer.id);
      expect(rows.map((n) => n.id)).toContain(entry.notificationId);
      expect(['trial_will_end', 'subscription_cancelled']).toContain(entry.kind);
      expect(line).not.toContain('example.com');
      expect(line).not.toContain('Lin');
    }
  });
});
