import { describe, expect, it } from 'vitest';
import {
  advanceClock,
  DAY,
  get,
  HOUR,
  mirrorOf,
  post,
  type Subscriber,
  subscriber,
  subscriptionHarness,
} from './support/subscriptions.js';
import { settled } from './support/wait.js';

const h = subscriptionHarness();

const periodEnd = (s: Subscriber) => s.subscription.items.data[0]!.current_period_end;
const url = (s: Subscriber, action = '') => `/api/subscriptions/${s.subscription.id}${action}`;
const appWrites = () =>
  h.appCalls.filter((c) => c.method === 'POST' && !c.path.startsWith('/v1/invoices/create_preview'));

describe('plan changes', () => {
  it('upgrades mid-period now, charging exactly the previewed proration', async () => {
    const ann = await subscriber(h, 'ann', h.catalog.basic.monthly);
    await advanceClock(h.stripe, ann.clock, ann.subscription.created + 10 * DAY);

    const preview = await post(h, url(ann, '/preview-change'), ann.token, { plan_id: 'pro' });
    expect(preview.statusCode, preview.body).toBe(200);
    const promised = preview.json();
    expect(promised).toMatchObject({ kind: 'upgrade', effective: 'now', currency: 'usd' });
    expect(promised.amount_due_now).toBeGreaterThan(0);
    expect(promised.amount_due_now).toBeLessThan(3000);
    expect(promised.lines.every((l: { proration: boolean }) => l.proration)).toBe(true);
    expect(promised.next_invoice).toMatchObject({
      amount_due: 5000,
      period_start: new Date(periodEnd(ann) * 1000).toISOString(),
    });

    const changed = await post(h, url(ann, '/change'), ann.token, {
      plan_id: 'pro',
      proration_date: promised.proration_date,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const result = changed.json();
    expect(result).toMatchObject({ kind: 'upgrade', effective: 'now' });
    expect(result.subscription).toMatchObject({
      plan_id: h.catalog.pro.id,
      plan_name: 'Pro',
      unit_amount: 5000,
    });
    const invoice = await h.stripe.invoices.retrieve(result.invoice_id);
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: promised.amount_due_now });

    await settled(h.t);
    const after = (await get(h, url(ann), ann.token)).json();
    expect(after).toEqual(result.subscription);
  });

  it('downgrades at the renewal through a schedule; the renewal bills the lower price', async () => {
    const bob = await subscriber(h, 'bob', h.catalog.pro.monthly);
    const preview = (await post(h, url(bob, '/preview-change'), bob.token, { plan_id: 'basic' })).json();
    expect(preview).toMatchObject({
      kind: 'downgrade',
      effective: 'period_end',
      amount_due_now: 0,
      lines: [],
      next_invoice: { amount_due: 2000 },
    });

    const changed = await post(h, url(bob, '/change'), bob.token, { plan_id: 'basic' });
    expect(changed.statusCode, changed.body).toBe(200);
    const scheduled = {
      plan_id: h.catalog.basic.id,
      price_id: h.catalog.basic.monthly,
      quantity: 1,
      effective_at: new Date(periodEnd(bob) * 1000).toISOString(),
    };
    expect(changed.json().subscription).toMatchObject({
      plan_id: h.catalog.pro.id,
      scheduled_change: scheduled,
    });

    // Asking again for the change already scheduled writes nothing.
    const writes = appWrites().length;
    const again = await post(h, url(bob, '/change'), bob.token, { plan_id: 'basic' });
    expect(again.statusCode).toBe(200);
    expect(appWrites()).toHaveLength(writes);

    await advanceClock(h.stripe, bob.clock, periodEnd(bob) + HOUR + 60);
    await settled(h.t);
    const renewed = await h.stripe.subscriptions.retrieve(bob.subscription.id);
    const invoice = await h.stripe.invoices.retrieve(String(renewed.latest_invoice));
    expect(invoice).toMatchObject({ status: 'paid', total: 2000, billing_reason: 'subscription_cycle' });
    const view = (await get(h, url(bob), bob.token)).json();
    expect(view).toMatchObject({ plan_id: h.catalog.basic.id, unit_amount: 2000, scheduled_change: null });
  });

  it('adds seats now with proration and removes seats at the period end', async () => {
    const cy = await subscriber(h, 'cy', h.catalog.basic.monthly, { quantity: 2 });
    await advanceClock(h.stripe, cy.clock, cy.subscription.created + 15 * DAY);
    const more = (await post(h, url(cy, '/preview-change'), cy.token, { quantity: 5 })).json();
    expect(more).toMatchObject({ kind: 'quantity', effective: 'now', next_invoice: { amount_due: 10_000 } });
    const added = await post(h, url(cy, '/change'), cy.token, {
      quantity: 5,
      proration_date: more.proration_date,
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().subscription.quantity).toBe(5);
    const invoice = await h.stripe.invoices.retrieve(added.json().invoice_id);
    expect(invoice.amount_paid).toBe(more.amount_due_now);

    const fewer = await post(h, url(cy, '/change'), cy.token, { quantity: 1 });
    expect(fewer.json()).toMatchObject({ kind: 'quantity', effective: 'period_end' });
    expect(fewer.json().subscription).toMatchObject({ quantity: 5, scheduled_change: { quantity: 1 } });

    // The reduction lands at the renewal, which bills one seat, and the schedule then lets go.
    await advanceClock(h.stripe, cy.clock, periodEnd(cy) + HOUR + 60);
    await settled(h.t);
    const renewed = await h.stripe.subscriptions.retrieve(cy.subscription.id);
    expect(renewed.items.data[0]!.quantity).toBe(1);
    const renewal = await h.stripe.invoices.retrieve(String(renewed.latest_invoice));
    expect(renewal).toMatchObject({ status: 'paid', total: 2000, billing_reason: 'subscription_cycle' });
    const view = (await get(h, url(cy), cy.token)).json();
    expect(view).toMatchObject({ quantity: 1, scheduled_change: null });
  });

  it('moves from monthly to yearly now, restarting the cycle', async () => {
    const di = await subscriber(h, 'di', h.catalog.pro.monthly);
    await advanceClock(h.stripe, di.clock, di.subscription.created + 5 * DAY);
    const preview = (await post(h, url(di, '/preview-change'), di.token, { interval: 'year' })).json();
    expect(preview).toMatchObject({
      kind: 'interval',
      effective: 'now',
      next_invoice: { amount_due: 50_000 },
    });
    const changed = await post(h, url(di, '/change'), di.token, {
      interval: 'year',
      proration_date: preview.proration_date,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().subscription).toMatchObject({ interval: 'year', price_id: h.catalog.pro.yearly });
    const invoice = await h.stripe.invoices.retrieve(changed.json().invoice_id);
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: preview.amount_due_now });
  });

  it('reports a declined upgrade as 402 and leaves the subscription as it was', async () => {
    const ed = await subscriber(h, 'ed', h.catalog.basic.monthly);
    const card = await h.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', {
      customer: ed.customer.id,
    });
    await h.stripe.customers.update(ed.customer.id, {
      invoice_settings: { default_payment_method: card.id },
    });
    await settled(h.t);
    const before = await mirrorOf(h.t, ed.subscription.id);
    const res = await post(h, url(ed, '/change'), ed.token, { plan_id: 'pro' });
    expect(res.statusCode, res.body).toBe(402);
    expect(res.json().error.code).toBe('payment_failed');
    expect((await h.stripe.subscriptions.retrieve(ed.subscription.id)).items.data[0]!.price.id).toBe(
      h.catalog.basic.monthly,
    );
    await settled(h.t);
    expect(await mirrorOf(h.t, ed.subscription.id)).toEqual(before);
  });
});

