import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Database, queryRows } from '../src/db/client.js';
import { planPrices, plans } from '../src/db/schema/index.js';
import { lockObject, lockObjects } from '../src/mirror/locks.js';
import { upsertMirror, upsertMirrorRows } from '../src/mirror/repository.js';
import { writeSubscriptionSnapshot } from '../src/mirror/subscription-writer.js';
import { refundRepository } from '../src/refunds/repository.js';
import { rebuildRevenueRollup } from '../src/reports/revenue-rollup.js';
import type { Stripe } from '../src/stripe/index.js';
import { invoiceRow, refundRow } from '../src/stripe/mapping.js';
import { openTestDatabase, truncateAll } from './support/db.js';
import { at, invoice, type PriceSpec, subscription } from './support/report-history.js';
import {
  type Change,
  DAY,
  deliveries,
  HOUR,
  history,
  PRICES,
  pages,
  random,
} from './support/revenue-history.js';
import { revenueRecomputed, revenueRollup } from './support/rollup-checks.js';
import { eventually } from './support/wait.js';

/**
 * The rollup's invariant: whatever order, repetition or staleness the changes arrive with, and
 * whichever writer applies them, `revenue_months` equals the sums recomputed from the mirror's
 * invoices, refunds and subscriptions as they stand.
 */

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await truncateAll(database);
  await database.db.insert(plans).values(
    ['basic', 'pro', 'euro'].map((key) => ({
      id: `plan_roll_${key}`,
      key,
      name: key,
      stripeProductId: `prod_roll_${key}`,
    })),
  );
  await database.db.insert(planPrices).values(
    Object.values(PRICES)
      .filter((p) => !p.id.includes('offcatalog'))
      .map((p) => ({
        id: `pp_${p.id}`,
        planId: `plan_roll_${p.id.replace('price_roll_', '')}`,
        stripePriceId: p.id,
        currency: p.currency ?? 'usd',
        unitAmount: p.amount,
        billingScheme: 'per_unit' as const,
        interval: p.interval,
      })),
  );
});

const seconds = (s: number) => new Date(s * 1000);

/** One delivery through one of the production writers, each in a transaction as it runs there. */
async function apply(rng: ReturnType<typeof random>, page: Change[], mirror: Mirror): Promise<void> {
  const { db } = database;
  const first = page[0]!;
  if (first.kind === 'subscription') {
    await db.transaction(async (tx) => {
      await lockObject(tx, first.id);
      await writeSubscriptionSnapshot(tx, first.object, seconds(first.stamp), 'if-newer');
    });
    mirror.write(first, first.stamp, false);
    return;
  }
  const rowOf = (c: Change) =>
    c.kind === 'invoice' ? invoiceRow(c.object) : refundRow(c.object as Stripe.Refund);
  if (page.length > 1) {
    // The sync: a page of listed objects stamped with one time, one statement.
    const stamp = seconds(Math.max(...page.map((c) => c.stamp)));
    await db.transaction(async (tx) => {
      await lockObjects(
        tx,
        page.map((c) => c.id),
      );
      await upsertMirrorRows(tx, first.kind, page.map(rowOf), stamp);
    });
    for (const c of page) mirror.write(c, stamp.getTime() / 1000, false);
  } else if (first.kind === 'refund' && rng.next() < 0.5) {
    // The refunds service, writing Stripe's answer.
    await refundRepository.applyStripeAnswer(db, 'refund', rowOf(first), seconds(first.stamp));
    mirror.write(first, first.stamp, true);
  } else {
    // The worker, applying an event.
    await db.transaction(async (tx) => {
      await lockObject(tx, first.id);
      await upsertMirror(tx, first.kind, rowOf(first), seconds(first.stamp), 'if-newer');
    });
    mirror.write(first, first.stamp, false);
  }
}

/** The ordering rule, followed in memory: what each row should hold once everything is delivered. */
class Mirror {
  readonly rows = new Map<string, { stamp: number; status: string }>();
  write(change: Change, stamp: number, onTie: boolean): void {
    const held = this.rows.get(change.id);
    if (held && (onTie ? stamp < held.stamp : stamp <= held.stamp)) return;
    this.rows.set(change.id, { stamp, status: (change.object as { status: string }).status });
  }
}

const rollup = () => revenueRollup(database.db);
const recomputed = () => revenueRecomputed(database.db);

