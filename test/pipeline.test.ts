import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { createStripeClient, type Stripe } from '../src/stripe/index.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { failingCustomerEvent } from './support/failing-event.js';
import { eventually, settled } from './support/wait.js';

/**
 * The whole path: the emulator (playing Stripe) delivers signed webhooks over HTTP to the app's
 * endpoint, the inbox stores them, the worker applies them, and the mirror ends equal to Stripe.
 */
let t: TestApp;
let stripe: Stripe;

beforeAll(async () => {
  t = await startTestApp({ RECUR_EVENT_MAX_ATTEMPTS: '2' }, { webhooks: true, worker: true });
  stripe = createStripeClient({ secretKey: 'sk_test_dashboard', apiBase: t.emulator.url });
});
afterAll(() => t.close());
beforeEach(() => t.reset());

async function customerRow(id: string) {
  const [row] = await queryRows<{
    email_encrypted: string | null;
    email_hash: string | null;
    name_encrypted: string | null;
    default_payment_method_id: string | null;
    deleted: boolean;
    external_id: string | null;
  }>(t.database.db, sql`select * from customers where id = ${id}`);
  return row;
}

describe('the event pipeline', () => {
  it('mirrors customers and payment methods from delivered events, encrypting personal data', async () => {
    const customer = await stripe.customers.create({
      email: 'lena@example.com',
      name: 'Lena Park',
      metadata: { recur_user_id: 'user_42' },
    });
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, {
      name: 'Lena Park-Lee',
      invoice_settings: { default_payment_method: card.id },
    });
    await settled(t);

    const row = await customerRow(customer.id);
    expect(row).toBeDefined();
    expect(row!.external_id).toBe('user_42');
    expect(row!.default_payment_method_id).toBe(card.id);
    expect(t.services.cipher.decrypt(row!.email_encrypted!)).toBe('lena@example.com');
    expect(t.services.cipher.decrypt(row!.name_encrypted!)).toBe('Lena Park-Lee');
    expect(row!.email_hash).toBe(t.services.cipher.emailHash('LENA@example.com'));

    // A raw read of the database shows no email or name in the clear, in any table.
    const dump = await queryRows<{ t: string }>(
      t.database.db,
      sql`select string_agg(x::text, ' ') as t from (select row_to_json(c) x from customers c union all select row_to_json(e) from events e) s`,
    );
    expect(dump[0]!.t).not.toContain('lena@example.com');
    expect(dump[0]!.t).not.toContain('Lena Park');

    const [pm] = await queryRows<{ card_brand: string; card_last4: string; customer_id: string }>(
      t.database.db,
      sql`select card_brand, card_last4, customer_id from payment_methods where id = ${card.id}`,
    );
    expect(pm).toEqual({ card_brand: 'visa', card_last4: '4242', customer_id: customer.id });

    await stripe.paymentMethods.detach(card.id);
    await stripe.customers.del(customer.id);
    await settled(t);
    expect((await customerRow(customer.id))!.deleted).toBe(true);
    const [detached] = await queryRows<{ customer_id: string | null }>(
      t.database.db,
      sql`select customer_id from payment_methods where id = ${card.id}`,
    );
    expect(detached!.customer_id).toBeNull();
  });

  it('keeps the plan catalog equal to Stripe when products and prices change there', async () => {
    const product = await stripe.products.create({ name: 'Team', marketing_features: [{ name: 'SSO' }] });
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'eur',
      unit_amount: 4900,
      recurring: { interval: 'month' },
    });
    await settled(t);
    const plans = (await t.app.inject({ method: 'GET', url: '/api/plans' })).json().data;
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({
      name: 'Team',
      prices: [{ stripe_price_id: price.id, unit_amount: 4900 }],
    });

    await stripe.products.update(product.id, { name: 'Teams' });
    await stripe.prices.update(price.id, { active: false });
    await settled(t);
    const after = (await t.app.inject({ method: 'GET', url: '/api/plans' })).json().data;
    expect(after[0].name).toBe('Teams');
    expect(after[0].prices).toHaveLength(0);
  });

  it('creates and edits plans through the API while their own webhooks flow back', async () => {
    for (let round = 0; round < 3; round++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/plans',
        headers: bearer(t.adminKey),
        payload: {
          key: `plan-${round}`,
          name: `Plan ${round}`,
          benefits: [{ key: 'seats', value: round + 1 }],
          prices: [
            { currency: 'usd', unit_amount: 1000 + round * 100, interval: 'month', lookup_key: `m${round}` },
            { currency: 'usd', unit_amount: 10000 + round * 1000, interval: 'year' },
          ],
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const plan = res.json();
      const monthly = plan.prices.find((p: { interval: string }) => p.interval === 'month');
      const edited = await t.app.inject({
        method: 'PATCH',
        url: `/api/plans/${plan.id}/prices/${monthly.id}`,
        headers: bearer(t.adminKey),
        payload: { unit_amount: 5000 + round },
      });
      expect(edited.statusCode, edited.body).toBe(200);
    }
    await settled(t);
    const plans = (await t.app.inject({ method: 'GET', url: '/api/plans' })).json().data;
    expect(
      plans.map((p: { key: string; benefits: unknown; prices: Array<{ unit_amount: number }> }) => [
        p.key,
        p.benefits,
        p.prices.map((x) => x.unit_amount).sort(),
      ]),
    ).toEqual([
      ['plan-0', [{ key: 'seats', value: 1 }], [10000, 5000]],
      ['plan-1', [{ key: 'seats', value: 2 }], [11000, 5001]],
      ['plan-2', [{ key: 'seats', value: 3 }], [12000, 5002]],
    ]);
    expect((await stripe.products.list({ active: true, limit: 10 })).data).toHaveLength(3);
    const all = (
      await t.app.inject({ method: 'GET', url: '/api/plans?status=all', headers: bearer(t.adminKey) })
    ).json().data;
    expect(all.flatMap((p: { prices: unknown[] }) => p.prices)).toHaveLength(9);
  });

  it('shows every event in the admin log with its status, and counts by status', async () => {
    await stripe.customers.create({ email: 'a@example.com' });
    await stripe.products.create({ name: 'Solo' });
    await settled(t);
    const log = await t.app.inject({
      method: 'GET',
      url: '/api/admin/events?limit=1',
      headers: bearer(t.adminKey),
    });
    expect(log.statusCode).toBe(200);
    expect(log.json().data).toHaveLength(1);
    expect(log.json().next_cursor).toEqual(expect.any(String));
    const next = await t.app.inject({
      method: 'GET',
      url: `/api/admin/events?limit=10&cursor=${log.json().next_cursor}`,
      headers: bearer(t.adminKey),
    });
    const types = [log.json().data[0].type, ...next.json().data.map((e: { type: string }) => e.type)].sort();
    expect(types).toEqual(['customer.created', 'product.created']);
    const filtered = await t.app.inject({
      method: 'GET',
      url: '/api/admin/events?type=product.*',
      headers: bearer(t.adminKey),
    });
    expect(filtered.json().data.map((e: { type: string }) => e.type)).toEqual(['product.created']);
    const stats = await t.app.inject({
      method: 'GET',
      url: '/api/admin/events/stats',
      headers: bearer(t.adminKey),
    });
    expect(stats.json()).toMatchObject({ by_status: { processed: 2 }, dead: 0 });
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(t.adminKey) }))
      .body;
    expect(metrics).toMatch(/recur_events_received_total\{source="stripe",duplicate="false"\} [1-9]/);
    expect(metrics).toMatch(/recur_events_processed_total\{family="product",outcome="processed"\} [1-9]/);
    expect(metrics).toMatch(/recur_event_queue_lag_seconds 0\n/);
    const one = await t.app.inject({
      method: 'GET',
      url: `/api/admin/events/${log.json().data[0].id}`,
      headers: bearer(t.adminKey),
    });
    expect(one.json()).toMatchObject({
      status: 'processed',
      attempts_log: [{ attempt: 1, outcome: 'processed' }],
    });
    expect(one.json().payload.object).toBe('event');
  });

  it('retries a failing event, dead-letters it after the last attempt, and replays it on request', async () => {
    await t.services.worker.stop();
    try {
      const failing = await failingCustomerEvent(t, stripe, 'retry@example.com');
      const stored = { id: failing.eventId };
      expect(await t.services.worker.process(stored!.id)).toBe('failed');
      expect(await t.services.worker.process(stored!.id)).toBe('skipped'); // not due yet
      await t.database.db.execute(sql`update events set next_attempt_at = now() where id = ${stored!.id}`);
      expect(await t.services.worker.process(stored!.id)).toBe('dead');

      const dead = await t.app.inject({
        method: 'GET',
        url: `/api/admin/events/${stored!.id}`,
        headers: bearer(t.adminKey),
      });
      expect(dead.json()).toMatchObject({
        status: 'dead',
        attempts: 2,
        last_error: expect.stringContaining('Injected read failure'),
      });
      expect(dead.json().attempts_log.map((a: { outcome: string }) => a.outcome)).toEqual(['failed', 'dead']);
      expect(
        (
          await t.app.inject({ method: 'GET', url: '/api/admin/events/stats', headers: bearer(t.adminKey) })
        ).json().dead,
      ).toBe(1);

      failing.heal();
      const replay = await t.app.inject({
        method: 'POST',
        url: `/api/admin/events/${stored!.id}/replay`,
        headers: bearer(t.adminKey),
      });
      expect(replay.statusCode).toBe(202);
      expect(await t.services.worker.process(stored!.id)).toBe('processed');
      expect(t.services.cipher.decrypt((await customerRow(failing.customerId))!.email_encrypted!)).toBe(
        'retry@example.com',
      );
    } finally {
      await t.services.worker.start();
    }
  });

  it('replays a filtered set of events and refuses a replay with no filter', async () => {
    await stripe.customers.create({ email: 'b@example.com' });
    await settled(t);
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/admin/events/replay',
      headers: bearer(t.adminKey),
      payload: {},
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('filter_required');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/events/replay',
      headers: bearer(t.adminKey),
      payload: { type: 'customer.created' },
    });
    expect(res.json()).toEqual({ replayed: 1 });
    await eventually(async () => {
      const stats = (
        await t.app.inject({ method: 'GET', url: '/api/admin/events/stats', headers: bearer(t.adminKey) })
      ).json();
      expect(stats.by_status.processed).toBe(1);
    });
  });
});
