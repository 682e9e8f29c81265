import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { switchCard } from '../emulator/billing/testing/billing-fixtures.js';
import { queryRows } from '../src/db/client.js';
import type { Stripe } from '../src/stripe/index.js';
import { bearer } from './support/app.js';
import { billingTestApp } from './support/billing-app.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.js';
import {
  advanceClock,
  type Catalog,
  createCatalog,
  DAY,
  HOUR,
  type SubscriptionHarness,
  subscriber,
} from './support/subscriptions.js';
import { eventually, settled } from './support/wait.js';

/**
 * A renewal whose card needs 3-D Secure, through the real app and the emulator: Stripe's
 * `invoice.payment_failed` and `invoice.payment_action_required` make the subscription
 * `action_required` (not `suspended`), the customer is asked by email to confirm with the link to
 * the hosted invoice page, access continues for the grace period, and completing the challenge
 * there makes everything active again through the usual events.
 */
let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());
const h = billingTestApp(() => ({
  SMTP_URL: smtp.url,
  RECUR_NOTIFY_FROM: 'billing@recur.test',
})) as SubscriptionHarness;
let catalog: Catalog;
beforeEach(async () => {
  smtp.received.length = 0;
  catalog = await createCatalog(h.t);
});

async function notices() {
  return queryRows<{ kind: string; status: string }>(
    h.t.database.db,
    sql`select kind, status from notifications order by created_at`,
  );
}

const get = async (url: string, token: string) =>
  (await h.t.app.inject({ method: 'GET', url, headers: bearer(token) })).json();

/** The customer answers the 3-D Secure challenge on the emulator's hosted invoice page. */
async function answerChallenge(hostedInvoiceUrl: string, outcome: 'complete' | 'fail') {
  const response = await fetch(`${hostedInvoiceUrl}/authenticate`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `outcome=${outcome}`,
  });
  expect(response.status).toBe(303);
}

/** A Pro subscriber ($50/month) whose card, switched before the renewal, needs 3-D Secure on it. */
async function renewalNeedingAuthentication(userId: string) {
  const s = await subscriber(h, userId, catalog.pro.monthly);
  await switchCard(h.stripe, s.customer.id, 'pm_card_authenticationRequired');
  const periodEnd = s.subscription.items.data[0]!.current_period_end;
  await advanceClock(h.stripe, s.clock, periodEnd + HOUR + 1);
  await settled(h.t);
  const live = await h.stripe.subscriptions.retrieve(s.subscription.id);
  const invoice = await h.stripe.invoices.retrieve(String(live.latest_invoice));
  return { ...s, periodEnd, invoice: invoice as Stripe.Invoice & { hosted_invoice_url: string } };
}

