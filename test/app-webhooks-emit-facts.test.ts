import { describe, expect, it } from 'vitest';
import { switchCard } from '../emulator/billing/testing/billing-fixtures.js';
import { upsertMirror } from '../src/mirror/repository.js';
import { invoiceRow } from '../src/stripe/mapping.js';
import { bearer } from './support/app.js';
import {
  cancelAtPeriodEnd,
  emitTestApp,
  entitlementsAnswer,
  expectSequencesPerSubject,
  ofType,
  type StoredMessage,
  storedMessages,
} from './support/app-webhook-messages.js';
import { createPlan, payOnHostedPage } from './support/billing.js';
import { customerWithCard } from './support/billing-app.js';
import { advanceClock } from './support/subscriptions.js';
import { settled } from './support/wait.js';

/**
 * Invoices, customers, refunds, checkout and trials announced to the host app, and access that
 * ends by time alone, from real flows against the emulator.
 */
const h = emitTestApp();

const DAY = 86_400;

async function proPlan() {
  return createPlan(h.t, { key: 'pro', benefits: [{ key: 'api', value: true }] });
}

/** Nothing a message carries names the person or the card. */
function expectNoPersonalData(messages: StoredMessage[], ...secrets: string[]) {
  const text = JSON.stringify(messages.map((m) => m.event));
  for (const secret of ['@example.com', '4242', '0341', ...secrets]) expect(text).not.toContain(secret);
}

