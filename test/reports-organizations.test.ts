import { beforeEach, describe, expect, it } from 'vitest';
import { upsertMirror } from '../src/mirror/repository.js';
import { adminJson, at, event, type PriceSpec, subscription } from './support/report-history.js';
import { subscriptionHarness } from './support/subscriptions.js';
import { settled } from './support/wait.js';

/**
 * The reports count an organisation's customer exactly as a user's: one payer, its subscription's
 * MRR, its churn and its cohort. A user pays Pro ($50) from January 10; organisation Acme pays
 * Basic for 3 seats ($60) from January 15 and cancels on March 5.
 */
const h = subscriptionHarness();

const json = (path: string) => adminJson(h.t, path);

beforeEach(async () => {
  const { db } = h.t.database;
  const now = new Date('2025-01-01T00:00:00Z');
  await upsertMirror(db, 'customer', { id: 'cus_org_user', externalId: 'u_ann', createdAt: now }, now);
  await upsertMirror(db, 'customer', { id: 'cus_org_acme', organizationId: 'org_acme', createdAt: now }, now);
  const pro: PriceSpec = { id: h.catalog.pro.monthly, amount: 5000, interval: 'month' };
  const basic: PriceSpec = { id: h.catalog.basic.monthly, amount: 2000, interval: 'month' };
  const user = { id: 'sub_org_user', customer: 'cus_org_user', created: at('2025-01-10T10:00:00') };
  const org = {
    id: 'sub_org_acme',
    customer: 'cus_org_acme',
    created: at('2025-01-15T10:00:00'),
    quantity: 3,
  };
  const cancelled = at('2025-03-05T10:00:00');
  const history = [
    event(
      'customer.subscription.created',
      subscription({ ...user, status: 'active', price: pro }),
      user.created,
    ),
    event(
      'customer.subscription.created',
      subscription({ ...org, status: 'active', price: basic }),
      org.created,
    ),
    event(
      'customer.subscription.deleted',
      subscription({ ...org, status: 'canceled', price: basic, canceledAt: cancelled }),
      cancelled,
    ),
  ];
  for (const e of history) {
    await h.t.services.inbox.ingestStripe(e);
    await settled(h.t);
  }
});

const RANGE = 'from=2025-01&to=2025-04';

describe('reports with an organisation paying', () => {
  it('count the organisation as one customer: MRR, churn when it cancels, retention', async () => {
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
      ['2025-01', 11_000, 2, 11_000, 0],
      ['2025-02', 11_000, 2, 0, 0],
      ['2025-03', 5000, 1, 0, 6000],
      ['2025-04', 5000, 1, 0, 0],
    ]);

    const churn = await json(`reports/churn?${RANGE}`);
    expect(churn.months[2]).toMatchObject({
      month: '2025-03',
      subscriptions_at_start: 2,
      churned_subscriptions: 1,
      logo_churn_rate: 0.5,
      mrr_at_start: 11_000,
      churned_mrr: 6000,
    });

    const { cohorts } = await json(`reports/retention?${RANGE}`);
    expect(cohorts).toHaveLength(1);
    expect(cohorts[0]).toMatchObject({ cohort: '2025-01', currency: 'usd', subscriptions: 2 });
    expect(cohorts[0].retention.slice(0, 3).map((r: { active: number }) => r.active)).toEqual([2, 2, 1]);

    // The admin lists name the payer: the user's id, or the organisation's.
    const customers = (await json('customers')).data;
    expect(
      customers
        .map((c: { id: string; external_id: string | null; organization_id: string | null }) => [
          c.id,
          c.external_id,
          c.organization_id,
        ])
        .sort(),
    ).toEqual([
      ['cus_org_acme', null, 'org_acme'],
      ['cus_org_user', 'u_ann', null],
    ]);
  });
});
