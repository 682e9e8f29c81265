import { currencyDigits, formatMoney } from '../../../src/format.js';

/** "2026-03" → "Mar 2026": months are UTC, so the label is the same in every time zone. */
export function monthLabel(month: string): string {
  const date = new Date(`${month.slice(0, 7)}-01T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return month;
  return date.toLocaleDateString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** "2026-03" → "Mar 26", short enough for an axis tick. */
export function shortMonthLabel(month: string): string {
  const date = new Date(`${month.slice(0, 7)}-01T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return month;
  return date.toLocaleDateString('en-US', { month: 'short', year: '2-digit', timeZone: 'UTC' });
}

/** Minor units on an axis: "$1.2K", "¥350K", with the currency's own exponent. */
export function compactMoney(amount: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: currency.toUpperCase(),
    notation: 'compact',
    maximumFractionDigits: 1,
  });
  return format.format(amount / 10 ** currencyDigits(currency));
}

/** A share between 0 and 1 as a percentage with one decimal; "—" when undefined. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}

export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toLocaleString('en-US');
}

export function money(currency: string) {
  return (value: number | null | undefined) =>
    value === null || value === undefined ? '—' : formatMoney(value, currency);
}
