import { sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../db/client.js';
import type { ReportFilters } from './repository.js';

const UTC_MONTH = (column: string) =>
  sql.raw(`to_char(date_trunc('month', ${column} at time zone 'UTC'), 'YYYY-MM-DD')`);

export interface DisputeMonthRow {
  month: string;
  currency: string;
  charges: number;
  disputes: number;
  inquiries: number;
  disputed_amount: number;
  won: number;
  won_amount: number;
  lost: number;
  lost_amount: number;
}

/**
 * Successful charges and the disputes opened against them, by the UTC month each was created (a
 * dispute counts in the month it opened, and its outcome with it). Chargebacks count as disputes;
 * inquiries (`warning_*`), which move no money and which card networks do not count, apart.
 * Both read ranges of the tables' creation-time indexes.
 */
export async function disputeMonths(db: DbOrTx, f: ReportFilters): Promise<DisputeMonthRow[]> {
  const from = new Date(`${f.fromMonth}T00:00:00Z`);
  const end = new Date(`${f.toMonth}T00:00:00Z`);
  const until = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 1));
  const currency = f.currency === null ? sql`true` : sql`currency = ${f.currency}`;
  const rows = await queryRows<DisputeMonthRow>(
    db,
    sql`with c as (
          select ${UTC_MONTH('created_at')} as month, currency, count(*) as charges
          from charges
          where status = 'succeeded' and created_at >= ${from} and created_at < ${until} and ${currency}
          group by 1, 2
        ), d as (
          select ${UTC_MONTH('created_at')} as month, currency,
                 count(*) filter (where status not like 'warning%') as disputes,
                 count(*) filter (where status like 'warning%') as inquiries,
                 coalesce(sum(amount) filter (where status not like 'warning%'), 0) as disputed_amount,
                 count(*) filter (where status = 'won') as won,
                 coalesce(sum(amount) filter (where status = 'won'), 0) as won_amount,
                 count(*) filter (where status = 'lost') as lost,
                 coalesce(sum(amount) filter (where status = 'lost'), 0) as lost_amount
          from disputes
          where created_at >= ${from} and created_at < ${until} and ${currency}
          group by 1, 2
        )
        select coalesce(c.month, d.month) as month, coalesce(c.currency, d.currency) as currency,
               coalesce(c.charges, 0) as charges, coalesce(d.disputes, 0) as disputes,
               coalesce(d.inquiries, 0) as inquiries, coalesce(d.disputed_amount, 0) as disputed_amount,
               coalesce(d.won, 0) as won, coalesce(d.won_amount, 0) as won_amount,
               coalesce(d.lost, 0) as lost, coalesce(d.lost_amount, 0) as lost_amount
        from c full join d on c.month = d.month and c.currency = d.currency`,
  );
  return rows.map((r) => ({
    ...r,
    ...Object.fromEntries(
      (
        [
          'charges',
          'disputes',
          'inquiries',
          'disputed_amount',
          'won',
          'won_amount',
          'lost',
          'lost_amount',
        ] as const
      ).map((k) => [k, Number(r[k])]),
    ),
  })) as DisputeMonthRow[];
}
