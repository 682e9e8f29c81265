import { ValidationError } from '../http/errors.js';
import type { ReportFilters } from './repository.js';

export const MAX_RANGE_MONTHS = 120;
const DEFAULT_RANGE_MONTHS = 12;

export interface FilterQuery {
  from?: string | undefined;
  to?: string | undefined;
  plan_id?: string | undefined;
  currency?: string | undefined;
}

/** Months a report may name: a range's month after the last must still be a four-digit year. */
const FIRST_YEAR = 1970;
const LAST_YEAR = 9998;

function parseMonth(name: 'from' | 'to', value: string): string {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(value);
  const year = Number(match?.[1]);
  if (!match || year < FIRST_YEAR || year > LAST_YEAR)
    throw new ValidationError(
      'invalid_month',
      `${name} must be a month as YYYY-MM from ${FIRST_YEAR}-01 to ${LAST_YEAR}-12, got '${value}'`,
    );
  return `${value}-01`;
}

export function shiftMonth(month: string, by: number): string {
  const d = new Date(`${month}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + by, 1)).toISOString().slice(0, 10);
}

/** Every month from one `YYYY-MM-01` to another, both included. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = shiftMonth(m, 1)) out.push(m);
  return out;
}

/**
 * The report filters, each refused with its own code: `invalid_month`, `invalid_date_range` (from
 * after to), `date_range_too_long`, `invalid_currency`. The plan is checked against the catalog by
 * the service (`unknown_plan`). Defaults: the twelve months up to the current one, every plan and currency.
 */
export function parseFilters(query: FilterQuery, now: Date): ReportFilters {
  const toMonth = query.to === undefined ? `${now.toISOString().slice(0, 7)}-01` : parseMonth('to', query.to);
  const fromMonth =
    query.from === undefined ? shiftMonth(toMonth, 1 - DEFAULT_RANGE_MONTHS) : parseMonth('from', query.from);
  if (fromMonth > toMonth)
    throw new ValidationError(
      'invalid_date_range',
      `from (${query.from}) is after to (${query.to ?? 'this month'})`,
    );
  if (monthsOf(fromMonth, toMonth).length > MAX_RANGE_MONTHS)
    throw new ValidationError('date_range_too_long', `A report covers at most ${MAX_RANGE_MONTHS} months`);
  let currency: string | null = null;
  if (query.currency !== undefined) {
    if (!/^[a-zA-Z]{3}$/.test(query.currency))
      throw new ValidationError(
        'invalid_currency',
        `currency must be a three-letter ISO code, got '${query.currency}'`,
      );
    currency = query.currency.toLowerCase();
  }
  return { fromMonth, toMonth, planId: query.plan_id ?? null, currency };
}
