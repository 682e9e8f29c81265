import { type Column, getTableColumns, getTableName, sql } from 'drizzle-orm';
import { type DbOrTx, runStatement, type Statement } from '../db/client.js';
import {
  charges,
  checkoutSessions,
  customers,
  disputes,
  earlyFraudWarnings,
  invoices,
  paymentIntents,
  paymentMethods,
  refunds,
  subscriptions,
} from '../db/schema/index.js';
import {
  keepingRevenueRollup,
  type RolledUpObject,
  writingOneInvoice,
  writingOneSubscription,
} from '../reports/revenue-rollup.js';

/** The mirror tables by the Stripe object they hold. */
export const MIRROR_TABLES = {
  customer: customers,
  subscription: subscriptions,
  invoice: invoices,
  payment_intent: paymentIntents,
  charge: charges,
  refund: refunds,
  payment_method: paymentMethods,
  'checkout.session': checkoutSessions,
  dispute: disputes,
  'radar.early_fraud_warning': earlyFraudWarnings,
} as const;

export type MirrorObject = keyof typeof MIRROR_TABLES;

export type Freshness = 'newer' | 'same' | 'older' | 'absent';

type MirrorTable = (typeof MIRROR_TABLES)[MirrorObject];

/**
 * Where a status stands in its object's lifecycle, for the objects whose status only ever moves
 * forward: a snapshot in a later stage is the later one, whatever the clock says. Stripe stamps
 * events in whole seconds, and an invoice is created, finalised and paid within one; ranked, such
 * same-second snapshots order themselves without a read from Stripe. A status not listed is 0.
 *
 * - invoice: draft → open → paid | void | uncollectible, uncollectible → paid | void; paid and void
 *   are final (docs.stripe.com/invoicing/overview, "Invoice lifecycle").
 * - payment intent: whatever it goes through before, `succeeded` and `canceled` are final.
 * - charge: pending → succeeded | failed.
 * - refund: pending | requires_action → succeeded → (rarely) failed; failed and canceled are final
 *   (docs.stripe.com/refunds#failed-refunds).
 * - subscription: `canceled` and `incomplete_expired` are final; the rest move both ways.
 * - checkout session: open → complete | expired.
 * - dispute: an inquiry (warning_needs_response → warning_under_review) closes or is escalated to
 *   needs_response → under_review → won | lost; warning_closed, won, lost and prevented are final
 *   (docs.stripe.com/disputes/how-disputes-work).
 */
export const LIFECYCLE_RANKS: Partial<Record<MirrorObject, Readonly<Record<string, number>>>> = {
  invoice: { draft: 0, open: 1, uncollectible: 2, paid: 3, void: 3 },
  payment_intent: { succeeded: 1, canceled: 1 },
  charge: { succeeded: 1, failed: 1 },
  refund: { succeeded: 1, failed: 2, canceled: 2 },
  subscription: { canceled: 1, incomplete_expired: 1 },
  'checkout.session': { complete: 1, expired: 1 },
  dispute: {
    warning_under_review: 1,
    needs_response: 2,
    under_review: 3,
    won: 4,
    lost: 4,
    warning_closed: 4,
    prevented: 4,
  },
};

function lifecycleRank(object: MirrorObject, status: string | null | undefined): number {
  return (status && LIFECYCLE_RANKS[object]?.[status]) || 0;
}

/** The rank of `<ref>.status` in SQL, from the same table. */
function lifecycleRankSql(object: MirrorObject, ref: string): string | null {
  const ranks = LIFECYCLE_RANKS[object];
  if (!ranks) return null;
  const cases = Object.entries(ranks).map(([status, rank]) => `when '${status}' then ${rank}`);
  return `(case ${ref}."status" ${cases.join(' ')} else 0 end)`;
}

/**
 * How an event time compares with what the row last applied. On a same-second tie, a snapshot
 * whose `status` is earlier in the object's lifecycle than the row's is `older` (see
 * `LIFECYCLE_RANKS`). The caller holds the object's advisory lock, so nothing moves between this
 * read and the write that follows.
 */
export async function freshness(
  db: DbOrTx,
  object: MirrorObject,
  id: string,
  eventAt: Date,
  status?: string | null,
): Promise<Freshness> {
  const table = MIRROR_TABLES[object];
  const statement = readStatement(
    object,
    'stamp',
    `select "stripe_event_at" as at, ${'status' in table ? '"status"' : 'null::text'} as status`,
  );
  const [row] = await runStatement<{ at: Date; status: string | null }>(db, statement, [id]);
  if (!row) return 'absent';
  const diff = eventAt.getTime() - new Date(row.at).getTime();
  if (diff !== 0) return diff > 0 ? 'newer' : 'older';
  return status !== undefined && lifecycleRank(object, status) < lifecycleRank(object, row.status)
    ? 'older'
    : 'same';
}

