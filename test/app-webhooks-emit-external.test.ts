import { describe, expect, it } from 'vitest';
import {
  emitTestApp,
  expectSequencesPerSubject,
  ofType,
  storedMessages,
} from './support/app-webhook-messages.js';
import {
  createPlan,
  PAYMENT_SECRET,
  postPaymentNotice,
  subscribe,
  subscriptionRowOf,
} from './support/billing-contract.js';
import { settled } from './support/wait.js';

/**
 * A subscription Recur keeps itself (payments reported by the payment webhook) is announced like a
 * Stripe one: by Recur's API at creation, by the worker for each reported payment, and by the
 * overdue check when its billing date passes unpaid.
 */
const h = emitTestApp(() => ({ RECUR_PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET }));

async function paid(subscriptionId: string, date: string) {
  const res = await postPaymentNotice(h.t, {
    subscription_id: subscriptionId,
    event: 'payment_success',
    amount: 2000,
    date,
  });
  expect(res.statusCode, res.body).toBe(202);
  await settled(h.t);
}

describe('an external subscription’s messages', () => {
  it('announce its creation, its payments and its suspension by the overdue check', async () => {
    await createPlan(h.t, 'pro');
    const res = await subscribe(h.t, {
      plan_id: 'pro',
      customer_email: 'cliente@email.com',
      provider: 'external',
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().subscription_id as string;
    await settled(h.t);
    let messages = await storedMessages(h.t);
    const [created, ...again] = ofType(messages, 'subscription.created');
    expect(again).toEqual([]);
    expect(created!.data.subscription).toMatchObject({ id, provider: 'external', status: 'pending' });

    const today = new Date().toISOString().slice(0, 10);
    await paid(id, today);
    messages = await storedMessages(h.t);
    const [activated] = ofType(messages, 'subscription.updated');
    expect(activated!.data.changed).toContain('status');
    expect(activated!.data.previous.status).toBe('pending');
    expect(activated!.data.subscription.status).toBe('active');

    const firstEnd = (await subscriptionRowOf(h.t, id))!.current_period_end;
    await paid(id, new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
    messages = await storedMessages(h.t);
    const [renewed] = ofType(messages, 'subscription.renewed');
    expect(renewed!.data.subscription.current_period_start).toBe(firstEnd);
    expect(renewed!.data.invoice_id).toBeNull();

    const end = (await subscriptionRowOf(h.t, id))!.current_period_end!;
    expect(await h.t.services.overdueCheck.runOnce(new Date(Date.parse(end) + 1000))).toEqual([id]);
    messages = await storedMessages(h.t);
    const suspended = ofType(messages, 'subscription.updated').at(-1)!;
    expect(suspended.data.changed).toEqual(['status']);
    expect(suspended.data.previous).toEqual({ status: 'active' });
    expect(suspended.data.subscription.status).toBe('suspended');
    expectSequencesPerSubject(messages);
  });
});
