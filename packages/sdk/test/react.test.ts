import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  createBrowserClient,
  formatAmount,
  ManageBillingButton,
  type Plans,
  PricingTable,
  RecurProvider,
  useEntitlements,
} from '../src/react/index.js';

/**
 * The components rendered by react-dom/server from data the page already has; the browser client's
 * requests through the app's routes to Recur are tested in host-routes.test.ts, and clicking in a
 * real browser by the example app's test.
 */
const plan = (key: string, name: string, amount: number, benefits: Plans[number]['benefits']) =>
  ({
    id: `plan_${key}`,
    key,
    name,
    description: null,
    status: 'active',
    trial_days: 0,
    per_seat: false,
    kind: 'base',
    requires_plans: [],
    benefits,
    stripe_product_id: `prod_${key}`,
    prices: (['month', 'year'] as const).map((interval, i) => ({
      id: `price_${key}_${interval}`,
      stripe_price_id: `price_${key}_${interval}`,
      currency: 'usd',
      unit_amount: amount * (i ? 10 : 1),
      billing_scheme: 'per_unit',
      tiers_mode: null,
      tiers: null,
      interval,
      interval_count: 1,
      lookup_key: null,
      active: true,
      replaces_price_id: null,
      created_at: '2026-01-01T00:00:00Z',
      archived_at: null,
    })),
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  }) satisfies Plans[number];

const plans: Plans = [
  plan('basic', 'Basic', 900, [
    { key: 'seats', value: 1 },
    { key: 'api_access', value: false },
  ]),
  plan('pro', 'Pro', 2900, [{ key: 'api_access', value: true }]),
];
const entitlements = {
  user_id: 'ann',
  benefits: { api_access: true },
  subscriptions: [
    {
      id: 'sub_1',
      plan_id: 'plan_pro',
      status: 'active' as const,
      stripe_status: 'active',
      access_until: null,
    },
  ],
  as_of: '2026-01-01T00:00:00Z',
  sequence: 0,
};

const render = (child: ReturnType<typeof h>, options = {}) =>
  renderToString(h(RecurProvider, { client: createBrowserClient(options), children: child }));

function Gate() {
  const { has, value, loading } = useEntitlements();
  if (loading) return h('p', null, 'checking');
  return h('p', null, has('api_access') ? `api on, seats ${value('seats')}` : 'api off');
}

describe('React components', () => {
  it('PricingTable shows each plan at the interval with a Checkout button, and marks the current plan', () => {
    const html = render(h(PricingTable, { interval: 'year' }), {
      initialPlans: plans,
      initialEntitlements: entitlements,
    });
    expect(html).toContain('Basic');
    expect(html).toContain('$90.00 / year');
    expect(html).toContain('$290.00 / year');
    expect(html).toContain('Choose Basic</button>');
    expect(html).not.toContain('Choose Pro');
    expect(html).toContain('Your current plan');
    expect(html).toContain('seats: 1');
    // Pro offers the API; Basic's `api_access: false` is not listed as if it were included.
    const [basic, pro] = html.split('data-plan="pro"');
    expect(pro).toContain('<li>api_access</li>');
    expect(basic).not.toContain('api_access');
  });

  it('PricingTable says it is loading before the plans arrive', () => {
    expect(render(h(PricingTable))).toContain('Loading plans');
  });

  it('useEntitlements answers has() and value() from the user’s set', () => {
    expect(render(h(Gate), { initialEntitlements: entitlements })).toContain('api on, seats null');
    expect(
      render(h(Gate), { initialEntitlements: { ...entitlements, benefits: { api_access: false } } }),
    ).toContain('api off');
    expect(render(h(Gate))).toContain('checking');
  });

  it('prices are shown in the currency’s own minor unit', () => {
    expect(formatAmount(2900, 'usd')).toBe('$29.00');
    expect(formatAmount(500, 'jpy')).toBe('¥500');
    expect(formatAmount(1000, 'kwd')).toMatch(/^KWD\s1\.000$/);
  });

  it('ManageBillingButton renders a button with its words', () => {
    expect(render(h(ManageBillingButton, null, 'Billing'))).toContain(
      '<button type="button">Billing</button>',
    );
  });
});
