import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../src/observability/metrics.js';
import type { Stripe } from '../src/stripe/index.js';
import { createSync } from '../src/sync/compose.js';
import { SYNC_OBJECTS } from '../src/sync/objects.js';
import { bearer, type TestApp } from './support/app.js';
import {
  PEOPLE,
  refuseSecondCustomersPage,
  rows,
  runSync,
  type SyncHarness,
  seedBilling,
  syncTestHarness,
} from './support/sync-fixtures.js';

const harness = syncTestHarness();
const { listRequests, createCustomers } = harness;
let t: TestApp;
let stripe: Stripe;
let responses: SyncHarness['responses'];
beforeAll(() => {
  ({ t, stripe, responses } = harness);
});

describe('backfill', () => {
  it('imports every object type into the mirror, stamped with Stripe’s clock', async () => {
    // Made ten minutes ago, and the catalog lost since (a database restored from an old backup).
    t.emulator.clock.set(Math.floor(Date.now() / 1000) - 600);
    const fixture = await seedBilling(t, stripe);
    t.emulator.clock.set(null);
    await t.database.db.execute(sql`truncate plans, plan_prices cascade`);
    const before = Date.now();

    const run = await runSync(t);

    expect(run.status, run.error ?? '').toBe('succeeded');
    expect(run.objects).toEqual([...SYNC_OBJECTS]);
    expect(run.counts).toMatchObject({
      products: { seen: 1, created: 1 },
      prices: { seen: 1, created: 1 },
      customers: { seen: 2, created: 2 },
      payment_methods: { seen: 2, created: 2 },
      subscriptions: { seen: 2, created: 2 },
      invoices: { seen: 2, created: 2 },
      payment_intents: { seen: 2, created: 2 },
      charges: { seen: 2, created: 2 },
      refunds: { seen: 1, created: 1 },
    });

    const [plan] = await rows(t, sql`select id, key, name from plans`);
    expect(plan).toMatchObject({ id: fixture.planId, name: 'Team' });
    const customers = await rows(t, sql`select * from customers order by id`);
    expect(customers).toHaveLength(2);
    const ann = customers.find((c) => c.id === fixture.customers[0]!.id)!;
    expect(ann.email_hash).toBe(t.services.cipher.emailHash(PEOPLE[0]!.email));
    expect(t.services.cipher.decrypt(ann.email_encrypted)).toBe(PEOPLE[0]!.email);
    expect(JSON.stringify(customers)).not.toContain(PEOPLE[0]!.email);
    expect(ann).toMatchObject({
      external_id: 'Ann',
      default_payment_method_id: expect.stringMatching(/^pm_/),
    });
    expect(new Date(ann.stripe_event_at).getTime()).toBeGreaterThanOrEqual(
      Math.floor(before / 1000) * 1000 - 1000,
    );
    expect(new Date(ann.stripe_event_at).getTime()).toBeLessThanOrEqual(Date.now());

    const cards = await rows(t, sql`select customer_id, card_brand, card_last4 from payment_methods`);
    expect(cards).toEqual(
      expect.arrayContaining([{ customer_id: ann.id, card_brand: 'visa', card_last4: '4242' }]),
    );
    const subscriptions = await rows(
      t,
      sql`select id, status, plan_id, price_id from subscriptions order by status`,
    );
    expect(subscriptions).toEqual([
      {
        id: fixture.subscriptions[0]!.id,
        status: 'active',
        plan_id: fixture.planId,
        price_id: fixture.priceId,
      },
      {
        id: fixture.subscriptions[1]!.id,
        status: 'canceled',
        plan_id: fixture.planId,
        price_id: fixture.priceId,
      },
    ]);
    const items = await rows(
      t,
      sql`select subscription_id, price_id, quantity, unit_amount from subscription_items`,
    );
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ price_id: fixture.priceId, quantity: 1, unit_amount: 4900 });
    const invoices = await rows(t, sql`select status, total, amount_paid, subscription_id from invoices`);
    expect(invoices.every((i) => i.status === 'paid' && i.total === 4900 && i.amount_paid === 4900)).toBe(
      true,
    );
    const [charge] = await rows(
      t,
      sql`select amount, amount_refunded, card_last4 from charges where amount_refunded > 0`,
    );
    expect(charge).toEqual({ amount: 4900, amount_refunded: 900, card_last4: '4242' });
    const [refund] = await rows(t, sql`select id, amount, status from refunds`);
    expect(refund).toEqual({ id: fixture.refund.id, amount: 900, status: 'succeeded' });
    const intents = await rows(t, sql`select status from payment_intents`);
    expect(intents.map((i) => i.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('reports a second run over unchanged data as unchanged: nothing created, nothing updated', async () => {
    t.emulator.clock.set(Math.floor(Date.now() / 1000) - 600);
    await seedBilling(t, stripe);
    t.emulator.clock.set(null);
    expect((await runSync(t)).status).toBe('succeeded');
    // Stamped an hour earlier: the next listing is surely newer, so only the content can say unchanged.
    for (const table of [
      'customers',
      'payment_methods',
      'subscriptions',
      'invoices',
      'payment_intents',
      'charges',
      'refunds',
    ]) {
      await t.database.db.execute(
        sql`update ${sql.identifier(table)} set stripe_event_at = stripe_event_at - interval '1 hour'`,
      );
    }
    const before = await rows(t, sql`select id, updated_at from customers order by id`);

    const again = await runSync(t, { mode: 'full' });

    expect(again.status, again.error ?? '').toBe('succeeded');
    for (const object of SYNC_OBJECTS) {
      const counts = again.counts[object]!;
      expect({ object, ...counts }).toEqual({
        object,
        seen: counts.seen,
        created: 0,
        updated: 0,
        skipped: counts.seen,
      });
      expect(counts.seen, object).toBeGreaterThan(0);
    }
    // Unchanged rows are not written again either.
    expect(await rows(t, sql`select id, updated_at from customers order by id`)).toEqual(before);
  });

  it('leaves a product Recur is making right now to the plan service', async () => {
    await seedBilling(t, stripe);
    // Stripe has the product, the catalog not yet: the plan service is between its two writes.
    await t.database.db.execute(sql`truncate plans, plan_prices cascade`);

    const run = await runSync(t, { objects: ['products', 'prices'] });

    expect(run.counts).toMatchObject({ products: { seen: 1, skipped: 1 }, prices: { seen: 1, skipped: 1 } });
    expect(await rows(t, sql`select id from plans`)).toEqual([]);
  });

  it('never rolls back a row that a newer webhook wrote', async () => {
    const fixture = await seedBilling(t, stripe);
    await runSync(t, { objects: ['customers', 'subscriptions'] });
    const [newer, older] = fixture.subscriptions.map((s) => s.id);
    // As if a webhook from a minute ahead said past_due: the listing is older, so it must not win.
    const ahead = new Date(Date.now() + 60_000).toISOString();
    await t.database.db.execute(
      sql`update subscriptions set status = 'past_due', stripe_event_at = ${ahead} where id = ${newer}`,
    );
    // A row last written a minute ago that drifted: the listing is newer and puts it right.
    const behind = new Date(Date.now() - 60_000).toISOString();
    await t.database.db.execute(
      sql`update subscriptions set status = 'active', stripe_event_at = ${behind} where id = ${older}`,
    );

    const run = await runSync(t, { objects: ['customers', 'subscriptions'] });

    expect(run.counts.subscriptions).toMatchObject({ seen: 2, skipped: 1, updated: 1 });
    const statuses = await rows(t, sql`select id, status from subscriptions`);
    expect(Object.fromEntries(statuses.map((r) => [r.id, r.status]))).toEqual({
      [newer!]: 'past_due',
      [older!]: 'canceled',
    });
  });

  it('records that a card left its customer', async () => {
    const fixture = await seedBilling(t, stripe);
    await runSync(t, { objects: ['customers', 'payment_methods'] });
    const bob = fixture.customers[1]!.id;
    const [card] = await rows(t, sql`select id from payment_methods where customer_id = ${bob}`);
    await stripe.paymentMethods.detach(card!.id);
    // Stamps are a lower bound in whole seconds (the Date header's second, less the round trip), so
    // two listings are surely a stamp apart only when more than two seconds separate them.
    await new Promise((resolve) => setTimeout(resolve, 2_100));

    const run = await runSync(t, { objects: ['customers', 'payment_methods'] });

    // The detached card changed; the other one is as the mirror has it.
    expect(run.counts.payment_methods).toMatchObject({ seen: 2, updated: 1, skipped: 1 });
    const [row] = await rows(
      t,
      sql`select customer_id, card_last4 from payment_methods where id = ${card!.id}`,
    );
    expect(row).toEqual({ customer_id: null, card_last4: '4242' });
  });

  describe('customers deleted in Stripe while their webhook went missing', () => {
    const liveIds = async () =>
      (await rows(t, sql`select id from customers where not deleted order by id`)).map((r) => r.id as string);

    /** Customers made a while ago: those made in the very second a listing begins are left for the next. */
    async function customersMadeEarlier(n: number) {
      t.emulator.clock.set(Math.floor(Date.now() / 1000) - 600);
      await createCustomers(n);
      t.emulator.clock.set(null);
    }

    it('are marked deleted after a listing of every customer, and the reconcile check then agrees', async () => {
      await customersMadeEarlier(3);
      await runSync(t, { objects: ['customers'] });
      const [gone, ...kept] = (await stripe.customers.list()).data.map((c) => c.id);
      await stripe.customers.del(gone!);
      responses.length = 0;

      const run = await runSync(t, { objects: ['customers'] });

      expect(run.status, run.error ?? '').toBe('succeeded');
      // Two listed, and the third read on its own.
      expect(run.counts.customers.seen).toBe(3);
      expect(await liveIds()).toEqual([...kept].sort());
      // The missing one alone was read on its own.
      expect(responses.filter((r) => r.path.startsWith('/v1/customers/')).map((r) => r.path)).toEqual([
        `/v1/customers/${gone}`,
      ]);
      const check = await t.app.inject({
        method: 'GET',
        url: '/api/admin/sync/check?objects=customers',
        headers: bearer(t.adminKey),
      });
      expect(check.json()).toMatchObject({
        equal: true,
        objects: { customers: { stripe: 2, mirror: 2, missing: 0, extra: 0, different: 0 } },
      });
    });

    it('are marked deleted when Stripe does not know them at all', async () => {
      await customersMadeEarlier(2);
      await runSync(t, { objects: ['customers'] });
      // Stripe's test data cleared: every customer is gone without a trace, and one comes back.
      await t.emulator.reset();
      await stripe.customers.create({ metadata: { n: 'new' } });

      const run = await runSync(t, { objects: ['customers'] });

      expect(run.status, run.error ?? '').toBe('succeeded');
      expect(await liveIds()).toEqual((await stripe.customers.list()).data.map((c) => c.id));
    });

    it('are not guessed at by a run that resumed half way through the listing', async () => {
      await customersMadeEarlier(150);
      await runSync(t, { objects: ['customers'] });
      refuseSecondCustomersPage(t);
      expect((await runSync(t, { objects: ['customers'] })).status).toBe('failed');
      responses.length = 0;

      // Resumed after its first page, this run lists 50 customers: the 100 others are not deleted.
      const resumed = await runSync(t, { objects: ['customers'] });

      expect(resumed.status, resumed.error ?? '').toBe('succeeded');
      expect(await liveIds()).toHaveLength(150);
      expect(responses.filter((r) => r.path.startsWith('/v1/customers/'))).toEqual([]);
    });
  });

  it('lists history from the last successful run in incremental mode, and what changes in place in full', async () => {
    // Last week's history, then a full run that mirrors it.
    t.emulator.clock.set(Math.floor(Date.now() / 1000) - 7 * 86_400);
    await seedBilling(t, stripe);
    t.emulator.clock.set(null);
    const full = await runSync(t);
    expect(full.counts.invoices.seen).toBe(2);

    const customer = await stripe.customers.create({ email: 'new.example@example.com' });
    const card = await stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id });
    const price = (await stripe.prices.list({ limit: 1 })).data[0]!;
    await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      default_payment_method: card.id,
    });
    responses.length = 0;

    const incremental = await runSync(t, { mode: 'incremental' });

    expect(incremental.status, incremental.error ?? '').toBe('succeeded');
    expect(new Date(incremental.since!).getTime()).toBe(new Date(full.started_at).getTime() - 3_600_000);
    expect(incremental.counts.customers.seen).toBe(3);
    expect(incremental.counts.subscriptions.seen).toBe(3);
    expect(incremental.counts.invoices).toMatchObject({ seen: 1, created: 1 });
    expect(incremental.counts.charges).toMatchObject({ seen: 1, created: 1 });
    expect(listRequests('/v1/invoices')[0]!.path).toContain('created');
    expect(listRequests('/v1/customers')[0]!.path).not.toContain('created');
  });
});

