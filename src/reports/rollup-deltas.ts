import { type DbOrTx, runStatement, type Statement } from '../db/client.js';

/**
 * Additions to the summed report tables (`revenue_months`, `mrr_months`, `mrr_cohorts`), gathered
 * and then written in one statement per table, tables in that order and cells in key order. Every
 * transaction that adds to them thus locks their rows in one global order, after every other lock
 * it takes (object locks, mirror rows), so two transactions adding to the same cells wait for one
 * another and never deadlock, whatever the mix of events in each. A cell added to many times in
 * one transaction is written once.
 *
 * Within `deferringRollups(tx, …)` (the worker's batch) the additions wait for the end of the
 * batch; elsewhere each writer's additions are written as soon as its own step is done.
 */

/** The summed columns of each table, by their names in the database. */
export const REVENUE_MEASURES = [
  'invoiced',
  'invoiced_tax',
  'invoiced_count',
  'collected',
  'collected_tax',
  'collected_count',
  'refunded',
  'refunded_count',
  'attempted',
  'failed',
  'recovered',
  'recovery_seconds',
] as const;
export const MRR_MEASURES = [
  'new_mrr',
  'expansion_mrr',
  'contraction_mrr',
  'churned_mrr',
  'reactivated_mrr',
  'transfer_mrr',
  'new_count',
  'churned_count',
  'reactivated_count',
  'transfer_count',
] as const;
const COHORT_MEASURES = ['joined', 'left'] as const;

interface Table {
  readonly name: string;
  readonly keys: ReadonlyArray<{ name: string; type: string }>;
  readonly measures: readonly string[];
  readonly statement: Statement;
}

/** insert … select from unnest(one array per column) in key order, adding to the cells that exist. */
function table(name: string, keys: Table['keys'], measures: readonly string[]): Table {
  const columns = [...keys.map((k) => k.name), ...measures];
  const arrays = [...keys.map((k) => `${k.type}[]`), ...measures.map(() => 'bigint[]')];
  const quoted = columns.map((c) => `"${c}"`);
  return {
    name,
    keys,
    measures,
    statement: {
      name: `recur_rollup_add_${name}`,
      text: `insert into ${name} (${quoted.join(', ')})
             select ${quoted.join(', ')}
             from unnest(${arrays.map((type, i) => `$${i + 1}::${type}`).join(', ')}) as t(${quoted.join(', ')})
             order by ${keys.map((k) => `"${k.name}"`).join(', ')}
             on conflict (${keys.map((k) => `"${k.name}"`).join(', ')}) do update set
             ${measures.map((m) => `"${m}" = ${name}."${m}" + excluded."${m}"`).join(', ')}`,
    },
  };
}

const MONTH_KEYS = [
  { name: 'month', type: 'date' },
  { name: 'currency', type: 'text' },
  { name: 'plan_id', type: 'text' },
];
/** In the order every transaction writes them. */
const TABLES = [
  table('revenue_months', MONTH_KEYS, REVENUE_MEASURES),
  table('mrr_months', MONTH_KEYS, MRR_MEASURES),
  table(
    'mrr_cohorts',
    [
      { name: 'cohort_month', type: 'date' },
      { name: 'currency', type: 'text' },
      { name: 'plan_id', type: 'text' },
      { name: 'months_after', type: 'int' },
    ],
    COHORT_MEASURES,
  ),
] as const;

export type RollupTable = (typeof TABLES)[number]['name'];

type Cell = { keys: Array<string | number>; sums: number[] };

/** What a transaction (or one writer's step) adds to the summed tables, not yet written. */
export class RollupDeltas {
  private readonly cells = new Map<RollupTable, Map<string, Cell>>(TABLES.map((t) => [t.name, new Map()]));

  /** Adds `amounts` (measures by column name; missing ones are 0) to one cell. */
  add(tableName: RollupTable, keys: Array<string | number>, amounts: Partial<Record<string, number>>): void {
    const spec = TABLES.find((t) => t.name === tableName)!;
    const cells = this.cells.get(tableName)!;
    const key = JSON.stringify(keys);
    let cell = cells.get(key);
    if (!cell) {
      cell = { keys, sums: spec.measures.map(() => 0) };
      cells.set(key, cell);
    }
    spec.measures.forEach((m, i) => {
      cell.sums[i]! += amounts[m] ?? 0;
    });
  }

  /** Writes what moved, table by table in the global order, then forgets it. */
  async write(db: DbOrTx): Promise<void> {
    for (const spec of TABLES) {
      const cells = [...this.cells.get(spec.name)!.values()].filter((c) => c.sums.some((s) => s !== 0));
      this.cells.get(spec.name)!.clear();
      if (cells.length === 0) continue;
      await runStatement(db, spec.statement, [
        ...spec.keys.map((_, k) => cells.map((c) => c.keys[k])),
        ...spec.measures.map((_, m) => cells.map((c) => c.sums[m])),
      ]);
    }
  }
}

const deferred = new WeakMap<object, RollupDeltas>();

/**
 * Runs `work` with every rollup addition made through `tx` held back, then writes them all (see
 * the module's comment). `work` must not commit or roll back `tx` itself.
 */
export async function deferringRollups<T>(tx: DbOrTx, work: () => Promise<T>): Promise<T> {
  const deltas = new RollupDeltas();
  deferred.set(tx, deltas);
  try {
    const result = await work();
    await deltas.write(tx);
    return result;
  } finally {
    deferred.delete(tx);
  }
}

/**
 * Lets `step` add to the rollups through `db`: into the enclosing `deferringRollups` when there is
 * one, otherwise written as soon as `step` is done.
 */
export async function addingToRollups<T>(db: DbOrTx, step: (deltas: RollupDeltas) => Promise<T>): Promise<T> {
  const enclosing = deferred.get(db);
  if (enclosing) return step(enclosing);
  const deltas = new RollupDeltas();
  const result = await step(deltas);
  await deltas.write(db);
  return result;
}
