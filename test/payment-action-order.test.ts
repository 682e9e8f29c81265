import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, DAY, HOUR } from '../emulator/billing/testing/billing-fixtures.js';
import { createStripeClient, type Stripe } from '../src/stripe/index.js';
import { subscriptionRepository } from '../src/subscriptions/repository.js';
import { toSubscriptionView } from '../src/subscriptions/views.js';
import { startTestApp, type TestApp } from './support/app.js';
import { endpointForAll, storedMessages } from './support/app-webhook-messages.js';
import { monthlyPrice } from './support/billing-app.js';
import { truncateAll } from './support/db.js';
import { expectMirrorEqualsStripe } from './support/mirror.js';
import { seededShuffle } from './support/shuffle.js';

/**
 * A renewal that needs 3-D Secure, then the customer's confirmation, delivered in any order: while
 * the payment waits, every order ends `action_required` with the link; once confirmed, every order
 * ends `active` without it, and the mirror equals Stripe.
 */
let t: TestApp;
let stripe: Stripe;
let subscriptionId: string;
let hostedInvoiceUrl: string;

async function allEvents(): Promise<Stripe.Event[]> {
  const out: Stripe.Event[] = [];
  for await (const event of stripe.events.list({ limit: 100 })) out.push(event);
  return out.reverse();
}

async function replay(order: Stripe.Event[]): Promise<void> {
  await truncateAll(t.database);
  await endpointForAll(t);
  for (const event of order) {
    const { id, duplicate } = await t.services.inbox.ingestStripe(event);
    if (!duplicate) expect(['processed', 'ignored']).toContain(await t.services.worker.process(id));
  }
}

/** The status the host app was last told for the subscription, by its webhooks' latest message about it. */
async function lastToldStatus(): Promise<unknown> {
  const about = (await storedMessages(t)).filter(
    (m) => (m.event.data as { subscription?: { id?: string } }).subscription?.id === subscriptionId,
  );
  const last = about.sort((a, b) => a.sequence - b.sequence).at(-1);
  return (last?.event.data as { subscription?: { status?: string } } | undefined)?.subscription?.status;
}

/** The API's view of the subscription (read below the routes: the replay empties every table, keys too). */
async function view() {
  const record = await subscriptionRepository.find(t.database.db, subscriptionId);
  return record && toSubscriptionView(record);
}

const orders = (events: Stripe.Event[]): Array<[string, Stripe.Event[]]> => [
  ['in order', events],
  ['reversed', [...events].reverse()],
  ['shuffled (seed 1)', seededShuffle(events, 1)],
  ['shuffled (seed 9)', seededShuffle(events, 9)],
  ['each twice, shuffled', seededShuffle([...events, ...events], 4)],
];

beforeAll(async () => {
  t = await startTestApp();
  stripe = createStripeClient({ secretKey: 'sk_test_sca_order', apiBase: t.emulator.url });
});
afterAll(() => t.close());

describe('a payment that waits for authentication, in any delivery order', () => {
  it('is action_required while it waits and active once confirmed', async () => {
    const start = Math.floor(Date.now() / 1000);
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    const price = await monthlyPrice(stripe, 2000);
    const customer = await stripe.customers.create({
      email: 'order@example.com',
      payment_method: 'pm_card_authenticationRequired',
      invoice_settings: { default_payment_method: 'pm_card_authenticationRequired' },
      test_clock: clock.id,
    });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      trial_period_days: 3,
    });
    subscriptionId = subscription.id;
    await advanceClock(stripe, clock.id, start + 3 * DAY + HOUR + 1);
    const invoice = await stripe.invoices.retrieve(
      String((await stripe.subscriptions.retrieve(subscription.id)).latest_invoice),
    );
    hostedInvoiceUrl = invoice.hosted_invoice_url!;

    const waiting = await allEvents();
    expect(waiting.map((e) => e.type)).toEqual(
      expect.arrayContaining(['invoice.payment_failed', 'invoice.payment_action_required']),
    );
    for (const [name, order] of orders(waiting)) {
      await replay(order);
      expect(await view(), name).toMatchObject({
        status: 'action_required',
        stripe_status: 'past_due',
        payment_action_url: hostedInvoiceUrl,
      });
      expect(await lastToldStatus(), name).toBe('action_required');
    }

    const answer = await fetch(`${hostedInvoiceUrl}/authenticate`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'outcome=complete',
    });
    expect(answer.status).toBe(303);
    const all = await allEvents();
    expect(all.map((e) => e.type)).toContain('invoice.paid');
    for (const [name, order] of orders(all)) {
      await replay(order);
      expect(await view(), name).toMatchObject({
        status: 'active',
        stripe_status: 'active',
        payment_action_url: null,
      });
      expect(await lastToldStatus(), name).toBe('active');
      await expectMirrorEqualsStripe(t.database.db, t.services.cipher, stripe);
    }
  });
});
