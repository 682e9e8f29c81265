import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows, runStatement, type Statement } from '../db/client.js';
import { revenueMonths } from '../db/schema/index.js';
import { lockObjects } from '../mirror/locks.js';
import { addingToRollups, type RollupDeltas } from './rollup-deltas.js';

/** The summed columns of `revenue_months`, by their names in the schema. */
const MEASURES = [
  'invoiced',
  'invoicedTax',
  'invoicedCount',
  'collected',
  'collectedTax',
  'collectedCount',
  'refunded',
  'refundedCount',
  'attempted',
  'failed',
  'recovered',
  'recoverySeconds',
] as const;
type Measure = (typeof MEASURES)[number];

export type RevenueMonthRow = { month: string; currency: string; planId: string } & Record<Measure, number>;

/** The revenue measures by their column names, in `MEASURES` order. */
const MEASURE_COLUMNS = MEASURES.map((m) => revenueMonths[m].name);
const COLUMNS = sql.raw(MEASURE_COLUMNS.join(', '));
const SUMS = MEASURES.map((m) => `sum(${revenueMonths[m].name}) as "${m}"`).join(', ');
const utcMonth = (column: string) => `date_trunc('month', ${column} at time zone 'UTC')::date`;

/**
 * What each invoice adds to the rollup: one part in the month it was created (invoiced, payment
 * attempts) and one in the month it was paid (collected), under its subscription's plan of today;
 * the tax inside each (Stripe Tax) beside it. A paid invoice's tax counts as collected in full.
 * The conditions are those the reports applied to the invoices table when they scanned it.
 */
const invoiceParts = (source: string) => `
  select c.month, i.currency, coalesce(s.plan_id, '') as plan_id, c.invoiced, c.invoiced_tax,
         c.invoiced_count, c.collected, c.collected_tax, c.collected_count, 0 as refunded,
         0 as refunded_count,
         c.attempted, c.failed, c.recovered, c.recovery_seconds
  from ${source} i
  left join subscriptions s on s.id = i.subscription_id
  cross join lateral (
    select i.status in ('open', 'paid', 'uncollectible') as finalised,
           (i.subscription_id is not null and i.attempt_count >= 1
            and i.status in ('open', 'paid', 'uncollectible', 'void')) as tried,
           (i.attempt_count > 1 and i.status = 'paid') as after_retry
  ) f
  cross join lateral (values
    (${utcMonth('i.created_at')}, case when f.finalised then i.total else 0 end,
     case when f.finalised then i.tax else 0 end, f.finalised::int, 0, 0, 0,
     f.tried::int, (f.tried and (i.attempt_count > 1 or i.status <> 'paid'))::int,
     (f.tried and f.after_retry)::int,
     case when f.tried and f.after_retry
          then coalesce(round(extract(epoch from i.paid_at - i.created_at)), 0) else 0 end::bigint),
    (${utcMonth('i.paid_at')}, 0, 0, 0, case when i.status = 'paid' then i.amount_paid else 0 end,
     case when i.status = 'paid' then i.tax else 0 end, (i.status = 'paid')::int, 0, 0, 0, 0::bigint)
  ) as c(month, invoiced, invoiced_tax, invoiced_count, collected, collected_tax, collected_count,
         attempted, failed, recovered, recovery_seconds)
  where c.month is not null and c.invoiced_count + c.collected_count + c.attempted > 0`;

/** A refund (succeeded or pending) counts in the month it was made, under no plan. */
const REFUND_PARTS = `
  select ${utcMonth('r.created_at')} as month, r.currency, '' as plan_id, 0 as invoiced, 0 as invoiced_tax,
         0 as invoiced_count, 0 as collected, 0 as collected_tax, 0 as collected_count,
         r.amount as refunded, 1 as refunded_count,
         0 as attempted, 0 as failed, 0 as recovered, 0::bigint as recovery_seconds
  from refunds r
  where r.status in ('succeeded', 'pending')`;

