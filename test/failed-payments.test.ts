import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advanceClock,
  DAY,
  HOUR,
  JAN_1_2026,
  switchCard,
} from '../emulator/billing/testing/billing-fixtures.js';
import { queryRows } from '../src/db/client.js';
import { bearer } from './support/app.js';
import { billingTestApp, customerWithCard, monthlyPrice } from './support/billing-app.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';
import { eventually, settled } from './support/wait.js';

/**
 * A renewal whose card declines, end to end: Stripe's failed payment reaches the mirror through
 * the webhooks, the subscription shows as suspended, the customer is emailed, and paying with a
 * good card makes it active again with a second email.
 */
let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());
const h = billingTestApp(() => ({ SMTP_URL: smtp.url, RECUR_NOTIFY_FROM: 'billing@recur.test' }));

async function notifications() {
  return queryRows<{ kind: string; status: string; customer_id: string; data: Record<string, unknown> }>(
    h.t.database.db,
    sql`select kind, status, customer_id, data from notifications order by created_at`,
  );
}

async function mirroredStatus(subscriptionId: string) {
  const [row] = await queryRows<{ status: string }>(
    h.t.database.db,
    sql`select status from subscriptions where id = ${subscriptionId}`,
  );
  return row?.status;
}

describe('a failed renewal payment', () => {
  it('suspends the subscription, tells the customer, and recovers when paid with a good card', async () => {
    const { stripe } = h;
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: JAN_1_2026 });
    const customer = await customerWithCard(stripe, {
      userId: 'user_grace',
      name: 'Grace Hopper',
      testClock: clock.id,
    });
    const price = await monthlyPrice(stripe, 2000);
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    expect(subscription.status).toBe('active');

    await switchCard(stripe, customer.id, 'pm_card_chargeCustomerFail');
    const renewalAttempt = JAN_1_2026 + 31 * DAY + HOUR;
    await advanceClock(stripe, clock.id, renewalAttempt + 1);
    await settled(h.t);

    expect(await mirroredStatus(subscription.id)).toBe('past_due');
    const live = await stripe.subscriptions.retrieve(subscription.id);
    const renewalId = String(live.latest_invoice);
    const token = await h.t.userToken('user_grace');
    const view = (
      await h.t.app.inject({ method: 'GET', url: `/api/invoices/${renewalId}`, headers: bearer(token) })
    ).json();
    expect(view).toMatchObject({
      status: 'open',
      billing_reason: 'subscription_cycle',
      amount_due: 2000,
      amount_remaining: 2000,
      attempt_count: 1,
      next_payment_attempt: new Date((renewalAttempt + 3 * DAY) * 1000).toISOString(),
      subscription_status: 'suspended',
    });

    const failedMail = await eventually(async () => {
      const mail = smtp.received.find((m) => m.subject.includes('failed'));
      if (!mail) throw new Error('no payment_failed email yet');
      return mail;
    });
    expect(failedMail.to).toEqual(['user_grace@example.com']);
    expect(failedMail.subject).toBe('Your payment of $20.00 failed');
    expect(failedMail.raw).toContain('From: billing@recur.test');
    expect(failedMail.raw).toContain('Hello Grace Hopper,');
    expect(failedMail.raw).toContain('We will try again on February 4, 2026.');
    expect(failedMail.raw).toContain(view.hosted_invoice_url);
    // No card data: neither the failing card's nor the first card's digits or brand.
    for (const cardData of ['0341', '4242', 'visa', 'Visa']) expect(failedMail.raw).not.toContain(cardData);
    // The mail server has it before the dispatcher records it as sent.
    const [failed] = await eventually(async () => {
      const rows = await notifications();
      expect(rows[0]).toMatchObject({ kind: 'payment_failed', status: 'sent', customer_id: customer.id });
      return rows;
    });
    expect(JSON.stringify(failed!.data)).not.toContain('@');

    await switchCard(stripe, customer.id, 'pm_card_mastercard');
    const paid = await stripe.invoices.pay(renewalId);
    expect(paid.status).toBe('paid');
    await settled(h.t);

    expect(await mirroredStatus(subscription.id)).toBe('active');
    const after = (
      await h.t.app.inject({ method: 'GET', url: '/api/me/invoices', headers: bearer(token) })
    ).json();
    expect(after.data.find((i: { id: string }) => i.id === renewalId)).toMatchObject({
      status: 'paid',
      amount_remaining: 0,
      subscription_status: 'active',
    });
    const recoveredMail = await eventually(async () => {
      const mail = smtp.received.find((m) => m.subject.includes('went through'));
      if (!mail) throw new Error('no payment_recovered email yet');
      return mail;
    });
    expect(recoveredMail.subject).toBe('Your payment of $20.00 went through');
    await eventually(async () =>
      expect((await notifications()).map((n) => [n.kind, n.status])).toEqual([
        ['payment_failed', 'sent'],
        ['payment_recovered', 'sent'],
      ]),
    );
    // The first invoice was paid at once: its invoice.paid is no recovery and notified nobody.
    expect(smtp.received).toHaveLength(2);
  });
});