describe('pacing and retries', () => {
  async function seedForPacing(): Promise<number> {
    // 40 customers with a card and 40 products with a price: about 160 objects in 43 list requests.
    for (let i = 0; i < 40; i++) {
      const customer = await stripe.customers.create({ metadata: { n: String(i) } });
      await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
      const product = await stripe.products.create({ name: `Product ${i}` });
      await stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 1000 + i,
        recurring: { interval: 'month' },
      });
    }
    return 160;
  }

  it('stays under Stripe’s rate limit: no 429, and no faster than the pace allows', async () => {
    const objects = await seedForPacing();
    t.emulator.faults.set({ rateLimitPerSecond: 10 });
    const paced = createSync({
      ...t.services,
      config: { ...t.services.config, stripe: { ...t.services.config.stripe, syncRequestsPerSecond: 8 } },
      metrics: createMetrics(),
      invalidatePlanCache: async () => {},
    });
    responses.length = 0;
    const began = Date.now();

    const { finished } = await paced.syncs.start({
      objects: ['products', 'prices', 'customers', 'payment_methods'],
      trigger: 'manual',
    });
    const run = await finished;
    const seconds = (Date.now() - began) / 1000;

    expect(run.status, run.error ?? '').toBe('succeeded');
    const requests = responses.length;
    expect(requests).toBe(43);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(0);
    expect(seconds).toBeGreaterThanOrEqual((requests - 1) / 8);
    const seen = Object.values(run.counts).reduce((n, c) => n + c.seen, 0);
    expect(seen).toBe(objects);
  });

  it('rides out a rate limit tighter than its pace: 429s are retried and never surface', async () => {
    await seedForPacing();
    t.emulator.faults.set({ rateLimitPerSecond: 10 });
    const began = Date.now();

    const run = await runSync(t, { objects: ['products', 'prices', 'customers', 'payment_methods'] });

    expect(run.status, run.error ?? '').toBe('succeeded');
    expect(run.counts.payment_methods.seen).toBe(40);
    expect(responses.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    // The emulator's bucket holds one second of requests: 43 requests need at least 3.3 s at 10/s.
    expect((Date.now() - began) / 1000).toBeGreaterThanOrEqual((43 - 10) / 10);
  });

  it('retries 500s and carries on', async () => {
    await createCustomers(3);
    t.emulator.faults.set({
      failNext: [
        { method: 'GET', path: '/v1/customers', status: 500, count: 2, error: { type: 'api_error' } },
      ],
    });

    const run = await runSync(t, { objects: ['customers'] });

    expect(run.status).toBe('succeeded');
    expect(run.counts.customers.created).toBe(3);
    expect(listRequests('/v1/customers').map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('does not retry a 400: the run fails with Stripe’s reason recorded', async () => {
    await seedBilling(t, stripe);
    t.emulator.faults.set({
      failNext: [
        {
          method: 'GET',
          path: '/v1/invoices',
          status: 400,
          error: { type: 'invalid_request_error', message: 'Invalid created[gte]' },
        },
      ],
    });

    const run = await runSync(t);

    expect(run.status).toBe('failed');
    expect(run.error).toBe('invoices: Stripe rejected the request: Invalid created[gte]');
    expect(listRequests('/v1/invoices')).toHaveLength(1);
    expect(run.counts.subscriptions.seen).toBe(2);
    expect(run.counts.payment_intents).toBeUndefined();
    expect(run.finished_at).not.toBeNull();
  });
});

describe('access', () => {
  const routes = [
    { method: 'GET', url: '/api/admin/sync' },
    { method: 'POST', url: '/api/admin/sync' },
    { method: 'GET', url: '/api/admin/sync/sync_x' },
    { method: 'GET', url: '/api/admin/sync/check' },
    { method: 'GET', url: '/api/admin/settings' },
    { method: 'PUT', url: '/api/admin/settings' },
  ] as const;

  it('is for admins only', async () => {
    const userToken = await t.userToken('user_1');
    for (const route of routes) {
      const anonymous = await t.app.inject({ method: route.method, url: route.url, payload: {} });
      expect(anonymous.statusCode, `${route.method} ${route.url}`).toBe(401);
      for (const token of [t.serviceKey, userToken]) {
        const res = await t.app.inject({
          method: route.method,
          url: route.url,
          headers: bearer(token),
          payload: {},
        });
        expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
      }
    }
    const runs = await t.app.inject({ method: 'GET', url: '/api/admin/sync', headers: bearer(t.adminKey) });
    expect(runs.json().data).toEqual([]);
  });
});