/** Contributions of the invoices and refunds that match, summed per month, currency and plan. */
function contributions(scope: { invoices?: string; refunds?: string }): string {
  const parts = [
    scope.invoices ? `${invoiceParts('invoices')} and ${scope.invoices}` : null,
    scope.refunds ? `${REFUND_PARTS} and ${scope.refunds}` : null,
  ].filter((p): p is string => p !== null);
  return `select month, currency, plan_id, ${SUMS}
          from (${parts.join(' union all ')}) p
          group by month, currency, plan_id`;
}

/**
 * The contributions of the rows a write touches, read before and after it: fixed texts over an
 * array of ids, so PostgreSQL plans each once per connection however many rows are written.
 */
const contributionsBy = (name: string, scope: { invoices?: string; refunds?: string }): Statement => ({
  name: `recur_revenue_contributions_${name}`,
  text: `select to_char(month, 'YYYY-MM-DD') as month, currency, plan_id as "planId",
                ${MEASURES.map((m) => `"${m}"`).join(', ')}
         from (${contributions(scope)}) c`,
});
const CONTRIBUTIONS: Record<RolledUpObject, Statement> = {
  invoice: contributionsBy('invoices', { invoices: 'i.id = any($1::text[])' }),
  refund: contributionsBy('refunds', { refunds: 'r.id = any($1::text[])' }),
  subscription: contributionsBy('subscriptions', { invoices: 'i.subscription_id = any($1::text[])' }),
};

/** A cell as the contribution statements answer it (measures may come back as text). */
function cellOf(r: Record<string, unknown>): RevenueMonthRow {
  return {
    month: String(r.month),
    currency: String(r.currency),
    planId: String(r.planId),
    ...Object.fromEntries(MEASURES.map((m) => [m, Number(r[m])])),
  } as RevenueMonthRow;
}

async function contributionsOf(db: DbOrTx, object: RolledUpObject, ids: string[]) {
  return (await runStatement<Record<string, unknown>>(db, CONTRIBUTIONS[object], [ids])).map(cellOf);
}

/** `after − before` per month, currency and plan, leaving out the cells that did not move. */
export function difference(after: RevenueMonthRow[], before: RevenueMonthRow[]): RevenueMonthRow[] {
  const cells = new Map<string, RevenueMonthRow>();
  for (const [rows, sign] of [
    [after, 1],
    [before, -1],
  ] as const) {
    for (const row of rows) {
      const key = `${row.month}|${row.currency}|${row.planId}`;
      let cell = cells.get(key);
      if (!cell) {
        cell = { ...row, ...Object.fromEntries(MEASURES.map((m) => [m, 0])) } as RevenueMonthRow;
        cells.set(key, cell);
      }
      for (const m of MEASURES) cell[m] += sign * row[m];
    }
  }
  return [...cells.entries()]
    .filter(([, cell]) => MEASURES.some((m) => cell[m] !== 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, cell]) => cell);
}

function addDifference(deltas: RollupDeltas, after: RevenueMonthRow[], before: RevenueMonthRow[]): void {
  for (const cell of difference(after, before)) {
    deltas.add(
      'revenue_months',
      [cell.month, cell.currency, cell.planId],
      Object.fromEntries(MEASURES.map((m) => [revenueMonths[m].name, cell[m]])),
    );
  }
}

/**
 * The rows whose writes change the rollup: invoices, refunds, and subscriptions (an invoice counts
 * under its subscription's plan).
 */
export type RolledUpObject = 'invoice' | 'refund' | 'subscription';

/**
 * Keeps `revenue_months` equal to the sum of every invoice's and refund's contribution, around a
 * write of mirror rows in the caller's transaction: what the touched rows contributed before is
 * subtracted and what they contribute after is added. Whatever the write did (a newer snapshot, a
 * replay that changed nothing, a stale one skipped), the rollup moves by exactly the difference.
 * `write` answers how many rows it wrote; nothing written, nothing more to do. The additions go
 * through `addingToRollups`, so rollup rows are locked in one global order (rollup-deltas.ts).
 *
 * The caller holds each written object's advisory lock. An invoice's contribution also depends on
 * its subscription's plan, so its subscription's lock is taken too: a plan change and a write of
 * one of that subscription's invoices then follow one another rather than each missing the other.
 * The worker takes that lock with the event's own, before anything else (see events/object-locks.ts),
 * so here it is already held; other writers take it here, after their own object's.
 */