describe('fact messages', () => {
  it('announce a failed renewal, then its payment: invoice.payment_failed, invoice.paid, with the subscription’s changes', async () => {
    const plan = await proPlan();
    const start = Math.floor(Date.now() / 1000);
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: start });
    const customer = await customerWithCard(h.stripe, {
      userId: 'user_grace',
      name: 'Grace Hopper',
      testClock: clock.id,
    });
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plan.prices[0]!.stripe_price_id }],
    });
    await switchCard(h.stripe, customer.id, 'pm_card_chargeCustomerFail');
    await advanceClock(h.stripe, clock.id, start + 32 * DAY);
    await settled(h.t);
    const renewalId = String((await h.stripe.subscriptions.retrieve(subscription.id)).latest_invoice);

    let messages = await storedMessages(h.t);
    const [failed, ...moreFailures] = ofType(messages, 'invoice.payment_failed');
    expect(moreFailures).toEqual([]);
    expect(failed).toMatchObject({ subject: `invoice:${renewalId}` });
    expect(failed!.data).toMatchObject({
      user_id: 'user_grace',
      invoice: { id: renewalId, subscription_id: subscription.id, status: 'open', attempt_count: 1 },
    });
    expect(failed!.data.invoice.amount_remaining).toBe(2000);
    const suspended = ofType(messages, 'subscription.updated').find((m) => m.data.changed.includes('status'));
    expect(suspended!.data.previous.status).toBe('active');
    expect(suspended!.data.subscription.status).toBe('suspended');
    // Still within the grace period: the same benefits, now with an end.
    const granted = ofType(messages, 'entitlements.updated');
    expect(granted.at(-1)!.data.entitlements).toEqual(await entitlementsAnswer(h.t, 'user_grace'));
    expect(granted.at(-1)!.data.entitlements.subscriptions[0]!.access_until).not.toBeNull();

    await switchCard(h.stripe, customer.id, 'pm_card_mastercard');
    await h.stripe.invoices.pay(renewalId);
    await settled(h.t);
    messages = await storedMessages(h.t);
    const paid = ofType(messages, 'invoice.paid').filter((m) => m.data.invoice.id === renewalId);
    expect(paid).toHaveLength(1);
    expect(paid[0]!.data.invoice).toMatchObject({ status: 'paid', amount_paid: 2000, amount_remaining: 0 });
    // The first invoice, paid at once, was announced too: one invoice.paid per invoice.
    expect(ofType(messages, 'invoice.paid')).toHaveLength(2);
    expect(ofType(messages, 'entitlements.updated').at(-1)!.data.entitlements).toEqual(
      await entitlementsAnswer(h.t, 'user_grace'),
    );
    expectSequencesPerSubject(messages);
    expectNoPersonalData(messages, 'Grace Hopper');
  });

  it('announce a payment that needs the customer’s action', async () => {
    const plan = await proPlan();
    const customer = await customerWithCard(h.stripe, {
      userId: 'user_sca',
      card: 'pm_card_authenticationRequired',
    });
    await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plan.prices[0]!.stripe_price_id }],
    });
    await settled(h.t);
    const messages = await storedMessages(h.t);
    const [action] = ofType(messages, 'invoice.payment_action_required');
    expect(action!.data.user_id).toBe('user_sca');
    expect(action!.data.invoice.status).toBe('open');
    expect(action!.data.invoice.hosted_invoice_url).toMatch(/^http/);
    // No access while the first payment waits.
    expect(ofType(messages, 'entitlements.updated')).toEqual([]);
  });

  it('announce a renewal that waits for authentication: action_required with its link, then active again', async () => {
    const plan = await proPlan();
    const start = Math.floor(Date.now() / 1000);
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: start });
    const customer = await customerWithCard(h.stripe, { userId: 'user_wait', testClock: clock.id });
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plan.prices[0]!.stripe_price_id }],
    });
    await switchCard(h.stripe, customer.id, 'pm_card_authenticationRequired');
    await advanceClock(h.stripe, clock.id, start + 32 * DAY);
    await settled(h.t);
    const renewal = await h.stripe.invoices.retrieve(
      String((await h.stripe.subscriptions.retrieve(subscription.id)).latest_invoice),
    );
    let messages = await storedMessages(h.t);
    const waiting = ofType(messages, 'subscription.updated').at(-1)!;
    expect(waiting.data.subscription).toMatchObject({
      status: 'action_required',
      payment_action_url: renewal.hosted_invoice_url,
    });
    expect(ofType(messages, 'entitlements.updated').at(-1)!.data.entitlements).toEqual(
      await entitlementsAnswer(h.t, 'user_wait'),
    );

    const answer = await fetch(`${renewal.hosted_invoice_url}/authenticate`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'outcome=complete',
    });
    expect(answer.status).toBe(303);
    await settled(h.t);
    messages = await storedMessages(h.t);
    const active = ofType(messages, 'subscription.updated').at(-1)!;
    expect(active.data.subscription).toMatchObject({ status: 'active', payment_action_url: null });
    expect(ofType(messages, 'entitlements.updated').at(-1)!.data.entitlements).toEqual(
      await entitlementsAnswer(h.t, 'user_wait'),
    );
    expectSequencesPerSubject(messages);
  });

  it('announce a trial’s coming end, the customer’s changes and its deletion, which takes the access', async () => {
    const plan = await proPlan();
    const customer = await customerWithCard(h.stripe, { userId: 'user_lin', name: 'Lin Secret' });
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plan.prices[0]!.stripe_price_id }],
      trial_period_days: 1,
    });
    await settled(h.t);
    let messages = await storedMessages(h.t);
    const [trial] = ofType(messages, 'trial.will_end');
    expect(trial!.data).toEqual({
      user_id: 'user_lin',
      organization_id: null,
      subscription_id: subscription.id,
      trial_end: new Date(subscription.trial_end! * 1000).toISOString(),
    });
    expect(ofType(messages, 'entitlements.updated')[0]!.data.changes.added).toEqual(['api']);

    await h.stripe.customers.update(customer.id, { name: 'Lin Other' });
    await settled(h.t);
    messages = await storedMessages(h.t);
    const [updated] = ofType(messages, 'customer.updated');
    expect(updated).toMatchObject({ subject: 'user:user_lin' });
    expect(updated!.data).toEqual({
      user_id: 'user_lin',
      organization_id: null,
      customer: { id: customer.id, deleted: false, default_payment_method_id: expect.any(String) },
    });

    await h.stripe.customers.del(customer.id);
    await settled(h.t);
    messages = await storedMessages(h.t);
    expect(ofType(messages, 'customer.updated').at(-1)!.data.customer.deleted).toBe(true);
    const revoked = ofType(messages, 'entitlements.updated').at(-1)!;
    expect(revoked.data.changes.removed).toEqual(['api']);
    expect(revoked.data.entitlements).toEqual(await entitlementsAnswer(h.t, 'user_lin'));
    expectSequencesPerSubject(messages);
    expectNoPersonalData(messages, 'Lin Secret', 'Lin Other');
  });

  it('announce a refund made through Recur once, and a completed checkout', async () => {
    const plan = await proPlan();
    const start = await h.t.app.inject({
      method: 'POST',
      url: '/api/checkout/sessions',
      headers: bearer(await h.t.userToken('user_ann')),
      payload: { plan_id: 'pro' },
    });
    expect(start.statusCode, start.body).toBe(201);
    const session = start.json();
    expect((await payOnHostedPage(h.t, session.id, 'visa')).status).toBeLessThan(400);
    await settled(h.t);
    let messages = await storedMessages(h.t);
    const [completed, ...again] = ofType(messages, 'checkout.completed');
    expect(again).toEqual([]);
    const live = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(completed!.data).toEqual({
      user_id: 'user_ann',
      organization_id: null,
      checkout_session_id: session.id,
      subscription_id: live.subscription,
      plan_id: plan.id,
    });
    expect(ofType(messages, 'entitlements.updated')[0]!.data.entitlements).toEqual(
      await entitlementsAnswer(h.t, 'user_ann'),
    );

    const invoiceId = String(
      (await h.stripe.subscriptions.retrieve(String(live.subscription))).latest_invoice,
    );
    const refund = await h.t.app.inject({
      method: 'POST',
      url: '/stripe/refunds',
      headers: bearer(h.t.adminKey),
      payload: { invoice_id: invoiceId, amount: 500, reason: 'requested_by_customer' },
    });
    expect(refund.statusCode, refund.body).toBe(201);
    // Announced with Recur's own write, before any webhook.
    const [announced] = ofType(await storedMessages(h.t), 'refund.created');
    expect(announced!.data).toEqual({
      user_id: 'user_ann',
      organization_id: null,
      refund: {
        id: refund.json().id,
        invoice_id: invoiceId,
        amount: 500,
        currency: 'usd',
        status: 'succeeded',
        reason: 'requested_by_customer',
      },
    });
    await settled(h.t);
    messages = await storedMessages(h.t);
    expect(ofType(messages, 'refund.created')).toHaveLength(1);
    expectSequencesPerSubject(messages);
  });

  it('announce access that ends by time alone, once, when the overdue check runs', async () => {
    const plan = await proPlan();
    const customer = await customerWithCard(h.stripe, { userId: 'user_end' });
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plan.prices[0]!.stripe_price_id }],
    });
    await settled(h.t);
    await cancelAtPeriodEnd(h.t, subscription.id);
    const before = ofType(await storedMessages(h.t), 'entitlements.updated');
    const accessUntil = before.at(-1)!.data.entitlements.subscriptions[0]!.access_until!;
    expect(accessUntil).not.toBeNull();

    // Nothing has ended yet; an hour after the period's end, access has, with no event from Stripe.
    await h.t.services.overdueCheck.runOnce(new Date(Date.parse(accessUntil) - 60_000));
    expect(ofType(await storedMessages(h.t), 'entitlements.updated')).toHaveLength(before.length);
    const later = new Date(Date.parse(accessUntil) + 3_600_000);
    await h.t.services.overdueCheck.runOnce(later);
    await h.t.services.overdueCheck.runOnce(later);
    const after = ofType(await storedMessages(h.t), 'entitlements.updated');
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)!.data).toEqual({
      user_id: 'user_end',
      entitlements: { benefits: {}, sources: {}, subscriptions: [], purchases: [], usage: {} },
      changes: { added: [], removed: ['api'], changed: [] },
    });
  });

  it('announce an invoice paid that the mirror learnt of without an event, on its payment’s event', async () => {
    const plan = await proPlan();
    const customer = await customerWithCard(h.stripe, { userId: 'user_sync' });
    // The events wait in the inbox while the invoice reaches the mirror as a sync would write it.
    await h.t.services.worker.stop();
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plan.prices[0]!.stripe_price_id }],
    });
    await h.t.emulator.webhooksIdle();
    const invoice = await h.stripe.invoices.retrieve(String(subscription.latest_invoice));
    expect(invoice.status).toBe('paid');
    await upsertMirror(h.t.database.db, 'invoice', invoiceRow(invoice), new Date(Date.now() + 60_000));
    await h.t.services.worker.start();
    await settled(h.t);

    // Every invoice event is older than that write; the payment's event still tells it, once.
    const paid = ofType(await storedMessages(h.t), 'invoice.paid').filter(
      (m) => m.subject === `invoice:${invoice.id}`,
    );
    expect(paid.map((m) => m.data.invoice.status)).toEqual(['paid']);
    expect(paid[0]!.data.user_id).toBe('user_sync');
  });
});
