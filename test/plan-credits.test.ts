import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { creditLedgerRepository } from '../src/usage/credits-ledger.js';
import { createPlan } from './support/billing.js';
import { billingTestApp, customerWithCard } from './support/billing-app.js';
import { advanceClock, DAY } from './support/subscriptions.js';
import { settled } from './support/wait.js';

// A plan's credits granted each paid period: on the first invoice and each renewal, once per
// invoice and feature whatever the redeliveries, an add-on's times its quantity, expiring at the
// period's end unless they roll over.
const h = billingTestApp();
const payer = { payerKind: 'user' as const, payerId: 'user_ada' };

interface Lot {
  granted: string;
  source_ref: string;
  expires_at: string | null;
}
const lots = async () =>
  (
    await queryRows<Lot>(
      h.t.database.db,
      sql`select granted, source_ref, expires_at from credit_lots where source = 'plan' order by created_at, granted`,
    )
  ).map((l) => ({ ...l, expires_at: l.expires_at === null ? null : new Date(l.expires_at) }));

describe('credits granted by a plan each period', () => {
  it('grants on each paid period invoice, once, an add-on’s times its quantity, expiring as its rule says', async () => {
    const base = await createPlan(h.t, {
      key: 'ai_pro',
      benefits: [
        { key: 'seats', value: 3 },
        { key: 'ai_credits', credits: 1000 },
      ],
      prices: [{ currency: 'usd', unit_amount: 2000, interval: 'month' }],
    });
    const addOn = await createPlan(h.t, {
      key: 'more_ai',
      kind: 'add_on',
      benefits: [{ key: 'ai_credits', credits: 200, rollover: true, expires_after_days: 90 }],
      prices: [{ currency: 'usd', unit_amount: 500, interval: 'month' }],
    });

    const start = Math.floor(Date.now() / 1000);
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: start });
    const customer = await customerWithCard(h.stripe, { userId: 'user_ada', testClock: clock.id });
    const subscription = await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: base.prices[0]!.stripe_price_id }],
    });
    await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: addOn.prices[0]!.stripe_price_id, quantity: 3 }],
    });
    await settled(h.t);

    const first = await lots();
    expect(first.map((l) => Number(l.granted)).sort()).toEqual([1000, 600]);
    const baseLot = first.find((l) => Number(l.granted) === 1000)!;
    expect(baseLot.source_ref).toBe(`${subscription.latest_invoice}:ai_credits`);
    expect(baseLot.expires_at!.getTime()).toBe(subscription.items.data[0]!.current_period_end * 1000);
    const addOnLot = first.find((l) => Number(l.granted) === 600)!;
    expect(addOnLot.expires_at!.getTime() / 1000).toBeGreaterThanOrEqual(start + 90 * DAY);
    expect(addOnLot.expires_at!.getTime() / 1000).toBeLessThan(start + 91 * DAY);
    const at = new Date(start * 1000);
    expect(await creditLedgerRepository.balance(h.t.database.db, payer, 'ai_credits', at)).toBe(1600);

    // The invoices' events delivered again, as new deliveries: nothing more is granted.
    const paid = (await h.stripe.events.list({ limit: 100, type: 'invoice.paid' })).data;
    expect(paid).toHaveLength(2);
    for (const [i, event] of [...paid, ...paid].entries())
      await h.t.services.inbox.ingestStripe({ ...event, id: `${event.id}_again${i}` });
    await settled(h.t);
    expect(await lots()).toHaveLength(2);
    expect(await creditLedgerRepository.ledgerSum(h.t.database.db, payer, 'ai_credits')).toBe(1600);

    // The renewal: a new period's 1,000 (the first expired with its period) and 600 more rolled over.
    await advanceClock(h.stripe, clock.id, start + 32 * DAY);
    await settled(h.t);
    const renewed = await lots();
    expect(renewed).toHaveLength(4);
    const now = new Date((start + 32 * DAY) * 1000);
    expect(await creditLedgerRepository.balance(h.t.database.db, payer, 'ai_credits', now)).toBe(2200);
    // A plan without credits grants nothing; a proration grants nothing.
    const seatsOnly = await queryRows(
      h.t.database.db,
      sql`select 1 from credit_lots where feature = 'seats'`,
    );
    expect(seatsOnly).toEqual([]);
  });

  it('the next period’s credits pay first what usage beyond the last period’s left owed', async () => {
    const plan = await createPlan(h.t, {
      key: 'ai_basic',
      benefits: [{ key: 'ai_credits', credits: 100 }],
      prices: [{ currency: 'usd', unit_amount: 900, interval: 'month' }],
    });
    const start = Math.floor(Date.now() / 1000);
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: start });
    const customer = await customerWithCard(h.stripe, { userId: 'user_ada', testClock: clock.id });
    await h.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plan.prices[0]!.stripe_price_id }],
    });
    await settled(h.t);
    const balance = (at: number) =>
      creditLedgerRepository.balance(h.t.database.db, payer, 'ai_credits', new Date(at * 1000));
    expect(await balance(start)).toBe(100);

    // 130 used: the 100 granted, and 30 owed.
    const res = await h.t.app.inject({
      method: 'POST',
      url: '/api/usage',
      headers: { authorization: `Bearer ${h.t.serviceKey}` },
      payload: { user_id: 'user_ada', feature: 'ai_credits', value: 130, idempotency_key: 'job_1' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await balance(start)).toBe(-30);

    // The renewal's 100 pay the 30 first.
    await advanceClock(h.stripe, clock.id, start + 32 * DAY);
    await settled(h.t);
    expect(await lots()).toHaveLength(2);
    expect(await balance(start + 32 * DAY)).toBe(70);
    const settles = await queryRows<{ amount: string }>(
      h.t.database.db,
      sql`select amount from credit_ledger where movement = 'settle' order by amount`,
    );
    expect(settles.map((r) => Number(r.amount))).toEqual([-30, 30]);
  });
});
