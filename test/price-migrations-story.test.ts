import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { billingTestApp } from './support/billing-app.js';
import { admin, subscribersAt29 } from './support/price-migrations.js';
import { advanceClock } from './support/subscriptions.js';
import { eventually, settled } from './support/wait.js';

// Twenty subscribers on $29 moved to $35 at their renewals: the dry run's figures, the run cut
// short by Stripe failing mid-way and resumed by a restarted runner, each subscription moved once,
// and the MRR report moving at each renewal as the mirror applies Stripe's webhooks.
const h = billingTestApp();

interface MigrationView {
  id: string;
  status: string;
  subscriptions: number;
  done: number;
  counts: Record<string, number>;
  items: Array<{
    subscription_id: string;
    status: string;
    schedule_id: string | null;
    effective_at: string | null;
  }>;
}

const migration = async (id: string) =>
  (await admin(h.t, 'GET', `/api/admin/price-migrations/${id}`)).json() as MigrationView;

async function mrrIn(month: string): Promise<number> {
  const res = await admin(h.t, 'GET', `/api/reports/mrr?to=${month}&currency=usd`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { current: Array<{ mrr: number }> }).current[0]?.mrr ?? 0;
}

const monthOf = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 7);

describe('a price migration at renewal', () => {
  it('moves 20 subscribers from $29 to $35, survives a runner stopped mid-way, and MRR moves at each renewal', async () => {
    const { oldPrice, newPrice, clocks } = await subscribersAt29(h.t, h.stripe, 20);
    const request = { from_price_ids: [oldPrice], to_price_id: newPrice, timing: 'renewal' };

    const dry = await admin(h.t, 'POST', '/api/admin/price-migrations/dry-run', request);
    expect(dry.statusCode, dry.body).toBe(200);
    const plan = dry.json();
    expect(plan).toMatchObject({ subscriptions: 20, mrr_before: 58_000, mrr_after: 70_000, currency: 'usd' });
    const first = clocks[0]!.subscriptions[0]!;
    expect(plan.lines.find((l: { subscription_id: string }) => l.subscription_id === first.id)).toMatchObject(
      {
        customer_name: 'Customer 1',
        amount_before: 2900,
        next_invoice_amount: 3500,
        next_invoice_at: new Date(first.items.data[0]!.current_period_end * 1000).toISOString(),
      },
    );

    // Stripe fails the 8th schedule's phases (after the SDK's own retries): the runner's pass
    // stops with that subscription half done (its schedule made, not yet given the new phase).
    h.t.emulator.faults.set({
      failNext: [
        {
          method: 'POST',
          path: '/v1/subscription_schedules/sub_sched',
          after: 7,
          count: 3,
          status: 500,
          error: { type: 'api_error', message: 'An unknown error occurred' },
        },
      ],
    });
    const started = await admin(h.t, 'POST', '/api/admin/price-migrations', {
      ...request,
      notify_customers: true,
    });
    expect(started.statusCode, started.body).toBe(202);
    const { id } = started.json();
    const { runner } = h.t.services.priceMigrations;
    await eventually(async () => expect(h.t.emulator.faults.get().failNext).toEqual([]), 30_000);
    await runner.stop(); // resolves once the pass Stripe's failure ended is over
    const halfway = await migration(id);
    expect(halfway).toMatchObject({ status: 'running', done: 7 });
    expect(halfway.counts).toMatchObject({ scheduled: 7, pending: 12, processing: 1 });

    // The runner restarts (as a process does on start) and finishes the migration.
    runner.start();
    await eventually(async () => expect((await migration(id)).status).toBe('completed'), 60_000);
    await runner.stop();
    await settled(h.t, 120_000);
    const done = await migration(id);
    expect(done.counts).toMatchObject({ scheduled: 20, failed: 0, skipped: 0, pending: 0 });

    // Each subscription has exactly one schedule, the one recorded, with the new price next.
    for (const clock of clocks) {
      for (const sub of clock.subscriptions) {
        const schedules = (await h.stripe.subscriptionSchedules.list({ customer: String(sub.customer) }))
          .data;
        expect(schedules, sub.id).toHaveLength(1);
        const item = done.items.find((i) => i.subscription_id === sub.id)!;
        expect(item.schedule_id).toBe(schedules[0]!.id);
        expect(schedules[0]!.phases.map((p) => p.items[0]!.price)).toEqual([oldPrice, newPrice]);
      }
    }
    // Each customer is told once.
    const notices = await queryRows<{ n: number; keys: number }>(
      h.t.database.db,
      sql`select count(*)::int as n, count(distinct dedupe_key)::int as keys from notifications where kind = 'price_change'`,
    );
    expect(notices[0]).toEqual({ n: 20, keys: 20 });

    // Nothing changed before the renewals: MRR still $580 a month.
    const lastRenewal = clocks.at(-1)!.subscriptions[0]!.items.data[0]!.current_period_end;
    expect(await mrrIn(monthOf(lastRenewal))).toBe(58_000);

    // Each clock's renewal moves its subscribers onto $35, and MRR by $6 each.
    let expected = 58_000;
    for (const clock of clocks) {
      const renewal = clock.subscriptions[0]!.items.data[0]!.current_period_end;
      await advanceClock(h.stripe, clock.id, renewal + 3600);
      await settled(h.t, 120_000);
      expected += 600 * clock.subscriptions.length;
      expect(await mrrIn(monthOf(lastRenewal))).toBe(expected);
      for (const sub of clock.subscriptions) {
        const invoices = await h.stripe.invoices.list({ subscription: sub.id, limit: 5 });
        expect(invoices.data[0]).toMatchObject({ billing_reason: 'subscription_cycle', amount_due: 3500 });
      }
    }
    expect(expected).toBe(70_000);
    expect((await migration(id)).counts).toMatchObject({ renewed: 20, scheduled: 0 });
  }, 240_000);
});
