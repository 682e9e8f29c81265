import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { queryRows } from '../src/db/client.js';
import { PaymentNoticeIntake } from '../src/payment-webhook/intake.js';
import { signPaymentNotice } from '../src/payment-webhook/signature.js';
import type { Stripe } from '../src/stripe/index.js';
import type { TestApp } from './support/app.js';
import {
  contractTestApp,
  createPlan,
  everything,
  externalPayments,
  PAYMENT_SECRET,
  postPaymentNotice,
  subscribe,
  subscriptionRowOf,
  YEARLY_USD,
} from './support/billing-contract.js';
import { settled } from './support/wait.js';

/** The signed generic payment webhook, applied by the worker; and the overdue check. */
const harness = contractTestApp();
let t: TestApp;
let stripe: Stripe;
beforeAll(() => {
  ({ t, stripe } = harness);
});

async function externalSubscription(prices?: ReadonlyArray<Record<string, unknown>>) {
  await createPlan(t, 'pro', prices);
  const res = await subscribe(t, {
    plan_id: 'pro',
    customer_email: 'cliente@email.com',
    provider: 'external',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().subscription_id as string;
}

const success = (subscriptionId: string, date: string, extra: Record<string, unknown> = {}) => ({
  subscription_id: subscriptionId,
  event: 'payment_success',
  amount: 2000,
  date,
  ...extra,
});

async function deliver(body: unknown, status = 202) {
  const res = await postPaymentNotice(t, body);
  expect(res.statusCode, res.body).toBe(status);
  await settled(t);
  return res;
}

const periodOf = async (id: string) => {
  const row = (await subscriptionRowOf(t, id))!;
  return { status: row.status, start: row.current_period_start, end: row.current_period_end };
};

describe('payments of external subscriptions', () => {
  it('activates on the first success, starting the first cycle on the day paid, and moves one month on per success', async () => {
    const id = await externalSubscription();

    const res = await deliver(success(id, '2025-01-31'));

    expect(res.json()).toEqual({ received: true, duplicate: false });
    expect(await periodOf(id)).toEqual({
      status: 'active',
      start: '2025-01-31T00:00:00.000Z',
      end: '2025-02-28T00:00:00.000Z',
    });
    await deliver(success(id, '2025-03-02T09:15:00Z'));
    // From the old period end, not from the (late) payment.
    expect(await periodOf(id)).toEqual({
      status: 'active',
      start: '2025-02-28T00:00:00.000Z',
      end: '2025-03-28T00:00:00.000Z',
    });
    expect((await externalPayments(t)).map((p) => [p.outcome, p.amount, p.currency, p.paid_on])).toEqual([
      ['success', 2000, 'usd', '2025-01-31'],
      ['success', 2000, 'usd', '2025-03-02'],
    ]);
  });

  it('moves a yearly subscription one year on', async () => {
    const id = await externalSubscription([YEARLY_USD]);

    await deliver(success(id, '2025-02-15', { amount: 20000, currency: 'USD' }));
    expect(await periodOf(id)).toMatchObject({ status: 'active', end: '2026-02-15T00:00:00.000Z' });
    await deliver(success(id, '2026-02-14', { amount: 20000 }));
    expect(await periodOf(id)).toMatchObject({ status: 'active', end: '2027-02-15T00:00:00.000Z' });
  });

  it('suspends on a failure, keeping the period, and a later success makes it active again', async () => {
    const id = await externalSubscription();
    await deliver(success(id, '2025-01-10'));

    await deliver({
      subscription_id: id,
      event: 'payment_failed',
      amount: 2000,
      date: '2025-02-10',
      reason: 'card_declined',
    });

    expect(await periodOf(id)).toEqual({
      status: 'past_due',
      start: '2025-01-10T00:00:00.000Z',
      end: '2025-02-10T00:00:00.000Z',
    });
    const failed = (await externalPayments(t)).at(-1)!;
    expect(failed).toMatchObject({ outcome: 'failed', subscription_id: id, invoice_id: null });
    await deliver(success(id, '2025-02-12'));
    expect(await periodOf(id)).toMatchObject({ status: 'active', end: '2025-03-10T00:00:00.000Z' });
  });

  it('stores a duplicate delivery once and applies it once', async () => {
    const id = await externalSubscription();
    const body = success(id, '2025-01-10');

    await deliver(body);
    const again = await deliver(body, 200);

    expect(again.json()).toEqual({ received: true, duplicate: true });
    expect(await externalPayments(t)).toHaveLength(1);
    const events = await queryRows(
      t.database.db,
      sql`select status from events where source = 'payment_provider'`,
    );
    expect(events).toEqual([{ status: 'processed' }]);
    expect(await periodOf(id)).toMatchObject({ end: '2025-02-10T00:00:00.000Z' });
  });
});

describe('the overdue check', () => {
  it('suspends active external subscriptions whose billing date passed unpaid, once, and nothing else', async () => {
    const unpaid = await externalSubscription();
    const pending = (
      await subscribe(t, { plan_id: 'pro', customer_email: 'other@email.com', provider: 'external' })
    ).json().subscription_id;
    const managed = (await subscribe(t, { plan_id: 'pro', customer_email: 'card@email.com' })).json();
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: managed.customer_id });
    const invoice = String((await stripe.subscriptions.retrieve(managed.subscription_id)).latest_invoice);
    await stripe.invoices.pay(invoice, { payment_method: card.id });
    await deliver(success(unpaid, '2025-01-10'));
    const before = await subscriptionRowOf(t, managed.subscription_id);
    expect(before!.status).toBe('active');

    const check = t.services.overdueCheck;
    expect(await check.runOnce(new Date('2025-02-09T23:59:59Z'))).toEqual([]);
    expect(await check.runOnce(new Date('2025-02-10T00:00:01Z'))).toEqual([unpaid]);
    // Stripe renews its own subscriptions: even long past their period end they are left alone.
    expect(await check.runOnce(new Date('2100-01-01T00:00:00Z'))).toEqual([]);

    expect((await subscriptionRowOf(t, unpaid))!.status).toBe('past_due');
    expect((await subscriptionRowOf(t, pending))!.status).toBe('incomplete');
    expect(await subscriptionRowOf(t, managed.subscription_id)).toEqual(before);
  });
});

