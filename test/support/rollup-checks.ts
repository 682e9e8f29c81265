import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../src/db/client.js';

/**
 * The revenue rollup's invariant, as tests check it: `revenue_months` equals the sums recomputed
 * from the mirror's invoices, refunds and subscriptions as they stand.
 */

export type Cell = Record<string, string | number>;

const normalise = (rows: Array<Record<string, unknown>>): Cell[] =>
  rows
    .map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [
          k,
          k === 'month'
            ? String(v).slice(0, 10)
            : k === 'currency' || k === 'plan_id'
              ? String(v)
              : Number(v),
        ]),
      ),
    )
    .filter((r) => Object.entries(r).some(([k, v]) => typeof v === 'number' && k !== 'month' && v !== 0))
    .sort((a, b) =>
      `${a.month}|${a.currency}|${a.plan_id}` < `${b.month}|${b.currency}|${b.plan_id}` ? -1 : 1,
    );

const CELL = sql.raw(`to_char(month, 'YYYY-MM-DD') as month, currency, plan_id`);
const SUMS =
  sql.raw(`sum(invoiced) as invoiced, sum(invoiced_tax) as invoiced_tax, sum(invoiced_count) as invoiced_count,
  sum(collected) as collected, sum(collected_tax) as collected_tax, sum(collected_count) as collected_count,
  sum(refunded) as refunded, sum(refunded_count) as refunded_count,
  sum(attempted) as attempted, sum(failed) as failed, sum(recovered) as recovered,
  sum(recovery_seconds) as recovery_seconds`);

/** `revenue_months` as it stands, one row per non-empty cell. */
export async function revenueRollup(db: DbOrTx): Promise<Cell[]> {
  return normalise(await queryRows(db, sql`select ${CELL}, ${SUMS} from revenue_months group by 1, 2, 3`));
}

/** The figures straight from the mirror, one plain query per measure, as the reports once read them. */
export async function revenueRecomputed(db: DbOrTx): Promise<Cell[]> {
  const month = (column: string) => sql.raw(`date_trunc('month', ${column} at time zone 'UTC')::date`);
  const zeros = (n: number) => sql.raw(Array.from({ length: n }, () => '0').join(', '));
  return normalise(
    await queryRows(
      db,
      sql`with inv as (
            select i.*, coalesce(s.plan_id, '') as plan
            from invoices i left join subscriptions s on s.id = i.subscription_id
          )
          select ${CELL}, ${SUMS} from (
            select ${month('created_at')} as month, currency, plan as plan_id, total as invoiced, tax as invoiced_tax,
                   1 as invoiced_count, ${zeros(9)} from inv where status in ('open', 'paid', 'uncollectible')
            union all
            select ${month('paid_at')}, currency, plan, 0, 0, 0, amount_paid, tax, 1, ${zeros(6)}
            from inv where status = 'paid' and paid_at is not null
            union all
            select ${month('created_at')}, currency, plan, ${zeros(8)}, 1,
                   (attempt_count > 1 or status <> 'paid')::int, (attempt_count > 1 and status = 'paid')::int,
                   case when attempt_count > 1 and status = 'paid' then extract(epoch from paid_at - created_at) else 0 end
            from inv where subscription_id is not null and attempt_count >= 1
                           and status in ('open', 'paid', 'uncollectible', 'void')
            union all
            select ${month('created_at')}, currency, '', ${zeros(6)}, amount, 1, ${zeros(4)}
            from refunds where status in ('succeeded', 'pending')
          ) x(month, currency, plan_id, invoiced, invoiced_tax, invoiced_count, collected, collected_tax,
              collected_count, refunded, refunded_count, attempted, failed, recovered, recovery_seconds)
          group by 1, 2, 3`,
    ),
  );
}