/** The status the mirror holds for one object: undefined when it holds no row of it. */
export async function mirroredStatus(
  db: DbOrTx,
  object: 'invoice' | 'subscription' | 'payment_intent' | 'charge' | 'refund',
  id: string,
): Promise<string | null | undefined> {
  const statement = readStatement(object, 'status', 'select "status"');
  const [row] = await runStatement<{ status: string | null }>(db, statement, [id]);
  return row ? row.status : undefined;
}

/** Reads of one mirror row by id, prepared once per table and purpose (both run for many events). */
const reads = new Map<string, Statement>();

function readStatement(object: MirrorObject, purpose: string, select: string): Statement {
  const tableName = getTableName(MIRROR_TABLES[object]);
  const name = `recur_mirror_${purpose}_${tableName}`;
  let statement = reads.get(name);
  if (!statement) {
    statement = { name, text: `${select} from "${tableName}" where "id" = $1` };
    reads.set(name, statement);
  }
  return statement;
}

/**
 * `if-newer` writes only a snapshot that is newer than the row (or when there is none): stamped
 * later, or stamped in the same second and later in the object's lifecycle (`LIFECYCLE_RANKS`), or
 * the same as what the row holds (writing it changes nothing, and no read from Stripe is needed to
 * know that). The ordering check and the write are one statement, the common case of an event.
 * `always` overwrites (a fresh read from Stripe).
 */
export type WriteMode = 'if-newer' | 'always';

interface Upsert {
  /** The upsert, answering the id of the row when it was written. */
  statement: Statement;
  /** The same without RETURNING, for statements built around it. */
  bare: Statement;
  columns: Column[];
  /** The parameter number of the row's id. */
  idParam: number;
}

/** Built once per table, column set and mode: every event then only binds its values. */
const upserts = new Map<string, Upsert>();

/**
 * With `planOfPrice` (a subscription whose `priceId` is bound), `plan_id` is not bound but read by
 * the statement itself from the catalog's price, sparing the write a round trip of its own.
 */
function upsertFor(object: MirrorObject, keys: string[], mode: WriteMode, planOfPrice = false): Upsert {
  const cacheKey = `${object}|${mode}|${keys.join(',')}|${planOfPrice}`;
  let upsert = upserts.get(cacheKey);
  if (upsert) return upsert;
  const table = MIRROR_TABLES[object];
  const tableName = getTableName(table);
  const byKey = getTableColumns(table) as Record<string, Column>;
  const columns = keys.map((k) => byKey[k]!);
  const names = columns.map((c) => `"${c.name}"`);
  const params = names.map((_, i) => `$${i + 1}`);
  if (planOfPrice) {
    names.push('"plan_id"');
    params.push(`(select plan_id from plan_prices where stripe_price_id = $${keys.indexOf('priceId') + 1})`);
  }
  const target = `"${tableName}"`;
  const compared = names.filter((n) => !['"id"', '"stripe_event_at"', '"updated_at"'].includes(n));
  const sameContent = compared.length
    ? `(${compared.map((n) => `${target}.${n}`).join(', ')}) is not distinct from (${compared.map((n) => `excluded.${n}`).join(', ')})`
    : 'true';
  const rankAfter = names.includes('"status"') ? lifecycleRankSql(object, 'excluded') : null;
  const laterStage = rankAfter ? `${rankAfter} > ${lifecycleRankSql(object, target)} or ` : '';
  const text = [
    `insert into "${tableName}" (${names.join(', ')})`,
    `values (${params.join(', ')})`,
    `on conflict ("id") do update set ${names
      .filter((n) => n !== '"id"')
      .map((n) => `${n} = excluded.${n}`)
      .join(', ')}`,
    mode === 'if-newer'
      ? `where ${target}."stripe_event_at" < excluded."stripe_event_at"
         or (${target}."stripe_event_at" = excluded."stripe_event_at" and (${laterStage}${sameContent}))`
      : '',
  ].join(' ');
  const name = `recur_mirror_upsert_${upserts.size + 1}`;
  upsert = {
    statement: { name, text: `${text} returning "id"` },
    bare: { name, text },
    columns,
    idParam: keys.indexOf('id') + 1,
  };
  upserts.set(cacheKey, upsert);
  return upsert;
}

/** The rows the revenue rollup sums (or, for subscriptions, files under a plan). */
const ROLLED_UP: ReadonlySet<MirrorObject> = new Set<RolledUpObject>(['invoice', 'refund', 'subscription']);

/**
 * Every mirror write of those rows goes through the rollup's bookkeeping, so whichever path writes
 * an invoice, refund or subscription (an event, a sync page, Stripe's answer to Recur's own
 * request), the rollup follows in the same transaction.
 */
function keepingRollup(
  db: DbOrTx,
  object: MirrorObject,
  rows: Array<{ id: string } & Record<string, unknown>>,
  write: () => Promise<number>,
): Promise<number> {
  return ROLLED_UP.has(object) ? keepingRevenueRollup(db, object as RolledUpObject, rows, write) : write();
}