describe('external subscriptions with a trial', () => {
  it('are active during the trial, suspended when it ends unpaid, and a success pays the cycle after it', async () => {
    await createPlan(t, 'pro');
    const inTrial = async (email: string) =>
      (
        await subscribe(t, { plan_id: 'pro', customer_email: email, provider: 'external', trial_days: 14 })
      ).json();
    const trial = await inTrial('a@email.com');
    const paid = await inTrial('b@email.com');
    expect(trial).toMatchObject({ status: 'active', stripe_status: null });
    const trialEnd = new Date((await subscriptionRowOf(t, paid.subscription_id))!.current_period_end);

    await deliver(success(paid.subscription_id, new Date().toISOString().slice(0, 10)));
    // One month after the trial's end, on its day of the month (or the last day of a shorter month).
    const nextMonth = Date.UTC(trialEnd.getUTCFullYear(), trialEnd.getUTCMonth() + 1, 1);
    const lastDay = new Date(Date.UTC(trialEnd.getUTCFullYear(), trialEnd.getUTCMonth() + 2, 0)).getUTCDate();
    const afterTrial = new Date(
      nextMonth +
        (Math.min(trialEnd.getUTCDate(), lastDay) - 1) * 86_400_000 +
        (trialEnd.getTime() % 86_400_000),
    );
    expect(await periodOf(paid.subscription_id)).toMatchObject({
      status: 'active',
      start: trialEnd.toISOString(),
      end: afterTrial.toISOString(),
    });

    const dayAfterTrial = new Date(trialEnd.getTime() + 86_400_000);
    expect(await t.services.overdueCheck.runOnce(dayAfterTrial)).toEqual([trial.subscription_id]);
    expect((await subscriptionRowOf(t, trial.subscription_id))!.status).toBe('past_due');
  });
});

describe('payments of Stripe-managed subscriptions', () => {
  async function managedSubscription() {
    await createPlan(t, 'pro');
    const res = await subscribe(t, { plan_id: 'pro', customer_email: 'cliente@email.com' });
    expect(res.statusCode, res.body).toBe(201);
    await settled(t);
    return res.json().subscription_id as string;
  }

  it('marks the open invoice paid out of band in Stripe; Stripe then activates the subscription', async () => {
    const id = await managedSubscription();
    const invoiceId = String((await stripe.subscriptions.retrieve(id)).latest_invoice);

    await deliver(success(id, '2025-01-10', { currency: 'usd' }));

    const invoice = await stripe.invoices.retrieve(invoiceId);
    expect(invoice.status).toBe('paid');
    expect(invoice.status_transitions.paid_at).not.toBeNull();
    expect((await stripe.subscriptions.retrieve(id)).status).toBe('active');
    expect((await subscriptionRowOf(t, id))!.status).toBe('active');
    expect(await externalPayments(t)).toMatchObject([
      { outcome: 'success', invoice_id: invoiceId, subscription_id: id },
    ]);

    const before = await everything(t, stripe);
    const again = await postPaymentNotice(t, success(id, '2025-01-11'));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('no_open_invoice');
    expect(await everything(t, stripe)).toEqual(before);
  });

  it('records a failure and answers 409 stripe_managed with the reason', async () => {
    const id = await managedSubscription();
    const before = await subscriptionRowOf(t, id);
    const body = {
      subscription_id: id,
      event: 'payment_failed',
      amount: 2000,
      date: '2025-01-10',
      reason: 'insufficient_funds',
    };

    const res = await postPaymentNotice(t, body);
    await settled(t);

    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'stripe_managed',
      details: { reason: 'insufficient_funds', recorded: true, duplicate: false },
    });
    expect(await externalPayments(t)).toMatchObject([{ outcome: 'failed', subscription_id: id }]);
    expect(await subscriptionRowOf(t, id)).toEqual(before);
    const repeat = await postPaymentNotice(t, body);
    expect(repeat.json().error.details).toMatchObject({ duplicate: true });
    await settled(t);
    expect(await externalPayments(t)).toHaveLength(1);
  });
});

