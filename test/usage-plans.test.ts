import { describe, expect, it } from 'vitest';
import { benefitsText, keepUsageFields, parseBenefits } from '../web/admin/plans/benefits.js';
import { bearer } from './support/app.js';
import { createPlan } from './support/billing.js';
import { billingTestApp } from './support/billing-app.js';

// A benefit may be a metered limit or a credit grant beside a flag, number or text: stored as the
// shared Benefit type says (value = the limit or the credits), shown back as it was written.
const h = billingTestApp();

const usd = [{ currency: 'usd', unit_amount: 2000, interval: 'month' }];

describe('metered and credit benefits on plans', () => {
  it('stores a metered limit and a credit grant and shows them back as written', async () => {
    const plan = await createPlan(h.t, {
      key: 'pro',
      prices: usd,
      benefits: [
        {
          key: 'api_calls',
          limit: 1000,
          reset: 'billing_period',
          overage: 'bill',
          overage_prices: [
            { currency: 'USD', unit_amount: 1 },
            {
              currency: 'eur',
              tiers_mode: 'graduated',
              tiers: [
                { up_to: 100, unit_amount: 2 },
                { up_to: null, unit_amount: 1 },
              ],
            },
          ],
        },
        { key: 'exports', limit: 10, reset: 'day' },
        { key: 'ai_credits', credits: 500, rollover: true, expires_after_days: 90 },
        { key: 'sso', value: true },
      ],
    });
    const shown = await h.t.app.inject({
      method: 'GET',
      url: `/api/plans/${plan.id}`,
      headers: bearer(h.t.adminKey),
    });
    expect(shown.json().benefits).toEqual([
      {
        key: 'api_calls',
        value: 1000,
        limit: 1000,
        reset: 'billing_period',
        overage: 'bill',
        overage_prices: [
          { currency: 'usd', unit_amount: 1 },
          {
            currency: 'eur',
            tiers_mode: 'graduated',
            tiers: [
              { up_to: 100, unit_amount: 2 },
              { up_to: null, unit_amount: 1 },
            ],
          },
        ],
      },
      { key: 'exports', value: 10, limit: 10, reset: 'day', overage: 'block' },
      { key: 'ai_credits', value: 500, credits: 500, rollover: true, expires_after_days: 90 },
      { key: 'sso', value: true },
    ]);
    // What a view shows may be sent back as it is.
    const again = await h.t.app.inject({
      method: 'PATCH',
      url: `/api/plans/${plan.id}`,
      headers: bearer(h.t.adminKey),
      payload: { benefits: shown.json().benefits },
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().benefits).toEqual(shown.json().benefits);
    // The console's editor sends lines of `key = value`: unchanged usage lines keep their fields.
    const edited = `${benefitsText(shown.json().benefits)}\nexports_extra = 2`;
    const fromConsole = await h.t.app.inject({
      method: 'PATCH',
      url: `/api/plans/${plan.id}`,
      headers: bearer(h.t.adminKey),
      payload: { benefits: keepUsageFields(parseBenefits(edited), shown.json().benefits) },
    });
    expect(fromConsole.json().benefits).toEqual([
      ...shown.json().benefits,
      { key: 'exports_extra', value: 2 },
    ]);
    const [row] = await h.t.services.database.db.query.plans.findMany({ columns: { benefits: true } });
    expect(row!.benefits[1]).toEqual({
      key: 'exports',
      value: 10,
      limit: { reset: 'day', overage: 'block' },
    });
    expect(row!.benefits[2]).toEqual({
      key: 'ai_credits',
      value: 500,
      credits: { rollover: true, expiresAfterDays: 90 },
    });
  });

  it('refuses every wrong combination with a 400 naming the field, and creates nothing', async () => {
    const price = [{ currency: 'usd', unit_amount: 1 }];
    const wrong: Array<[Record<string, unknown>, string]> = [
      [{ limit: 5 }, 'reset'],
      [{ limit: 5, reset: 'hourly' }, 'reset'],
      [{ limit: -1, reset: 'month' }, 'limit'],
      [{ limit: 1.5, reset: 'month' }, 'limit'],
      [{ limit: 5, reset: 'month', overage: 'bill', overage_prices: price }, 'reset'],
      [{ limit: 5, reset: 'billing_period', overage: 'bill' }, 'overage_prices'],
      [{ limit: 5, reset: 'month', overage_prices: price }, 'overage_prices'],
      [{ limit: 5, reset: 'month', overage: 'credits', overage_prices: price }, 'overage_prices'],
      [{ limit: 5, reset: 'month', overage: 'refuse' }, 'overage'],
      [
        {
          limit: 5,
          reset: 'billing_period',
          overage: 'bill',
          overage_prices: [{ currency: 'usd', unit_amount: 1, tiers: [{ up_to: null, unit_amount: 1 }] }],
        },
        'overage_prices.0.unit_amount',
      ],
      [
        {
          limit: 5,
          reset: 'billing_period',
          overage: 'bill',
          overage_prices: [...price, { currency: 'USD', unit_amount: 2 }],
        },
        'overage_prices',
      ],
      [{ value: 5, reset: 'month' }, 'reset'],
      [{ value: 5, overage: 'block' }, 'overage'],
      [{ credits: 5, reset: 'month' }, 'reset'],
      [{ limit: 5, reset: 'month', credits: 5 }, 'credits'],
      [{ limit: 5, reset: 'month', value: 6 }, 'limit'],
      [{ limit: 5, reset: 'month', rollover: true }, 'rollover'],
      [{ value: 3, expires_after_days: 3 }, 'expires_after_days'],
      [{}, 'value'],
      [{ credits: 0 }, 'credits'],
      [{ credits: 10, expires_after_days: 0 }, 'expires_after_days'],
    ];
    for (const [benefit, field] of wrong) {
      const res = await h.t.app.inject({
        method: 'POST',
        url: '/api/plans',
        headers: bearer(h.t.adminKey),
        payload: { key: 'bad', name: 'Bad', prices: usd, benefits: [{ key: 'api_calls', ...benefit }] },
      });
      expect(res.statusCode, JSON.stringify(benefit)).toBe(400);
      expect(res.json().error.message, JSON.stringify(benefit)).toContain(`benefits.0.${field}`);
    }
    const plans = await h.t.app.inject({
      method: 'GET',
      url: '/api/plans?status=all',
      headers: bearer(h.t.adminKey),
    });
    expect(plans.json().data).toEqual([]);
  });
});
