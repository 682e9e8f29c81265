import { describe, expect, it } from 'vitest';
import { bearer } from './support/app.js';
import { get, mirrorOf, post, subscriber, subscriptionHarness } from './support/subscriptions.js';
import { settled } from './support/wait.js';

const h = subscriptionHarness();

describe('reading subscriptions', () => {
  it('shows users their own subscriptions only; another user’s is a 404 for every action', async () => {
    const ann = await subscriber(h, 'ann', h.catalog.basic.monthly, { quantity: 3 });
    const bob = await subscriber(h, 'bob', h.catalog.pro.monthly);
    const mine = (await get(h, '/api/me/subscriptions', ann.token)).json().data;
    expect(mine).toHaveLength(1);
    const item = ann.subscription.items.data[0]!;
    expect(mine[0]).toEqual({
      id: ann.subscription.id,
      status: 'active',
      stripe_status: 'active',
      provider: 'stripe',
      customer_id: ann.customer.id,
      organization_id: null,
      plan_id: h.catalog.basic.id,
      plan_name: 'Basic',
      price_id: h.catalog.basic.monthly,
      interval: 'month',
      quantity: 3,
      seat_mode: null,
      currency: 'usd',
      unit_amount: 2000,
      current_period_start: new Date(item.current_period_start * 1000).toISOString(),
      current_period_end: new Date(item.current_period_end * 1000).toISOString(),
      next_billing_date: new Date(item.current_period_end * 1000).toISOString().slice(0, 10),
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      cancellation_reason: null,
      trial_start: null,
      trial_end: null,
      scheduled_change: null,
      payment_action_url: null,
      created_at: new Date(ann.subscription.created * 1000).toISOString(),
    });
    for (const key of [h.t.adminKey, h.t.serviceKey]) {
      expect((await get(h, `/api/subscriptions/${ann.subscription.id}`, key)).json()).toEqual(mine[0]);
    }
    const before = await mirrorOf(h.t, bob.subscription.id);
    const bobs = `/api/subscriptions/${bob.subscription.id}`;
    expect((await get(h, bobs, ann.token)).statusCode).toBe(404);
    for (const [action, body] of [
      ['/preview-change', { plan_id: 'basic' }],
      ['/change', { plan_id: 'basic' }],
      ['/cancel', { at_period_end: false }],
      ['/resume', undefined],
      ['/reactivate', undefined],
    ] as const) {
      const res = await post(h, `${bobs}${action}`, ann.token, body);
      expect(res.statusCode, action).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect(await mirrorOf(h.t, bob.subscription.id)).toEqual(before);
    expect((await h.stripe.subscriptions.retrieve(bob.subscription.id)).status).toBe('active');
  });

  it('lists with filters and walks every page without duplicates or gaps', async () => {
    const people = await Promise.all(
      ['p1', 'p2', 'p3', 'p4', 'p5'].map((u, i) =>
        subscriber(h, u, i % 2 ? h.catalog.pro.monthly : h.catalog.basic.monthly),
      ),
    );
    await h.stripe.subscriptions.cancel(people[0]!.subscription.id);
    await settled(h.t);
    const list = (query: string) => get(h, `/api/subscriptions?${query}`, h.t.adminKey);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Array<{ id: string }>; next_cursor: string | null } = (
        await list(`limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((s: { id: string }) => s.id));
      cursor = page.next_cursor;
    } while (cursor);
    // Newest first (Stripe's creation second, then id, both descending), as the console shows them.
    const newestFirst = [...people]
      .map((p) => p.subscription)
      .sort((x, y) => y.created - x.created || (x.id < y.id ? 1 : -1))
      .map((s) => s.id);
    expect(seen).toEqual(newestFirst);

    // An admin sees each owner's email (and name); a service key does not.
    const byAdmin = (await list(`customer_id=${people[2]!.customer.id}`)).json().data[0];
    expect(byAdmin).toMatchObject({ customer_email: 'p3@example.com', customer_name: null });
    const byService = (
      await get(h, `/api/subscriptions?customer_id=${people[2]!.customer.id}`, h.t.serviceKey)
    ).json().data[0];
    expect(byService).toMatchObject({ customer_email: null, customer_name: null });

    const ids = async (query: string) =>
      (await list(query))
        .json()
        .data.map((s: { id: string }) => s.id)
        .sort();
    const cancelled = [people[0]!.subscription.id];
    expect(await ids('status=cancelled')).toEqual(cancelled);
    expect(await ids('status=canceled')).toEqual(cancelled);
    expect(await ids('status=active')).toHaveLength(4);
    expect(await ids(`plan_id=${h.catalog.pro.id}`)).toEqual(
      [people[1]!, people[3]!].map((p) => p.subscription.id).sort(),
    );
    expect(await ids(`customer_id=${people[2]!.customer.id}`)).toEqual([people[2]!.subscription.id]);
    expect(await ids('provider=external')).toEqual([]);
    const created = new Date(people[0]!.subscription.created * 1000);
    expect(await ids(`created_from=${created.toISOString()}`)).toHaveLength(5);
    expect(await ids(`created_to=${created.toISOString()}`)).toEqual([]);
  });

  it('refuses bad list queries and callers without the right', async () => {
    const ann = await subscriber(h, 'ann', h.catalog.basic.monthly);
    for (const [query, code] of [
      ['limit=101', 'validation_failed'],
      ['status=gone', 'validation_failed'],
      ['created_from=yesterday', 'validation_failed'],
      ['cursor=bm9wZQ', 'invalid_cursor'],
      ['colour=red', 'validation_failed'],
    ]) {
      const res = await get(h, `/api/subscriptions?${query}`, h.t.adminKey);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code, query).toBe(code);
    }
    expect((await get(h, '/api/subscriptions', ann.token)).statusCode).toBe(403);
    expect((await get(h, '/api/me/subscriptions', h.t.adminKey)).statusCode).toBe(403);
    expect(
      (await h.t.app.inject({ method: 'GET', url: '/api/subscriptions', headers: bearer('nope') }))
        .statusCode,
    ).toBe(401);
  });
});
