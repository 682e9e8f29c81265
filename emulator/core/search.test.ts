import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const pro = await h.stripe.products.create({ name: 'Pro plan', metadata: { tier: 'pro' } });
  await h.stripe.products.create({ name: 'Team plan', metadata: { tier: 'team' }, active: false });
  await h.stripe.products.create({ name: 'Starter', metadata: { tier: 'starter' } });
  await h.stripe.prices.create({
    product: pro.id,
    currency: 'usd',
    unit_amount: 1000,
    lookup_key: 'pro_monthly',
    recurring: { interval: 'month' },
  });
  await h.stripe.prices.create({ product: pro.id, currency: 'eur', unit_amount: 900 });
  await h.stripe.customers.create({ email: 'Ada@Example.com', name: 'Ada', metadata: { user_id: 'u1' } });
  await h.stripe.customers.create({ email: 'bob@example.com', name: 'Bob', metadata: { user_id: 'u2' } });
});
afterAll(() => h.emulator.close());

describe('search', () => {
  it('matches metadata and fields, case-insensitively, and returns a search_result', async () => {
    const result = await h.stripe.customers.search({ query: "metadata['user_id']:'u1'" });
    expect(result.object).toBe('search_result');
    expect(result.url).toBe('/v1/customers/search');
    expect(result.data.map((c) => c.name)).toEqual(['Ada']);
    expect((await h.stripe.customers.search({ query: "email:'ada@example.com'" })).data).toHaveLength(1);
  });

  it('combines clauses with AND / OR and negation', async () => {
    const either = await h.stripe.products.search({
      query: "metadata['tier']:'pro' OR metadata['tier']:'starter'",
    });
    expect(either.data.map((p) => p.name).sort()).toEqual(['Pro plan', 'Starter']);
    const both = await h.stripe.products.search({ query: "active:'true' AND name~'plan'" });
    expect(both.data.map((p) => p.name)).toEqual(['Pro plan']);
    const not = await h.stripe.products.search({ query: "-active:'true'" });
    expect(not.data.map((p) => p.name)).toEqual(['Team plan']);
  });

  it('searches prices by lookup_key, currency and numbers', async () => {
    const byKey = await h.stripe.prices.search({ query: "lookup_key:'pro_monthly'" });
    expect(byKey.data).toHaveLength(1);
    const byCurrency = await h.stripe.prices.search({ query: "currency:'eur' AND type:'one_time'" });
    expect(byCurrency.data[0]?.unit_amount).toBe(900);
    const recent = await h.stripe.prices.search({ query: 'created>1000' });
    expect(recent.data).toHaveLength(2);
  });

  it('pages with next_page and counts with expand total_count', async () => {
    const first = await h.stripe.products.search({
      query: "name~'pla' OR name~'tar'",
      limit: 1,
      expand: ['total_count'],
    });
    expect(first.has_more).toBe(true);
    expect(first.total_count).toBe(3);
    const rest = await h.stripe.products.search({
      query: "name~'pla' OR name~'tar'",
      limit: 5,
      page: first.next_page!,
    });
    expect(rest.data).toHaveLength(2);
    expect(rest.next_page).toBeNull();
    expect(rest.total_count).toBeUndefined();
  });

  it('rejects unsupported fields and malformed queries on param query', async () => {
    await expect(h.stripe.customers.search({ query: "colour:'red'" })).rejects.toMatchObject({
      statusCode: 400,
      param: 'query',
      message: expect.stringMatching(/unsupported search field/),
    });
    await expect(
      h.stripe.customers.search({ query: "email:'a' AND name:'b' OR phone:'c'" }),
    ).rejects.toMatchObject({
      param: 'query',
    });
    await expect(h.stripe.customers.search({ query: 'email' })).rejects.toMatchObject({ param: 'query' });
    await expect(h.stripe.customers.search({ query: "name~'ad'" })).rejects.toMatchObject({ param: 'query' });
  });
});