/**
 * Insert or overwrite one mirror row, stamped with the time of the state it holds; true if written.
 * As with the query builder, a key left undefined keeps the column's default (or current value),
 * and a key that is no column of the table is ignored.
 */
export async function upsertMirror(
  db: DbOrTx,
  object: MirrorObject,
  row: { id: string } & Record<string, unknown>,
  eventAt: Date,
  mode: WriteMode = 'always',
): Promise<boolean> {
  if (object === 'invoice') {
    // One round trip: the revenue rollup's reads around the write are parts of the write's statement.
    const { upsert, values } = boundUpsert(object, row, eventAt, mode);
    const subscriptionId = typeof row.subscriptionId === 'string' ? row.subscriptionId : null;
    return (await writingOneInvoice(db, subscriptionId, upsert.bare, values, upsert.idParam)) > 0;
  }
  if (object === 'subscription' && 'planId' in row) {
    // Likewise: the plan the subscription had, which the rollup needs, is read by the write itself.
    const { upsert, values } = boundUpsert(object, row, eventAt, mode);
    return (await writingOneSubscription(db, row.id, upsert.bare, values, upsert.idParam)).written;
  }
  const written = await keepingRollup(db, object, [row], () => writeRow(db, object, row, eventAt, mode));
  return written > 0;
}

/**
 * One subscription row written with the plan of its `priceId` in the catalog (its `planId` is
 * ignored), the rollup kept as `upsertMirror` keeps it. Answers whether it was written, and the plan
 * it has now (null when the catalog has no plan for its price).
 */
export async function upsertSubscriptionOfPrice(
  db: DbOrTx,
  row: { id: string; priceId: string | null } & Record<string, unknown>,
  eventAt: Date,
  mode: WriteMode,
): Promise<{ written: boolean; planId: string | null }> {
  const { planId: _ignored, ...rest } = row;
  const { upsert, values } = boundUpsert('subscription', rest, eventAt, mode, true);
  return writingOneSubscription(db, row.id, upsert.bare, values, upsert.idParam);
}

/** The upsert for `row`'s columns, and its values bound as the driver takes them. */
function boundUpsert(
  object: MirrorObject,
  row: { id: string } & Record<string, unknown>,
  eventAt: Date,
  mode: WriteMode,
  planOfPrice = false,
): { upsert: Upsert; values: unknown[] } {
  const columnKeys = getTableColumns(MIRROR_TABLES[object]);
  const values: Record<string, unknown> = { ...row, stripeEventAt: eventAt, updatedAt: new Date() };
  const keys = Object.keys(values).filter((k) => values[k] !== undefined && k in columnKeys);
  const upsert = upsertFor(object, keys, mode, planOfPrice);
  return {
    upsert,
    values: keys.map((k, i) => (values[k] === null ? null : upsert.columns[i]!.mapToDriverValue(values[k]))),
  };
}

async function writeRow(
  db: DbOrTx,
  object: MirrorObject,
  row: { id: string } & Record<string, unknown>,
  eventAt: Date,
  mode: WriteMode,
): Promise<number> {
  const { upsert, values } = boundUpsert(object, row, eventAt, mode);
  return (await runStatement(db, upsert.statement, values)).length;
}

/**
 * Many rows of one page in one statement, each written only over an older stamp. Rows must share
 * their keys (a column missing from one would be overwritten with its default); when they do not,
 * they are written one by one.
 */
export async function upsertMirrorRows(
  db: DbOrTx,
  object: MirrorObject,
  rows: Array<{ id: string } & Record<string, unknown>>,
  stamp: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await keepingRollup(db, object, rows, () => writeRows(db, object, rows, stamp));
}

async function writeRows(
  db: DbOrTx,
  object: MirrorObject,
  rows: Array<{ id: string } & Record<string, unknown>>,
  stamp: Date,
): Promise<number> {
  const keys = Object.keys(rows[0]!);
  if (!rows.every((r) => Object.keys(r).length === keys.length && keys.every((k) => k in r))) {
    let written = 0;
    for (const row of rows) written += await writeRow(db, object, row, stamp, 'if-newer');
    return written;
  }
  const table = MIRROR_TABLES[object] as MirrorTable & {
    id: typeof customers.id;
    stripeEventAt: typeof customers.stripeEventAt;
  };
  const columns = getTableColumns(table as typeof customers) as Record<string, { name: string }>;
  const set = Object.fromEntries(
    [...keys.filter((k) => k !== 'id'), 'stripeEventAt', 'updatedAt'].map((k) => [
      k,
      sql.raw(`excluded."${columns[k]!.name}"`),
    ]),
  );
  const now = new Date();
  const written = await db
    .insert(table as typeof customers)
    .values(
      rows.map((row) => ({ ...row, stripeEventAt: stamp, updatedAt: now })) as Array<
        typeof customers.$inferInsert
      >,
    )
    .onConflictDoUpdate({
      target: table.id,
      set,
      setWhere: sql`${table.stripeEventAt} < excluded.stripe_event_at`,
    })
    .returning({ id: table.id });
  return written.length;
}