describe('a renewal whose payment needs the customer’s authentication', () => {
  it('shows action_required with the link, keeps access for the grace period, asks by email, and recovers once confirmed', async () => {
    const s = await renewalNeedingAuthentication('user_sca');
    expect(s.invoice).toMatchObject({ status: 'open', billing_reason: 'subscription_cycle' });

    const [view] = (await get('/api/me/subscriptions', s.token)).data;
    expect(view).toMatchObject({
      id: s.subscription.id,
      status: 'action_required',
      stripe_status: 'past_due',
      payment_action_url: s.invoice.hosted_invoice_url,
    });
    expect(await get(`/api/invoices/${s.invoice.id}`, s.token)).toMatchObject({
      status: 'open',
      subscription_status: 'action_required',
      hosted_invoice_url: s.invoice.hosted_invoice_url,
    });
    // Access continues for RECUR_ENTITLEMENT_GRACE_DAYS (7) from the start of the unpaid period.
    const entitlements = await get('/api/me/entitlements', s.token);
    expect(entitlements.benefits).toEqual({ seats: 10 });
    expect(entitlements.subscriptions).toEqual([
      expect.objectContaining({
        status: 'action_required',
        stripe_status: 'past_due',
        access_until: new Date((s.periodEnd + 7 * DAY) * 1000).toISOString(),
      }),
    ]);
    // The admin list filters by Recur's word, and a suspended filter no longer finds it.
    const byStatus = async (status: string) =>
      (await get(`/api/subscriptions?status=${status}`, h.t.adminKey)).data.map((x: { id: string }) => x.id);
    expect(await byStatus('action_required')).toEqual([s.subscription.id]);
    expect(await byStatus('suspended')).toEqual([]);
    expect(await byStatus('past_due')).toEqual([s.subscription.id]);

    // One email, asking to confirm, with the hosted invoice page: not a "payment failed".
    const mail = await eventually(async () => {
      const found = smtp.received.find((m) => m.subject.startsWith('Confirm'));
      if (!found) throw new Error('no payment_action_required email yet');
      return found;
    });
    expect(mail.subject).toBe('Confirm your payment of $50.00');
    expect(mail.to).toEqual(['user_sca@example.com']);
    expect(mail.raw).toContain(s.invoice.hosted_invoice_url);
    await eventually(async () =>
      expect((await notices()).map((n) => [n.kind, n.status])).toEqual([['payment_action_required', 'sent']]),
    );

    await answerChallenge(s.invoice.hosted_invoice_url, 'complete');
    await settled(h.t);
    const [after] = (await get('/api/me/subscriptions', s.token)).data;
    expect(after).toMatchObject({ status: 'active', stripe_status: 'active', payment_action_url: null });
    const restored = await get('/api/me/entitlements', s.token);
    expect(restored.benefits).toEqual({ seats: 10 });
    expect(restored.subscriptions[0]).toMatchObject({ status: 'active', access_until: null });
    await eventually(async () =>
      expect((await notices()).map((n) => [n.kind, n.status])).toEqual([
        ['payment_action_required', 'sent'],
        ['payment_recovered', 'sent'],
      ]),
    );
    expect(smtp.received.map((m) => m.subject)).toEqual([
      'Confirm your payment of $50.00',
      'Your payment of $50.00 went through',
    ]);
  });

  it('stays action_required (past_due in Stripe) when the challenge fails, and tells no failure', async () => {
    const s = await renewalNeedingAuthentication('user_fail');
    await answerChallenge(s.invoice.hosted_invoice_url, 'fail');
    await settled(h.t);
    const intentStatus = async () => {
      const [payment] = (await h.stripe.invoicePayments.list({ invoice: s.invoice.id })).data;
      return (await h.stripe.paymentIntents.retrieve(String(payment!.payment.payment_intent))).status;
    };
    expect(await intentStatus()).toBe('requires_payment_method');
    const [view] = (await get('/api/me/subscriptions', s.token)).data;
    expect(view).toMatchObject({
      status: 'action_required',
      stripe_status: 'past_due',
      payment_action_url: s.invoice.hosted_invoice_url,
    });
    expect((await get('/api/me/entitlements', s.token)).benefits).toEqual({ seats: 10 });
    await eventually(async () =>
      expect((await notices()).map((n) => n.kind)).toEqual(['payment_action_required']),
    );
  });

  it('refuses an upgrade whose payment needs authentication with 402, changing nothing', async () => {
    const s = await subscriber(h, 'user_upgrade', catalog.basic.monthly);
    await switchCard(h.stripe, s.customer.id, 'pm_card_authenticationRequired');
    const answer = await h.t.app.inject({
      method: 'POST',
      url: `/api/subscriptions/${s.subscription.id}/change`,
      headers: bearer(s.token),
      payload: { plan_id: catalog.pro.id },
    });
    expect(answer.statusCode).toBe(402);
    expect(answer.json().error.code).toBe('authentication_required');
    await settled(h.t);
    const [view] = (await get('/api/me/subscriptions', s.token)).data;
    expect(view).toMatchObject({ plan_id: catalog.basic.id, status: 'active', payment_action_url: null });
    const live = await h.stripe.subscriptions.retrieve(s.subscription.id);
    expect(live.items.data[0]!.price.id).toBe(catalog.basic.monthly);
  });

  it('treats a plain decline as before: suspended, no payment link, a failure email', async () => {
    const s = await subscriber(h, 'user_decline', catalog.pro.monthly);
    await switchCard(h.stripe, s.customer.id, 'pm_card_chargeCustomerFail');
    await advanceClock(h.stripe, s.clock, s.subscription.items.data[0]!.current_period_end + HOUR + 1);
    await settled(h.t);
    const [view] = (await get('/api/me/subscriptions', s.token)).data;
    expect(view).toMatchObject({ status: 'suspended', stripe_status: 'past_due', payment_action_url: null });
    await eventually(async () => expect((await notices()).map((n) => n.kind)).toEqual(['payment_failed']));
  });
});