export async function keepingRevenueRollup(
  tx: DbOrTx,
  object: RolledUpObject,
  rows: Array<{ id: string; subscriptionId?: unknown; planId?: unknown }>,
  write: () => Promise<number>,
): Promise<number> {
  if (rows.length === 0) return write();
  const rowIds = rows.map((r) => r.id);
  // An invoice never moves to another subscription, so the snapshot names the one to lock.
  if (object === 'invoice')
    await lockObjects(
      tx,
      rows.map((r) => r.subscriptionId).filter((s): s is string => typeof s === 'string'),
    );
  else if (object === 'subscription') await lockObjects(tx, rowIds);
  const [only] = rows;
  if (object === 'subscription' && rows.length === 1 && only && 'planId' in only)
    return keepingPlanOfOne(tx, only.id, (only.planId as string | null) ?? '', write);
  return addingToRollups(tx, async (deltas) => {
    const before = await contributionsOf(tx, object, rowIds);
    const written = await write();
    if (written === 0) return written;
    addDifference(deltas, await contributionsOf(tx, object, rowIds), before);
    return written;
  });
}

/** Statements built around a mirror upsert, once per upsert and purpose. */
const aroundUpserts = new Map<string, Statement>();

function around(upsert: Statement, purpose: string, text: () => string): Statement {
  const name = `${upsert.name}_${purpose}`;
  let statement = aroundUpserts.get(name);
  if (!statement) {
    statement = { name, text: text() };
    aroundUpserts.set(name, statement);
  }
  return statement;
}

/**
 * The one-statement form of an invoice's upsert (see `writingOneInvoice`). Its sub-statements all
 * see the table as it was before it: `invoices` is the invoice before the write, `written` the
 * invoice after it (or nothing, when it was not written).
 */
function invoiceWriteOf(upsert: Statement, idParam: number): Statement {
  return around(
    upsert,
    'revenue',
    () => `with written as (${upsert.text} returning *),
           parts as (
             select month, currency, plan_id, ${MEASURE_COLUMNS.join(', ')} from (${invoiceParts('written')}) after_write
             union all
             select month, currency, plan_id, ${MEASURE_COLUMNS.map((c) => `-${c}`).join(', ')}
             from (${invoiceParts('invoices')} and i.id = $${idParam}) before_write
             where exists (select 1 from written)
           )
           select (select count(*) from written)::int as written, to_char(c.month, 'YYYY-MM-DD') as month,
                  c.currency, c.plan_id as "planId", ${MEASURES.map((m) => `c."${m}"`).join(', ')}
           from (select 1) one
           left join (select month, currency, plan_id, ${SUMS} from parts group by month, currency, plan_id) c
             on true`,
  );
}

/**
 * One invoice written (an event's case) and the rollup moved by what that changed, in one round
 * trip: `upsert` is the mirror's statement for the row (no RETURNING), its parameter `$idParam` the
 * invoice's id. The same bookkeeping as `keepingRevenueRollup`, whose two reads around the write
 * become parts of the write itself. Answers how many rows were written (0 or 1).
 */
export async function writingOneInvoice(
  tx: DbOrTx,
  subscriptionId: string | null,
  upsert: Statement,
  values: unknown[],
  idParam: number,
): Promise<number> {
  if (subscriptionId) await lockObjects(tx, [subscriptionId]);
  const rows = await runStatement<Record<string, unknown>>(tx, invoiceWriteOf(upsert, idParam), values);
  const written = Number(rows[0]?.written ?? 0);
  const moved = rows.filter((r) => r.month !== null).map(cellOf);
  if (moved.length > 0) await addingToRollups(tx, async (deltas) => addDifference(deltas, moved, []));
  return written;
}

