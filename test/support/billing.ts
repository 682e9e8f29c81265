import { expect } from 'vitest';
import { bearer, type TestApp } from './app.js';

export interface PlanSpec {
  key: string;
  name?: string;
  force?: boolean;
  trial_days?: number;
  per_seat?: boolean;
  kind?: 'base' | 'add_on' | 'one_time';
  requires_plans?: string[];
  benefits?: Array<{ key: string; value?: boolean | number | string } & Record<string, unknown>>;
  prices?: Array<Record<string, unknown>>;
}

/** A plan made through the API, so it exists in Stripe (the emulator) and in the catalog. */
export async function createPlan(t: TestApp, spec: PlanSpec) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/plans',
    headers: bearer(t.adminKey),
    payload: {
      name: spec.key.toUpperCase(),
      prices: [{ currency: 'usd', unit_amount: 2000, interval: 'month' }],
      ...spec,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as {
    id: string;
    key: string;
    prices: Array<{ id: string; stripe_price_id: string; interval: string; currency: string }>;
  };
}

/** Submits the emulator's hosted Checkout page as a browser's form post would. */
export async function payOnHostedPage(t: TestApp, sessionId: string, card: string) {
  const response = await fetch(`${t.emulator.url}/c/pay/${sessionId}`, {
    method: 'POST',
    body: new URLSearchParams({ card }),
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}
