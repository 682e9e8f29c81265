import { beforeAll, describe, expect, it } from 'vitest';
import type { Stripe } from '../src/stripe/index.js';
import type { TestApp } from './support/app.js';
import {
  contractTestApp,
  createPlan,
  postPaymentNotice,
  subscribe,
  subscriptionRowOf,
} from './support/billing-contract.js';
import { settled } from './support/wait.js';

/**
 * The wait every integration test leans on. Each case holds back what a weaker wait would miss
 * (webhooks held by the emulator's reorder window, a delivery given up), so that a `settled`
 * that returned on a quiet moment rather than a settled one fails here.
 */
const harness = contractTestApp();
let t: TestApp;
let stripe: Stripe;
beforeAll(() => {
  ({ t, stripe } = harness);
});

describe('settled', () => {
  it('waits for the webhooks caused by the worker applying an event, not only for the event', async () => {
    await createPlan(t, 'pro');
    const created = await subscribe(t, { plan_id: 'pro', customer_email: 'held@email.com' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().subscription_id as string;
    await settled(t);
    expect((await subscriptionRowOf(t, id))!.status).toBe('incomplete');
    // Deliveries queued from now on wait up to 2 s: long after the payment event is applied.
    t.emulator.faults.set({ webhookReorderWindowMs: 2_000 });

    // The worker pays the open invoice out of band; Stripe's webhooks then activate the subscription.
    const res = await postPaymentNotice(t, {
      subscription_id: id,
      event: 'payment_success',
      amount: 2000,
      date: '2025-01-10',
    });
    expect(res.statusCode, res.body).toBe(202);
    await settled(t);

    expect((await stripe.subscriptions.retrieve(id)).status).toBe('active');
    expect((await subscriptionRowOf(t, id))!.status).toBe('active');
  });

  it('does not pass while an event the emulator sent never reached the inbox', async () => {
    // The app now refuses Stripe's signature, so every delivery is answered 400 until given up.
    t.services.webhookSecrets.splice(0, Infinity, 'whsec_not_the_endpoints_secret');
    const customer = await stripe.customers.create({ email: 'lost@email.com' });
    await t.emulator.webhooksIdle();

    const [created] = (await stripe.events.list({ type: 'customer.created', limit: 1 })).data;
    expect(created!.data.object).toMatchObject({ id: customer.id });
    await expect(settled(t, 500)).rejects.toThrow(`sent but not in the inbox: ${created!.id}`);
  });
});