describe('revenue rollup', () => {
  it.each([1, 2, 3, 4])(
    'equals the sums recomputed from the mirror after every delivery, shuffled, repeated and stale (seed %i)',
    async (seed) => {
      const rng = random(seed);
      const mirror = new Mirror();
      for (const page of pages(rng, deliveries(rng, history(rng)))) {
        await apply(rng, page, mirror);
        expect(await rollup()).toEqual(await recomputed());
      }
      // The writes did follow the ordering rule (so stale deliveries were among them).
      const statuses = await queryRows<{ id: string; status: string }>(
        database.db,
        sql`select id, status from invoices union all select id, status from refunds
            union all select id, status from subscriptions`,
      );
      expect(Object.fromEntries(statuses.map((r) => [r.id, r.status]))).toEqual(
        Object.fromEntries([...mirror.rows].map(([id, row]) => [id, row.status])),
      );
      const figures = await rollup();
      expect(figures.some((c) => c.plan_id === 'plan_roll_pro' && Number(c.invoiced_count) > 0)).toBe(true);
    },
  );

  it('stays equal to the recomputed sums when deliveries run at the same time', async () => {
    const rng = random(11);
    const all = pages(rng, deliveries(rng, history(rng)));
    for (let i = 0; i < all.length; i += 4) {
      // Concurrent transactions: the subscriptions' locks order a plan change and its invoices' writes.
      await Promise.all(all.slice(i, i + 4).map((page) => apply(rng, page, new Mirror())));
      expect(await rollup()).toEqual(await recomputed());
    }
  });

  it("files an invoice written during its subscription's plan change under the plan the change made", async () => {
    const { db } = database;
    const created = at('2025-02-01T10:00:00');
    const base = { id: 'sub_roll_race', customer: 'cus_roll_race', created };
    const inv = {
      id: 'in_roll_race',
      customer: base.customer,
      subscription: base.id,
      total: 4200,
      created,
      attempts: 1,
    };
    const asSubscription = (price: PriceSpec) =>
      subscription({ ...base, status: 'active', price }) as unknown as Stripe.Subscription;
    await db.transaction((tx) =>
      writeSubscriptionSnapshot(tx, asSubscription(PRICES.basic!), seconds(created), 'if-newer'),
    );
    await db.transaction((tx) =>
      upsertMirror(
        tx,
        'invoice',
        invoiceRow(invoice({ ...inv, status: 'open' }) as unknown as Stripe.Invoice),
        seconds(created),
        'if-newer',
      ),
    );

    // The plan change is written but not committed when the invoice's payment arrives.
    let changed!: () => void;
    const written = new Promise<void>((resolve) => {
      changed = resolve;
    });
    let commit!: () => void;
    const held = new Promise<void>((resolve) => {
      commit = resolve;
    });
    const planChange = db.transaction(async (tx) => {
      await lockObject(tx, base.id);
      await writeSubscriptionSnapshot(tx, asSubscription(PRICES.pro!), seconds(created + DAY), 'if-newer');
      changed();
      await held;
    });
    await written;
    let paid = false;
    const payment = db
      .transaction(async (tx) => {
        await lockObject(tx, inv.id);
        const row = invoiceRow(
          invoice({ ...inv, status: 'paid', paidAt: created + HOUR }) as unknown as Stripe.Invoice,
        );
        await upsertMirror(tx, 'invoice', row, seconds(created + HOUR), 'if-newer');
      })
      .then(() => {
        paid = true;
      });
    if (database.kind === 'postgres') {
      // PostgreSQL runs the two side by side: let the payment go as far as it can before the change commits.
      await eventually(async () => {
        const [row] = await queryRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted
              and database = (select oid from pg_database where datname = current_database())`,
        );
        if (!paid && row!.n === 0) throw new Error('the payment is neither done nor waiting');
      });
    }
    commit();
    await Promise.all([planChange, payment]);
    expect(await rollup()).toEqual(await recomputed());
    expect((await rollup()).map((c) => [c.plan_id, c.collected])).toContainEqual(['plan_roll_pro', 4200]);
  });

  it('rebuilds to what the writes kept, and the migration fills it the same way', async () => {
    const rng = random(7);
    for (const page of pages(rng, deliveries(rng, history(rng)))) await apply(rng, page, new Mirror());
    const kept = await rollup();
    expect(kept.length).toBeGreaterThan(0);
    // The history's taxed invoices reach the tax sums.
    expect(kept.some((c) => Number(c.invoiced_tax) > 0 && Number(c.collected_tax) > 0)).toBe(true);

    const { revenueMonths } = await database.db.transaction((tx) => rebuildRevenueRollup(tx));
    expect(revenueMonths).toBe(kept.length);
    expect(await rollup()).toEqual(kept);

    // An installation upgraded with invoices already mirrored gets its rollup from migration 0004,
    // which knew no tax: the invoices then had none (the column came later, at 0).
    await database.db.execute(sql`update invoices set tax = 0`);
    await database.db.transaction((tx) => rebuildRevenueRollup(tx));
    const untaxed = await rollup();
    const migration = readFileSync(
      new URL('../src/db/migrations/0004_revenue_rollups.sql', import.meta.url),
      'utf8',
    );
    const fill = migration
      .split('--> statement-breakpoint')
      .find((s) => s.includes('INSERT INTO "revenue_months"'))!;
    await database.db.execute(sql`truncate revenue_months`);
    await database.db.execute(sql.raw(fill));
    expect(await rollup()).toEqual(untaxed);
  });
});