describe('cancel, resume, reactivate', () => {
  it('cancels at the period end: active until then, cancelled after', async () => {
    const fay = await subscriber(h, 'fay', h.catalog.basic.monthly);
    const res = await post(h, url(fay, '/cancel'), fay.token, { reason: 'Too busy', feedback: 'unused' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'active',
      cancel_at_period_end: true,
      next_billing_date: null,
    });
    expect((await h.stripe.subscriptions.retrieve(fay.subscription.id)).cancellation_details).toMatchObject({
      comment: 'Too busy',
      feedback: 'unused',
    });

    const writes = appWrites().length;
    const again = await post(h, url(fay, '/cancel'), fay.token, {});
    expect(again.statusCode).toBe(200);
    expect(again.json().cancel_at_period_end).toBe(true);
    expect(appWrites()).toHaveLength(writes);

    await advanceClock(h.stripe, fay.clock, periodEnd(fay) - DAY);
    await settled(h.t);
    expect((await get(h, url(fay), fay.token)).json().status).toBe('active');
    await advanceClock(h.stripe, fay.clock, periodEnd(fay) + 60);
    await settled(h.t);
    expect((await get(h, url(fay), fay.token)).json()).toMatchObject({
      status: 'cancelled',
      stripe_status: 'canceled',
    });
  });

  it('cancels now, and a repeat answers the ended subscription without a write', async () => {
    const gus = await subscriber(h, 'gus', h.catalog.basic.monthly);
    const res = await post(h, url(gus, '/cancel'), gus.token, { at_period_end: false }, 'cancel-1');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cancelled', cancellation_reason: 'cancellation_requested' });
    const writes = appWrites().length;
    const replay = await post(h, url(gus, '/cancel'), gus.token, { at_period_end: false }, 'cancel-1');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(res.json());
    expect((await post(h, url(gus, '/cancel'), gus.token, { at_period_end: false })).statusCode).toBe(200);
    expect(appWrites()).toHaveLength(writes);
    expect((await post(h, url(gus, '/cancel'), gus.token, {})).json().error.code).toBe('subscription_ended');
  });

  it('resumes a pending cancellation, and refuses when none is pending', async () => {
    const hal = await subscriber(h, 'hal', h.catalog.basic.monthly);
    expect((await post(h, url(hal, '/resume'), hal.token)).json().error.code).toBe('not_cancelling');
    await post(h, url(hal, '/cancel'), hal.token, {});
    const res = await post(h, url(hal, '/resume'), hal.token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ cancel_at_period_end: false, canceled_at: null });
    expect(res.json().next_billing_date).toBe(res.json().current_period_end.slice(0, 10));
    await settled(h.t);
    expect((await get(h, url(hal), hal.token)).json()).toEqual(res.json());
  });

  it('reactivates an ended subscription on the same price, once', async () => {
    const ivy = await subscriber(h, 'ivy', h.catalog.pro.monthly, { quantity: 2 });
    expect((await post(h, url(ivy, '/reactivate'), ivy.token)).json().error.code).toBe('not_cancelled');
    await post(h, url(ivy, '/cancel'), ivy.token, { at_period_end: false });
    const res = await post(h, url(ivy, '/reactivate'), ivy.token);
    expect(res.statusCode, res.body).toBe(200);
    const fresh = res.json();
    expect(fresh.id).not.toBe(ivy.subscription.id);
    expect(fresh).toMatchObject({ status: 'active', plan_id: h.catalog.pro.id, quantity: 2 });
    const invoice = await h.stripe.invoices.retrieve(
      String((await h.stripe.subscriptions.retrieve(fresh.id)).latest_invoice),
    );
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: 10_000 });
    await settled(h.t);
    const again = await post(h, url(ivy, '/reactivate'), ivy.token);
    expect(again.json().id).toBe(fresh.id);
    const mine = (await get(h, '/api/me/subscriptions', ivy.token)).json().data;
    expect(mine.map((s: { id: string }) => s.id).sort()).toEqual([ivy.subscription.id, fresh.id].sort());
  });

  it('needs a payment method to reactivate', async () => {
    const jo = await subscriber(h, 'jo', h.catalog.basic.monthly);
    await post(h, url(jo, '/cancel'), jo.token, { at_period_end: false });
    await h.stripe.paymentMethods.detach(String(jo.customer.invoice_settings.default_payment_method));
    const res = await post(h, url(jo, '/reactivate'), jo.token);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('payment_method_required');
  });
});

