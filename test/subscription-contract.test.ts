import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import type { Stripe } from '../src/stripe/index.js';
import { bearer, type TestApp } from './support/app.js';
import {
  contractTestApp,
  createPlan,
  everything,
  MONTHLY_USD,
  subscribe,
  subscriptionRowOf,
  YEARLY_USD,
} from './support/billing-contract.js';
import { runSync } from './support/sync-fixtures.js';
import { settled } from './support/wait.js';

/** The fixed contract of POST /api/subscriptions, Stripe-managed and external. */
const harness = contractTestApp();
let t: TestApp;
let stripe: Stripe;
beforeAll(() => {
  ({ t, stripe } = harness);
});

const utcDateOf = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 10);

async function eventsOfType(type: string) {
  return queryRows<{ status: string; object_id: string; source: string }>(
    t.database.db,
    sql`select status, object_id, source from events where type = ${type}`,
  );
}

describe('POST /api/subscriptions (Stripe-managed)', () => {
  it('answers the contract: 201 pending with the next billing date, mirrored at once, active once paid', async () => {
    const plan = await createPlan(t, 'pro');

    const res = await subscribe(t, { plan_id: plan.id, customer_email: 'cliente@email.com' });

    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    const inStripe = await stripe.subscriptions.retrieve(body.subscription_id);
    expect(body).toEqual({
      subscription_id: inStripe.id,
      status: 'pending',
      next_billing_date: utcDateOf(inStripe.items.data[0]!.current_period_end),
      stripe_status: 'incomplete',
      provider: 'stripe',
      customer_id: inStripe.customer,
      plan_id: plan.id,
      price_id: plan.prices[0]!.stripe_price_id,
      quantity: 1,
      currency: 'usd',
    });
    expect(inStripe.metadata.recur_plan_id).toBe(plan.id);
    const customer = await stripe.customers.retrieve(String(inStripe.customer));
    expect((customer as Stripe.Customer).email).toBe('cliente@email.com');

    // Readable before any webhook has been applied.
    const mirrored = await subscriptionRowOf(t, body.subscription_id);
    expect(mirrored).toMatchObject({ status: 'incomplete', provider: 'stripe', plan_id: plan.id });

    await settled(t);
    expect(await eventsOfType('recur.subscription_created')).toEqual([
      { status: 'processed', object_id: body.subscription_id, source: 'recur' },
    ]);

    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: String(inStripe.customer) });
    await stripe.invoices.pay(String(inStripe.latest_invoice), { payment_method: card.id });
    await settled(t);
    expect((await subscriptionRowOf(t, body.subscription_id))!.status).toBe('active');
  });

  it('finds the customer by email, accepts admin keys, and replays a repeat with the same Idempotency-Key', async () => {
    const plan = await createPlan(t, 'pro');
    const first = await subscribe(
      t,
      { plan_id: 'pro', customer_email: ' Cliente@Email.com ' },
      { 'idempotency-key': 'k1' },
    );
    const repeat = await subscribe(
      t,
      { plan_id: 'pro', customer_email: ' Cliente@Email.com ' },
      { 'idempotency-key': 'k1' },
    );
    expect(first.statusCode, first.body).toBe(201);
    expect(repeat.statusCode).toBe(201);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.json()).toEqual(first.json());

    // One rule with Checkout: a second subscription of the customer to the plan is refused
    // before anything is written, by admin or service key, Stripe-managed or external.
    for (const [extra, headers] of [
      [{ quantity: 3 }, bearer(t.adminKey)],
      [{ provider: 'external' }, {}],
      [{}, { 'idempotency-key': 'k2' }],
    ] as const) {
      const again = await subscribe(
        t,
        { plan_id: plan.id, customer_email: 'cliente@email.com', ...extra },
        headers,
      );
      expect(again.statusCode, again.body).toBe(409);
      expect(again.json().error).toMatchObject({
        code: 'already_subscribed',
        details: { subscription_id: first.json().subscription_id },
      });
    }
    expect((await stripe.customers.list({ limit: 10 })).data).toHaveLength(1);
    expect((await stripe.subscriptions.list({ status: 'all', limit: 10 })).data).toHaveLength(1);

    // Once the first has ended, the customer may subscribe again.
    await stripe.subscriptions.cancel(first.json().subscription_id);
    await settled(t);
    const afterEnd = await subscribe(
      t,
      { plan_id: plan.id, customer_email: 'cliente@email.com' },
      bearer(t.adminKey),
    );
    expect(afterEnd.statusCode, afterEnd.body).toBe(201);
    expect(afterEnd.json().customer_id).toBe(first.json().customer_id);
  });

  it('picks the price in the currency asked for, and says the same next billing date on create and read', async () => {
    const plan = await createPlan(t, 'pro', [
      MONTHLY_USD,
      { ...MONTHLY_USD, currency: 'eur', unit_amount: 1900 },
    ]);
    const eur = plan.prices[1]!;

    const open = await subscribe(t, { plan_id: plan.id, customer_email: 'a@example.com' });
    const inEur = await subscribe(t, { plan_id: plan.id, customer_email: 'a@example.com', currency: 'EUR' });
    const none = await subscribe(t, { plan_id: plan.id, customer_email: 'b@example.com', currency: 'gbp' });

    expect(open.json().error.code).toBe('price_required');
    expect(inEur.statusCode, inEur.body).toBe(201);
    expect(inEur.json()).toMatchObject({ price_id: eur.stripe_price_id, currency: 'eur' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('no_price_in_currency');
    const read = await t.app.inject({
      url: `/api/subscriptions/${inEur.json().subscription_id}`,
      headers: bearer(t.adminKey),
    });
    expect(read.json().next_billing_date).toBe(inEur.json().next_billing_date);
    expect(read.json().next_billing_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('picks the monthly price by default, another by interval or price_id, and starts a trial when asked', async () => {
    const plan = await createPlan(t, 'pro', [MONTHLY_USD, YEARLY_USD]);
    const [monthly, yearly] = plan.prices;

    const byDefault = await subscribe(t, { plan_id: plan.id, customer_email: 'a@example.com' });
    const byInterval = await subscribe(t, {
      plan_id: plan.id,
      customer_email: 'b@example.com',
      interval: 'year',
    });
    const byId = await subscribe(t, {
      plan_id: plan.id,
      customer_email: 'c@example.com',
      price_id: yearly!.id,
    });
    const trial = await subscribe(t, { plan_id: plan.id, customer_email: 'd@example.com', trial_days: 10 });

    expect(byDefault.json().price_id).toBe(monthly!.stripe_price_id);
    expect(byInterval.json().price_id).toBe(yearly!.stripe_price_id);
    expect(byId.json().price_id).toBe(yearly!.stripe_price_id);
    expect(trial.json()).toMatchObject({ status: 'active', stripe_status: 'trialing' });
    expect(trial.json().next_billing_date).toBe(
      new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10),
    );
  });
});

describe('POST /api/subscriptions (external provider)', () => {
  it('keeps the subscription in Recur: pending, one cycle long, with a Stripe customer and no Stripe subscription', async () => {
    const plan = await createPlan(t, 'pro', [YEARLY_USD]);

    const res = await subscribe(t, {
      plan_id: plan.id,
      customer_email: 'cliente@email.com',
      provider: 'external',
    });

    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.subscription_id).toMatch(/^sub_ext_/);
    const row = (await subscriptionRowOf(t, body.subscription_id))!;
    const start = new Date(row.current_period_start);
    const oneYearOn = new Date(Date.UTC(start.getUTCFullYear() + 1, start.getUTCMonth(), start.getUTCDate()));
    expect(body).toMatchObject({
      status: 'pending',
      stripe_status: null,
      provider: 'external',
      next_billing_date: oneYearOn.toISOString().slice(0, 10),
      price_id: plan.prices[0]!.stripe_price_id,
      currency: 'usd',
    });
    expect(row).toMatchObject({
      status: 'incomplete',
      provider: 'external',
      collection_method: 'send_invoice',
      plan_id: plan.id,
      customer_id: body.customer_id,
      quantity: 1,
    });
    expect((await stripe.customers.retrieve(body.customer_id)).id).toBe(body.customer_id);
    expect((await stripe.subscriptions.list({ status: 'all', limit: 10 })).data).toEqual([]);

    // Read back, it has its price's interval and amount like any subscription, the same billing
    // date, and no Stripe status: Stripe does not hold it.
    const read = await t.app.inject({
      url: `/api/subscriptions/${body.subscription_id}`,
      headers: bearer(t.adminKey),
    });
    expect(read.json()).toMatchObject({
      status: 'pending',
      stripe_status: null,
      provider: 'external',
      interval: 'year',
      unit_amount: 20000,
      quantity: 1,
      currency: 'usd',
      next_billing_date: body.next_billing_date,
    });

    await settled(t);
    expect(await eventsOfType('recur.subscription_created')).toEqual([
      { status: 'processed', object_id: body.subscription_id, source: 'recur' },
    ]);
  });

  it('is neither an extra for the reconcile check nor touched by a full sync', async () => {
    const plan = await createPlan(t, 'pro');
    const external = (
      await subscribe(t, { plan_id: plan.id, customer_email: 'x@example.com', provider: 'external' })
    ).json();
    const managed = (await subscribe(t, { plan_id: plan.id, customer_email: 'y@example.com' })).json();
    await settled(t);
    const before = await subscriptionRowOf(t, external.subscription_id);

    expect((await runSync(t, { mode: 'full' })).status).toBe('succeeded');
    const check = await t.app.inject({
      method: 'GET',
      url: '/api/admin/sync/check',
      headers: bearer(t.adminKey),
    });

    expect(check.statusCode, check.body).toBe(200);
    expect(check.json().objects.subscriptions).toMatchObject({ stripe: 1, mirror: 1, missing: 0, extra: 0 });
    expect(check.json().differences).toEqual([]);
    expect(await subscriptionRowOf(t, external.subscription_id)).toEqual(before);
    expect((await subscriptionRowOf(t, managed.subscription_id))!.provider).toBe('stripe');
  });
});

describe('POST /api/subscriptions refuses bad input and changes nothing', () => {
  it('answers each bad request with its own 4xx', async () => {
    const plan = await createPlan(t, 'pro', [MONTHLY_USD, YEARLY_USD]);
    const twoMonthly = await createPlan(t, 'team', [MONTHLY_USD, { ...MONTHLY_USD, currency: 'eur' }]);
    const yearlyOnly = await createPlan(t, 'annual', [YEARLY_USD, { ...YEARLY_USD, currency: 'eur' }]);
    // A plan that had a subscriber is archived, not deleted.
    const archived = await createPlan(t, 'old');
    expect((await subscribe(t, { plan_id: 'old', customer_email: 'keep@example.com' })).statusCode).toBe(201);
    const removal = await t.app.inject({
      method: 'DELETE',
      url: `/api/plans/${archived.id}`,
      headers: bearer(t.adminKey),
    });
    expect(removal.json().result).toBe('archived');
    await settled(t);
    const before = await everything(t, stripe);

    const ok = { plan_id: plan.id, customer_email: 'cliente@email.com' };
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ customer_email: 'cliente@email.com' }, 400, 'validation_failed'],
      [{ plan_id: plan.id }, 400, 'validation_failed'],
      [{ ...ok, quantity: '2' }, 400, 'validation_failed'],
      [{ ...ok, quantity: 0 }, 400, 'validation_failed'],
      [{ ...ok, trial_days: -1 }, 400, 'validation_failed'],
      [{ ...ok, provider: 'paypal' }, 400, 'validation_failed'],
      [{ ...ok, interval: 'fortnight' }, 400, 'validation_failed'],
      [{ ...ok, customer_mail: 'typo@example.com' }, 400, 'validation_failed'],
      [{ ...ok, interval: 'year', price_id: plan.prices[1]!.id }, 400, 'validation_failed'],
      [{ ...ok, currency: 'usd', price_id: plan.prices[1]!.id }, 400, 'validation_failed'],
      [{ ...ok, currency: 'dollars' }, 400, 'validation_failed'],
      [{ ...ok, plan_id: 12 }, 400, 'validation_failed'],
      [{ ...ok, customer_email: 'not-an-email' }, 400, 'invalid_email'],
      [{ ...ok, customer_email: 'not-an-email', provider: 'external' }, 400, 'invalid_email'],
      [{ ...ok, plan_id: 'plan_nope' }, 404, 'not_found'],
      [{ ...ok, plan_id: archived.id }, 409, 'plan_archived'],
      [{ ...ok, price_id: 'price_nope' }, 400, 'unknown_price'],
      [{ ...ok, price_id: twoMonthly.prices[0]!.id }, 400, 'unknown_price'],
      [{ ...ok, plan_id: twoMonthly.id }, 400, 'price_required'],
      [{ ...ok, plan_id: twoMonthly.id, interval: 'month' }, 400, 'price_required'],
      [{ ...ok, plan_id: yearlyOnly.id, provider: 'external' }, 400, 'price_required'],
      [{ ...ok, interval: 'week' }, 400, 'no_price_for_interval'],
      [{ ...ok, currency: 'jpy' }, 400, 'no_price_in_currency'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await subscribe(t, payload);
      expect(res.statusCode, `${JSON.stringify(payload)} → ${res.body}`).toBe(status);
      expect(res.json().error.code, JSON.stringify(payload)).toBe(code);
    }
    const garbage = await t.app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      headers: { ...bearer(t.serviceKey), 'content-type': 'application/json' },
      payload: '{"plan_id": "pro", ',
    });
    expect(garbage.statusCode).toBe(400);

    expect(await everything(t, stripe)).toEqual(before);
  });

  it('is for backend keys only', async () => {
    await createPlan(t, 'pro');
    const payload = { plan_id: 'pro', customer_email: 'cliente@email.com' };
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/subscriptions', payload });
    const user = await subscribe(t, payload, bearer(await t.userToken('user_1')));
    expect(anonymous.statusCode).toBe(401);
    expect(user.statusCode).toBe(403);
    expect((await stripe.customers.list({ limit: 10 })).data).toEqual([]);
  });
});
