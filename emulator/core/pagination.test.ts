import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, rawRequest, startHarness } from '../testing/harness.js';

let h: Harness;
let created: Stripe.Customer[];

beforeAll(async () => {
  h = await startHarness();
  created = [];
  for (let i = 0; i < 25; i++) created.push(await h.stripe.customers.create({ name: `c${i}` }));
});
afterAll(() => h.emulator.close());

const ids = (list: { data: Array<{ id: string }> }) => list.data.map((c) => c.id);
const newestFirst = () => [...created].reverse().map((c) => c.id);

describe('list pagination', () => {
  it('lists newest first, 10 by default, with has_more and url', async () => {
    const page = await h.stripe.customers.list();
    expect(page.object).toBe('list');
    expect(page.url).toBe('/v1/customers');
    expect(ids(page)).toEqual(newestFirst().slice(0, 10));
    expect(page.has_more).toBe(true);
  });

  it('walks forward with starting_after and back with ending_before', async () => {
    const first = await h.stripe.customers.list({ limit: 10 });
    const second = await h.stripe.customers.list({ limit: 10, starting_after: first.data.at(-1)!.id });
    const third = await h.stripe.customers.list({ limit: 10, starting_after: second.data.at(-1)!.id });
    expect([...ids(first), ...ids(second), ...ids(third)]).toEqual(newestFirst());
    expect(third.has_more).toBe(false);

    const back = await h.stripe.customers.list({ limit: 10, ending_before: third.data[0]!.id });
    expect(ids(back)).toEqual(ids(second));
    expect(back.has_more).toBe(true);
    const start = await h.stripe.customers.list({ limit: 10, ending_before: second.data[0]!.id });
    expect(ids(start)).toEqual(ids(first));
    expect(start.has_more).toBe(false);
  });

  it('auto-pages through the SDK', async () => {
    const all = await h.stripe.customers.list({ limit: 7 }).autoPagingToArray({ limit: 100 });
    expect(all.map((c) => c.id)).toEqual(newestFirst());
  });

  it('bounds limit to 1–100', async () => {
    for (const limit of [0, 101]) {
      const res = await rawRequest(h.emulator, 'GET', `/v1/customers?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(res.json.error?.param).toBe('limit');
    }
    expect((await h.stripe.customers.list({ limit: 100 })).data).toHaveLength(25);
  });

  it('answers 404 for an unknown cursor', async () => {
    await expect(h.stripe.customers.list({ starting_after: 'cus_nope' })).rejects.toMatchObject({
      statusCode: 404,
      param: 'starting_after',
    });
  });

  it('filters by created range', async () => {
    const target = created[3]!;
    const page = await h.stripe.customers.list({
      created: { gte: target.created, lte: target.created },
      limit: 100,
    });
    expect(page.data.map((c) => c.id)).toContain(target.id);
    const none = await h.stripe.customers.list({ created: { gt: target.created + 10_000 } });
    expect(none.data).toEqual([]);
  });
});