describe('refusals', () => {
  it('answers every bad change or cancellation with its own 4xx and changes nothing', async () => {
    const kim = await subscriber(h, 'kim', h.catalog.basic.monthly);
    const ended = await subscriber(h, 'lou', h.catalog.basic.monthly);
    await post(h, url(ended, '/cancel'), ended.token, { at_period_end: false });
    const pro = (await get(h, '/api/plans/pro', h.t.adminKey)).json();
    const yearly = pro.prices.find((p: { interval: string }) => p.interval === 'year');
    const archived = await h.t.app.inject({
      method: 'DELETE',
      url: `/api/plans/pro/prices/${yearly.id}`,
      headers: { authorization: `Bearer ${h.t.adminKey}` },
    });
    expect(archived.statusCode, archived.body).toBe(200);
    await settled(h.t);
    const before = [
      await mirrorOf(h.t, kim.subscription.id),
      await h.stripe.subscriptions.retrieve(kim.subscription.id),
    ];
    const cases: Array<[string, unknown, number, string, Subscriber?]> = [
      ['/change', {}, 400, 'change_required'],
      ['/change', { plan_id: 'basic' }, 409, 'no_change'],
      ['/change', { quantity: 1 }, 409, 'no_change'],
      ['/change', { plan_id: 'nope' }, 400, 'unknown_plan'],
      ['/change', { price_id: 'price_nope' }, 400, 'unknown_price'],
      ['/change', { plan_id: 'basic', price_id: h.catalog.pro.monthly }, 400, 'price_not_in_plan'],
      ['/change', { price_id: h.catalog.pro.monthly, interval: 'year' }, 400, 'interval_mismatch'],
      ['/change', { interval: 'week' }, 400, 'no_price_for_interval'],
      ['/change', { price_id: h.catalog.pro.yearly }, 400, 'price_archived'],
      ['/change', { plan_id: 'pro', interval: 'year' }, 400, 'no_price_for_interval'],
      ['/change', { plan_id: 'pro', proration_date: 1_000_000 }, 400, 'invalid_proration_date'],
      ['/change', { quantity: 0 }, 400, 'validation_failed'],
      ['/change', { plan_id: 'pro', colour: 'red' }, 400, 'validation_failed'],
      ['/preview-change', { plan_id: 'pro' }, 409, 'subscription_ended', ended],
      ['/change', { plan_id: 'pro' }, 409, 'subscription_ended', ended],
      ['/cancel', { reason: 'x'.repeat(501) }, 400, 'validation_failed'],
      ['/cancel', { feedback: 'bored' }, 400, 'validation_failed'],
      ['/resume', undefined, 409, 'not_cancelling'],
      ['/reactivate', undefined, 409, 'not_cancelled'],
      ['/resume', undefined, 409, 'subscription_ended', ended],
    ];
    const writes = appWrites().length;
    for (const [action, body, status, code, who] of cases) {
      const s = who ?? kim;
      const res = await post(h, url(s, action), s.token, body);
      expect(res.statusCode, `${action} ${JSON.stringify(body)}`).toBe(status);
      expect(res.json().error.code, `${action} ${JSON.stringify(body)}`).toBe(code);
    }
    expect(appWrites()).toHaveLength(writes);
    await settled(h.t);
    expect([
      await mirrorOf(h.t, kim.subscription.id),
      await h.stripe.subscriptions.retrieve(kim.subscription.id),
    ]).toEqual(before);
  });

  it('refuses a change to another currency', async () => {
    const max = await subscriber(h, 'max', h.catalog.basic.monthly);
    const res = await post(h, url(max, '/change'), max.token, { price_id: h.catalog.euro.monthly });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('currency_mismatch');
  });
});
