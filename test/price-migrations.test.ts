import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { bearer } from './support/app.js';
import { createPlan } from './support/billing.js';
import { billingTestApp } from './support/billing-app.js';
import { admin, subscribersAt29 } from './support/price-migrations.js';
import { advanceClock } from './support/subscriptions.js';
import { eventually, settled } from './support/wait.js';

const h = billingTestApp();

interface MigrationView {
  id: string;
  status: string;
  counts: Record<string, number>;
  items: Array<{ subscription_id: string; status: string; schedule_id: string | null }>;
}

const migration = async (id: string) =>
  (await admin(h.t, 'GET', `/api/admin/price-migrations/${id}`)).json() as MigrationView;

async function startAndFinish(payload: object): Promise<MigrationView> {
  const res = await admin(h.t, 'POST', '/api/admin/price-migrations', payload);
  expect(res.statusCode, res.body).toBe(202);
  const { id } = res.json();
  await eventually(async () => expect((await migration(id)).status).toBe('completed'), 60_000);
  await settled(h.t, 60_000);
  return migration(id);
}

const rowsOf = async () =>
  (await queryRows<{ n: number }>(h.t.database.db, sql`select count(*)::int as n from price_migrations`))[0]!
    .n;

describe('price migrations', () => {
  it('refuses each bad request with its code and changes nothing', async () => {
    const { oldPrice, newPrice } = await subscribersAt29(h.t, h.stripe, 2);
    const euro = await createPlan(h.t, {
      key: 'euro',
      prices: [
        { currency: 'eur', unit_amount: 3500, interval: 'month' },
        { currency: 'usd', unit_amount: 35_000, interval: 'year' },
      ],
    });
    const eurPrice = euro.prices.find((p) => p.currency === 'eur')!.stripe_price_id;
    const yearly = euro.prices.find((p) => p.interval === 'year')!.stripe_price_id;
    const cases: Array<[object, number, string]> = [
      [{ from_price_ids: [oldPrice], to_price_id: eurPrice, timing: 'renewal' }, 400, 'currency_mismatch'],
      [{ from_price_ids: [oldPrice], to_price_id: yearly, timing: 'renewal' }, 400, 'interval_mismatch'],
      [{ from_price_ids: [newPrice], to_price_id: oldPrice, timing: 'renewal' }, 400, 'price_inactive'],
      [{ from_price_ids: [oldPrice], to_price_id: 'price_nope', timing: 'renewal' }, 400, 'unknown_price'],
      [{ from_price_ids: ['price_nope'], to_price_id: newPrice, timing: 'renewal' }, 400, 'unknown_price'],
      [{ from_price_ids: [newPrice], to_price_id: newPrice, timing: 'renewal' }, 400, 'same_price'],
      [
        { from_price_ids: [oldPrice, oldPrice], to_price_id: newPrice, timing: 'renewal' },
        400,
        'duplicate_price',
      ],
      [{ from_price_ids: [], to_price_id: newPrice, timing: 'renewal' }, 400, 'validation_failed'],
      [{ from_price_ids: [oldPrice], to_price_id: newPrice, timing: 'tomorrow' }, 400, 'validation_failed'],
      [{ from_price_ids: [oldPrice], to_price_id: newPrice }, 400, 'validation_failed'],
    ];
    for (const [payload, status, code] of cases) {
      for (const url of ['/api/admin/price-migrations/dry-run', '/api/admin/price-migrations']) {
        const res = await admin(h.t, 'POST', url, payload);
        expect(res.statusCode, `${url} ${JSON.stringify(payload)}: ${res.body}`).toBe(status);
        expect(res.json().error.code, JSON.stringify(payload)).toBe(code);
      }
    }
    // Only admins.
    const asService = await h.t.app.inject({
      method: 'POST',
      url: '/api/admin/price-migrations/dry-run',
      headers: bearer(h.t.serviceKey),
      payload: { from_price_ids: [oldPrice], to_price_id: newPrice, timing: 'renewal' },
    });
    expect(asService.statusCode).toBe(403);
    expect(await rowsOf()).toBe(0);
    expect((await admin(h.t, 'GET', '/api/admin/price-migrations/pmig_nope')).statusCode).toBe(404);
    expect((await admin(h.t, 'POST', '/api/admin/price-migrations/pmig_nope/undo')).statusCode).toBe(404);
  }, 180_000);

  it('undoes the moves that have not renewed; a renewed one stays on the new price', async () => {
    const { oldPrice, newPrice, clocks } = await subscribersAt29(h.t, h.stripe, 6);
    const done = await startAndFinish({
      from_price_ids: [oldPrice],
      to_price_id: newPrice,
      timing: 'renewal',
      notify_customers: false,
    });
    expect(done.counts.scheduled).toBe(6);
    const [renewing, waiting] = clocks;
    await advanceClock(
      h.stripe,
      renewing!.id,
      renewing!.subscriptions[0]!.items.data[0]!.current_period_end + 3600,
    );
    await settled(h.t, 60_000);
    expect((await migration(done.id)).counts).toMatchObject({ renewed: 3, scheduled: 3 });

    const undo = await admin(h.t, 'POST', `/api/admin/price-migrations/${done.id}/undo`);
    expect(undo.statusCode, undo.body).toBe(200);
    expect(undo.json()).toMatchObject({ status: 'undone', counts: { renewed: 3, undone: 3, scheduled: 0 } });
    for (const sub of waiting!.subscriptions) {
      const live = await h.stripe.subscriptions.retrieve(sub.id);
      expect(live.schedule).toBeNull();
      expect(live.metadata.recur_scheduled_price ?? '').toBe('');
    }
    // Renewing, the undone ones stay on $29; the renewed ones are on $35.
    await advanceClock(
      h.stripe,
      waiting!.id,
      waiting!.subscriptions[0]!.items.data[0]!.current_period_end + 3600,
    );
    await settled(h.t, 60_000);
    for (const sub of waiting!.subscriptions) {
      expect((await h.stripe.subscriptions.retrieve(sub.id)).items.data[0]!.price.id).toBe(oldPrice);
    }
    for (const sub of renewing!.subscriptions) {
      expect((await h.stripe.subscriptions.retrieve(sub.id)).items.data[0]!.price.id).toBe(newPrice);
    }
    const again = await admin(h.t, 'POST', `/api/admin/price-migrations/${done.id}/undo`);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'already_undone']);
  }, 240_000);

  it('moves now without proration, which cannot be undone, and a second run finds nothing left', async () => {
    const { oldPrice, newPrice } = await subscribersAt29(h.t, h.stripe, 2);
    const request = { from_price_ids: [oldPrice], to_price_id: newPrice, timing: 'now_unprorated' };
    const done = await startAndFinish({ ...request, notify_customers: true });
    expect(done.counts.moved).toBe(2);
    for (const item of done.items) {
      const live = await h.stripe.subscriptions.retrieve(item.subscription_id);
      expect(live.items.data[0]!.price.id).toBe(newPrice);
      expect(live.schedule).toBeNull();
    }
    const undo = await admin(h.t, 'POST', `/api/admin/price-migrations/${done.id}/undo`);
    expect([undo.statusCode, undo.json().error.code]).toEqual([409, 'not_undoable']);
    const dry = await admin(h.t, 'POST', '/api/admin/price-migrations/dry-run', request);
    expect(dry.json()).toMatchObject({ subscriptions: 0, mrr_before: 0 });
    const again = await admin(h.t, 'POST', '/api/admin/price-migrations', request);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'no_subscriptions']);
  }, 180_000);
});
