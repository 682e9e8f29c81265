import { beforeEach, describe, expect, it } from 'vitest';
import { upsertMirror } from '../src/mirror/repository.js';
import { bearer } from './support/app.js';
import { adminJson, at, event, type PriceSpec, subscription } from './support/report-history.js';
import { subscriptionHarness } from './support/subscriptions.js';
import { settled } from './support/wait.js';

/**
 * An add-on is its own Stripe subscription on top of a base plan: the reports count its money as
 * the customer's revenue but never count it as a customer. Ann pays Pro ($50) from January 10 and
 * the Sandbox add-on ($4) from January 12; she drops the add-on on February 5 and Pro on March 5.
 */
const h = subscriptionHarness();
let sandboxPlan = '';

const json = (path: string) => adminJson(h.t, path);

beforeEach(async () => {
  const created = await h.t.app.inject({
    method: 'POST',
    url: '/api/plans',
    headers: bearer(h.t.adminKey),
    payload: {
      key: 'sandbox',
      name: 'Sandbox',
      kind: 'add_on',
      requires_plans: [],
      prices: [{ currency: 'usd', unit_amount: 400, interval: 'month' }],
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const plan = created.json() as { id: string; prices: Array<{ stripe_price_id: string }> };
  sandboxPlan = plan.id;

  const { db } = h.t.database;
  const now = new Date('2025-01-01T00:00:00Z');
  await upsertMirror(db, 'customer', { id: 'cus_logo_ann', externalId: 'u_ann', createdAt: now }, now);
  const pro: PriceSpec = { id: h.catalog.pro.monthly, amount: 5000, interval: 'month' };
  const sandbox: PriceSpec = { id: plan.prices[0]!.stripe_price_id, amount: 400, interval: 'month' };
  const base = { id: 'sub_logo_base', customer: 'cus_logo_ann', created: at('2025-01-10T10:00:00') };
  const addOn = { id: 'sub_logo_addon', customer: 'cus_logo_ann', created: at('2025-01-12T10:00:00') };
  const addOnEnds = at('2025-02-05T10:00:00');
  const baseEnds = at('2025-03-05T10:00:00');
  const history = [
    event(
      'customer.subscription.created',
      subscription({ ...base, status: 'active', price: pro }),
      base.created,
    ),
    event(
      'customer.subscription.created',
      subscription({ ...addOn, status: 'active', price: sandbox }),
      addOn.created,
    ),
    event(
      'customer.subscription.deleted',
      subscription({ ...addOn, status: 'canceled', price: sandbox, canceledAt: addOnEnds }),
      addOnEnds,
    ),
    event(
      'customer.subscription.deleted',
      subscription({ ...base, status: 'canceled', price: pro, canceledAt: baseEnds }),
      baseEnds,
    ),
  ];
  for (const e of history) {
    await h.t.services.inbox.ingestStripe(e);
    await settled(h.t);
  }
});

const RANGE = 'from=2025-01&to=2025-04';

describe('reports with an add-on', () => {
  it("count the add-on's money but not as a customer: MRR, logo churn, ARPU, retention", async () => {
    const mrr = await json(`reports/mrr?${RANGE}`);
    expect(
      mrr.months.map((m: Record<string, number>) => [
        m.month,
        m.mrr,
        m.active_subscriptions,
        m.new,
        m.churned,
      ]),
    ).toEqual([
      ['2025-01', 5400, 1, 5400, 0],
      ['2025-02', 5000, 1, 0, 400],
      ['2025-03', 0, 0, 0, 5000],
      ['2025-04', 0, 0, 0, 0],
    ]);

    const churn = await json(`reports/churn?${RANGE}`);
    expect(churn.months[1]).toMatchObject({
      month: '2025-02',
      subscriptions_at_start: 1,
      churned_subscriptions: 0,
      logo_churn_rate: 0,
      mrr_at_start: 5400,
      churned_mrr: 400,
      revenue_churn_rate: 0.0741,
    });
    expect(churn.months[2]).toMatchObject({
      month: '2025-03',
      subscriptions_at_start: 1,
      churned_subscriptions: 1,
      logo_churn_rate: 1,
      mrr_at_start: 5000,
      churned_mrr: 5000,
    });

    const arpu = await json('reports/arpu?from=2025-01&to=2025-01');
    expect(arpu.currencies).toEqual([
      expect.objectContaining({ currency: 'usd', mrr: 5400, active_subscriptions: 1, arpu: 5400 }),
    ]);

    const { cohorts } = await json(`reports/retention?${RANGE}`);
    expect(cohorts).toHaveLength(1);
    expect(cohorts[0]).toMatchObject({ cohort: '2025-01', currency: 'usd', subscriptions: 1 });
    expect(cohorts[0].retention.slice(0, 3).map((r: { active: number }) => r.active)).toEqual([1, 1, 0]);

    // Filtered to the add-on, the reports show its money and no customers.
    const own = await json(`reports/mrr?${RANGE}&plan_id=${sandboxPlan}`);
    expect(
      own.months.slice(0, 2).map((m: Record<string, number>) => [m.mrr, m.active_subscriptions]),
    ).toEqual([
      [400, 0],
      [0, 0],
    ]);
  });
});