const PLAN_OF: Statement = {
  name: 'recur_revenue_plan_of_subscription',
  text: 'select plan_id from subscriptions where id = $1',
};

/**
 * One subscription written (an event's case): its invoices' contributions depend on nothing of it
 * but its plan, so only a change of plan moves the rollup, and then by exactly those contributions,
 * from the old plan to the new. The common write, same plan, costs one indexed read instead of
 * two passes over its invoices. A missing row files its invoices under no plan ('').
 */
async function keepingPlanOfOne(
  tx: DbOrTx,
  id: string,
  planAfter: string,
  write: () => Promise<number>,
): Promise<number> {
  const [row] = await runStatement<{ plan_id: string | null }>(tx, PLAN_OF, [id]);
  const written = await write();
  if (written > 0) await movePlanOfOne(tx, id, row?.plan_id ?? '', planAfter);
  return written;
}

/** The contributions of one subscription's invoices, moved from the plan it had to the one it has. */
async function movePlanOfOne(tx: DbOrTx, id: string, planBefore: string, planAfter: string): Promise<void> {
  if (planBefore === planAfter) return;
  await addingToRollups(tx, async (deltas) => {
    const after = await contributionsOf(tx, 'subscription', [id]);
    const before = after.map((cell) => ({ ...cell, planId: planBefore }));
    addDifference(deltas, after, before);
  });
}

/**
 * `keepingPlanOfOne` for the mirror's own upsert of one subscription (an event's case), in one
 * round trip: the plan it had is read by the write's statement itself, which sees the row as it
 * was. `upsert` has no RETURNING; its parameter `$idParam` is the subscription's id. Answers whether
 * the row was written and the plan it has now.
 */
export async function writingOneSubscription(
  tx: DbOrTx,
  id: string,
  upsert: Statement,
  values: unknown[],
  idParam: number,
): Promise<{ written: boolean; planId: string | null }> {
  await lockObjects(tx, [id]);
  const statement = around(
    upsert,
    'plan',
    () => `with before as (select plan_id from subscriptions where id = $${idParam}),
                written as (${upsert.text} returning plan_id)
           select (select count(*) from written)::int as written, (select plan_id from before) as plan_before,
                  (select plan_id from written) as plan_after`,
  );
  const [row] = await runStatement<{
    written: number;
    plan_before: string | null;
    plan_after: string | null;
  }>(tx, statement, values);
  const written = Number(row?.written ?? 0) > 0;
  if (written) await movePlanOfOne(tx, id, row?.plan_before ?? '', row?.plan_after ?? '');
  return { written, planId: row?.plan_after ?? null };
}

const FILE_UNDER_PLAN_OF_PRICE: Statement = {
  name: 'recur_revenue_file_under_plan_of_price',
  text: `update subscriptions s set plan_id = p.plan_id
         from plan_prices p
         where s.id = $1 and s.plan_id is null and p.stripe_price_id = s.price_id
         returning s.plan_id`,
};

/**
 * A subscription written while the catalog lacked its price is filed under the price's plan once the
 * catalog has it, its invoices' contributions moved from no plan to that one. Answers the plan, or
 * null when the catalog still has none for the price.
 */
export async function fileUnderPlanOfPrice(tx: DbOrTx, id: string): Promise<string | null> {
  await lockObjects(tx, [id]);
  const [row] = await runStatement<{ plan_id: string }>(tx, FILE_UNDER_PLAN_OF_PRICE, [id]);
  if (!row) return null;
  await movePlanOfOne(tx, id, '', row.plan_id);
  return row.plan_id;
}

/** The rollup as the invoices and refunds tables are now (`recur reports rebuild`). */
export async function rebuildRevenueRollup(db: DbOrTx): Promise<{ revenueMonths: number }> {
  await db.execute(sql`truncate revenue_months`);
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with written as (
          insert into revenue_months (month, currency, plan_id, ${COLUMNS})
          ${sql.raw(contributions({ invoices: 'true', refunds: 'true' }))}
          returning 1
        )
        select count(*)::int as n from written`,
  );
  return { revenueMonths: Number(row?.n ?? 0) };
}
