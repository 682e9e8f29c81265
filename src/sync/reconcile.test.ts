import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../../test/support/app.js';
import {
  type BillingFixture,
  CollectingStream,
  PEOPLE,
  rows,
  runSync,
  seedBilling,
} from '../../test/support/sync-fixtures.js';
import { createStripeClient, type Stripe } from '../stripe/index.js';
import { syncCommand } from './command.js';

let t: TestApp;
let stripe: Stripe;

beforeAll(async () => {
  t = await startTestApp({ STRIPE_SYNC_RATE: '100', STRIPE_SYNC_RETRY_DELAY: '0.05' });
  stripe = createStripeClient({ secretKey: 'sk_test_fixtures', apiBase: t.emulator.url });
});
afterAll(() => t.close());
beforeEach(() => t.reset());

async function check(query = '') {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/admin/sync/check${query}`,
    headers: bearer(t.adminKey),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function mirrored(): Promise<BillingFixture> {
  const fixture = await seedBilling(t, stripe);
  expect((await runSync(t)).status).toBe('succeeded');
  return fixture;
}

describe('reconcile check', () => {
  it('reports nothing when the mirror equals Stripe', async () => {
    await mirrored();

    const report = await check();

    expect(report.differences).toEqual([]);
    expect(report.equal).toBe(true);
    expect(report.objects).toEqual({
      products: { stripe: 1, mirror: 1, missing: 0, extra: 0, different: 0 },
      prices: { stripe: 1, mirror: 1, missing: 0, extra: 0, different: 0 },
      customers: { stripe: 2, mirror: 2, missing: 0, extra: 0, different: 0 },
      payment_methods: { stripe: 2, mirror: 2, missing: 0, extra: 0, different: 0 },
      subscriptions: { stripe: 2, mirror: 2, missing: 0, extra: 0, different: 0 },
      invoices: { stripe: 2, mirror: 2, missing: 0, extra: 0, different: 0 },
      payment_intents: { stripe: 2, mirror: 2, missing: 0, extra: 0, different: 0 },
      charges: { stripe: 2, mirror: 2, missing: 0, extra: 0, different: 0 },
      refunds: { stripe: 1, mirror: 1, missing: 0, extra: 0, different: 0 },
    });
  });

  it('reports a missing object, an extra one and each changed field, without personal data, and changes nothing', async () => {
    const fixture = await mirrored();
    const [ann, bob] = fixture.customers;
    const subscription = fixture.subscriptions[0]!.id;
    const db = t.database.db;
    await db.execute(sql`delete from payment_methods where customer_id = ${bob!.id}`);
    await db.execute(sql`delete from refunds`);
    await db.execute(
      sql`insert into invoices (id, customer_id, status, currency, subtotal, total, amount_due, amount_paid, amount_remaining, stripe_event_at, created_at)
          values ('in_only_here', ${ann!.id}, 'open', 'usd', 100, 100, 100, 0, 100, now(), now())`,
    );
    await db.execute(
      sql`update subscriptions set status = 'past_due', quantity = 3 where id = ${subscription}`,
    );
    await db.execute(sql`update subscription_items set quantity = 3 where subscription_id = ${subscription}`);
    await db.execute(
      sql`update customers set email_hash = ${t.services.cipher.emailHash('someone.else@example.com')},
          name_encrypted = ${t.services.cipher.encrypt('Someone Else')} where id = ${ann!.id}`,
    );
    await db.execute(sql`update plans set name = 'Team (old)' where id = ${fixture.planId}`);
    const before = await rows(t, sql`select id, status, quantity from subscriptions order by id`);

    const report = await check();

    expect(report.equal).toBe(false);
    expect(report.differences).toEqual(
      expect.arrayContaining([
        { object: 'payment_methods', id: expect.stringMatching(/^pm_/), kind: 'missing' },
        { object: 'refunds', id: fixture.refund.id, kind: 'missing' },
        { object: 'invoices', id: 'in_only_here', kind: 'extra' },
        {
          object: 'subscriptions',
          id: subscription,
          kind: 'different',
          field: 'status',
          stripe: 'active',
          mirror: 'past_due',
        },
        {
          object: 'subscriptions',
          id: subscription,
          kind: 'different',
          field: 'quantity',
          stripe: 1,
          mirror: 3,
        },
        expect.objectContaining({
          object: 'subscriptions',
          id: subscription,
          kind: 'different',
          field: 'items',
        }),
        { object: 'customers', id: ann!.id, kind: 'different', field: 'email', note: 'email differs' },
        { object: 'customers', id: ann!.id, kind: 'different', field: 'name', note: 'name differs' },
        {
          object: 'products',
          id: expect.stringMatching(/^prod_/),
          kind: 'different',
          field: 'name',
          stripe: 'Team',
          mirror: 'Team (old)',
        },
      ]),
    );
    expect(report.differences).toHaveLength(9);
    expect(report.objects.customers).toEqual({ stripe: 2, mirror: 2, missing: 0, extra: 0, different: 2 });
    const text = JSON.stringify(report);
    for (const secret of [
      ...PEOPLE.flatMap((p) => [p.email, p.name]),
      'someone.else@example.com',
      'Someone Else',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(await rows(t, sql`select id, status, quantity from subscriptions order by id`)).toEqual(before);
    expect(await rows(t, sql`select id from refunds`)).toEqual([]);

    const only = await check('?objects=refunds,invoices');
    expect(Object.keys(only.objects)).toEqual(['invoices', 'refunds']);
    expect(only.differences).toHaveLength(2);
  });

  it('reports a customer Stripe does not know, and its card, as extra instead of failing', async () => {
    await mirrored();
    const db = t.database.db;
    await db.execute(
      sql`insert into customers (id, stripe_event_at, created_at) values ('cus_only_here', now(), now())`,
    );
    await db.execute(
      sql`insert into payment_methods (id, customer_id, type, stripe_event_at, created_at)
          values ('pm_only_here', 'cus_only_here', 'card', now(), now())`,
    );

    const report = await check('?objects=customers,payment_methods');

    expect(report.differences).toEqual([
      { object: 'customers', id: 'cus_only_here', kind: 'extra' },
      { object: 'payment_methods', id: 'pm_only_here', kind: 'extra' },
    ]);
  });

  it('prints the same report from the CLI and exits 1 on differences, 0 when equal', async () => {
    const fixture = await mirrored();
    const io = (stream: CollectingStream) => ({ out: stream.asStdout, err: stream.asStderr });
    const equal = new CollectingStream();
    expect(
      await syncCommand(t.services, { objects: ['customers'], mode: 'full', check: true }, io(equal)),
    ).toBe(0);
    expect(String(equal)).toContain('The mirror equals Stripe.');

    await t.database.db.execute(
      sql`update customers set external_id = 'user_9' where id = ${fixture.customers[0]!.id}`,
    );
    await t.database.db.execute(sql`delete from customers where id = ${fixture.customers[1]!.id}`);
    const differs = new CollectingStream();
    expect(
      await syncCommand(t.services, { objects: ['customers'], mode: 'full', check: true }, io(differs)),
    ).toBe(1);
    expect(String(differs)).toContain(
      'customers        2 in Stripe, 1 here: 1 missing, 0 extra, 1 different',
    );
    expect(String(differs)).toContain(
      `missing    customers ${fixture.customers[1]!.id} (in Stripe, not here)`,
    );
    expect(String(differs)).toContain(
      `different  customers ${fixture.customers[0]!.id}: external_id is "Ann" in Stripe, "user_9" here`,
    );
  });

  it('refuses an unknown object type', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/admin/sync/check?objects=coupons',
      headers: bearer(t.adminKey),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('unknown_sync_object');
  });
});