describe('the payment webhook refuses bad deliveries and changes nothing', () => {
  it('answers each with its own 4xx', async () => {
    const external = await externalSubscription();
    const managed = (await subscribe(t, { plan_id: 'pro', customer_email: 'card@email.com' })).json()
      .subscription_id;
    await settled(t);
    const before = await everything(t, stripe);
    const good = success(external, '2025-01-10');
    const raw = JSON.stringify(good);

    const refused: Array<[string, Awaited<ReturnType<typeof postPaymentNotice>>, number, string]> = [
      ['no signature', await postPaymentNotice(t, good, { signature: null }), 401, 'missing_signature'],
      [
        'another secret',
        await postPaymentNotice(t, good, { secret: `${PAYMENT_SECRET}-other` }),
        401,
        'invalid_signature',
      ],
      [
        'bare digest',
        await postPaymentNotice(t, good, { signature: signPaymentNotice(raw, PAYMENT_SECRET).slice(7) }),
        401,
        'invalid_signature',
      ],
      [
        'signed body replayed with a changed amount',
        await postPaymentNotice(
          t,
          { ...good, amount: 1 },
          { signature: signPaymentNotice(raw, PAYMENT_SECRET) },
        ),
        401,
        'invalid_signature',
      ],
      ['garbage', await postPaymentNotice(t, '{"subscription_id": '), 400, 'invalid_json'],
      ['empty', await postPaymentNotice(t, ''), 400, 'invalid_json'],
      ['not an object', await postPaymentNotice(t, '[1,2]'), 400, 'validation_failed'],
      ['amount as text', await postPaymentNotice(t, { ...good, amount: '2000' }), 400, 'validation_failed'],
      ['amount zero', await postPaymentNotice(t, { ...good, amount: 0 }), 400, 'validation_failed'],
      ['amount fraction', await postPaymentNotice(t, { ...good, amount: 19.99 }), 400, 'validation_failed'],
      ['unknown event', await postPaymentNotice(t, { ...good, event: 'refund' }), 400, 'validation_failed'],
      [
        'impossible date',
        await postPaymentNotice(t, { ...good, date: '2025-02-30' }),
        400,
        'validation_failed',
      ],
      ['date in words', await postPaymentNotice(t, { ...good, date: 'yesterday' }), 400, 'validation_failed'],
      [
        'bad currency',
        await postPaymentNotice(t, { ...good, currency: 'dollars' }),
        400,
        'validation_failed',
      ],
      ['future date', await postPaymentNotice(t, { ...good, date: '2999-01-01' }), 400, 'date_in_future'],
      [
        'unknown subscription',
        await postPaymentNotice(t, { ...good, subscription_id: 'sub_ext_nope' }),
        404,
        'not_found',
      ],
      ['other currency', await postPaymentNotice(t, { ...good, currency: 'eur' }), 400, 'currency_mismatch'],
      [
        'Stripe-managed, wrong amount',
        await postPaymentNotice(t, { ...good, subscription_id: managed, amount: 1999 }),
        400,
        'amount_mismatch',
      ],
    ];
    for (const [what, res, status, code] of refused) {
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      expect(res.json().error.code, what).toBe(code);
    }
    const wrongTypes = await postPaymentNotice(t, {
      subscription_id: 7,
      event: 'payment_success',
      amount: -5,
      date: 3,
    });
    expect(
      wrongTypes
        .json()
        .error.details.fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(['amount', 'date', 'subscription_id']);

    await settled(t);
    expect(await everything(t, stripe)).toEqual(before);
  });

  it('is off (503) when no secret is configured', async () => {
    const intake = new PaymentNoticeIntake({
      db: t.database.db,
      inbox: t.services.inbox,
      secret: undefined,
      logger: t.services.logger,
    });
    const { app } = await buildApp({ ...t.services, paymentNotices: intake });
    const before = await everything(t, stripe);
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/webhooks/payment',
        headers: { 'content-type': 'application/json', 'x-recur-signature': 'sha256=00' },
        payload: '{}',
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('payment_webhook_disabled');
    } finally {
      await app.close();
    }
    expect(await everything(t, stripe)).toEqual(before);
  });
});
