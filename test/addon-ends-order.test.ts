import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { createStripeClient, type Stripe } from '../src/stripe/index.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createPlan } from './support/billing.js';
import { seededShuffle } from './support/shuffle.js';

/**
 * An add-on ends with its base whatever order Stripe delivers the payer's events in: the base's
 * end may be applied before the add-on is even in the mirror.
 */
let t: TestApp;
let stripe: Stripe;
let prices: { base: string; addOn: string };
const seen = new Set<string>();

beforeAll(async () => {
  t = await startTestApp();
  stripe = createStripeClient({ secretKey: 'sk_test_addon_order', apiBase: t.emulator.url });
  const base = await createPlan(t, { key: 'studio' });
  const addOn = await createPlan(t, {
    key: 'render_farm',
    kind: 'add_on',
    requires_plans: ['studio'],
    force: true,
  });
  prices = { base: base.prices[0]!.stripe_price_id, addOn: addOn.prices[0]!.stripe_price_id };
  await newEvents();
});
afterAll(() => t.close());

/** The events made since the last call, oldest first. */
async function newEvents(): Promise<Stripe.Event[]> {
  const out: Stripe.Event[] = [];
  for await (const event of stripe.events.list({ limit: 100 })) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    out.push(event);
  }
  return out.reverse();
}

async function deliver(events: Stripe.Event[]): Promise<void> {
  for (const event of events) {
    const { id, duplicate } = await t.services.inbox.ingestStripe(event);
    if (!duplicate) expect(['processed', 'ignored']).toContain(await t.services.worker.process(id));
  }
}

describe('an add-on ends with its base in any delivery order', () => {
  it.each([
    ['in order', (e: Stripe.Event[]) => e, 1],
    ['reversed', (e: Stripe.Event[]) => [...e].reverse(), 2],
    ['shuffled (seed 7)', (e: Stripe.Event[]) => seededShuffle(e, 7), 3],
    ['each twice, shuffled (seed 3)', (e: Stripe.Event[]) => seededShuffle([...e, ...e], 3), 4],
  ])('%s', async (_name, order, n) => {
    const customer = await stripe.customers.create({
      email: `order${n}@example.com`,
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
      metadata: { recur_user_id: `u_order${n}` },
    });
    const base = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: prices.base }],
    });
    const addOn = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: prices.addOn }],
    });
    await stripe.subscriptions.cancel(base.id);
    await deliver(order(await newEvents()));

    // Cancelled once, whichever event found the base ended; its own end is applied as it arrives.
    expect((await stripe.subscriptions.retrieve(addOn.id)).status).toBe('canceled');
    const ended = await newEvents();
    expect(ended.filter((e) => e.type === 'customer.subscription.deleted')).toHaveLength(1);
    await deliver(ended);
    const [row] = await queryRows<{ status: string }>(
      t.database.db,
      sql`select status from subscriptions where id = ${addOn.id}`,
    );
    expect(row?.status).toBe('canceled');
    const audited = await queryRows<{ action: string; cause: string }>(
      t.database.db,
      sql`select action, cause from audit_log where object_id = ${addOn.id}`,
    );
    expect(audited).toEqual([{ action: 'subscription.cancel', cause: `base_subscription:${base.id}` }]);
  });
});
