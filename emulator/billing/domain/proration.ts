// Proration as Stripe computes it for a change at `prorationDate` inside the current period
// [start, end): a credit for the unused time on what the item was, a charge for the remaining
// time on what it becomes. Each is the full-period amount scaled by the fraction of the period
// left, counted to the second, and each line is rounded to the minor unit on its own, so the two
// lines of a swap can differ by a cent from rounding the net difference once.

export interface ProratedSide {
  unitAmount: number;
  quantity: number;
}

export interface Period {
  start: number;
  end: number;
}

/** The fraction of `period` remaining at `at`, clamped to [0, 1]. */
export function remainingFraction(period: Period, at: number): number {
  const length = period.end - period.start;
  if (length <= 0) return 0;
  const left = Math.min(Math.max(period.end - at, 0), length);
  return left / length;
}

/** Rounds half away from zero, so a credit is the exact mirror of the matching charge. */
export function roundMinor(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

/** The unrounded prorated amount, as Stripe reports it in `unit_amount_decimal`. */
export function proratedExact(side: ProratedSide, period: Period, at: number): number {
  return side.unitAmount * side.quantity * remainingFraction(period, at);
}

/** Credit for unused time on the old side: a negative amount in minor units. */
export function unusedTimeCredit(side: ProratedSide, period: Period, at: number): number {
  return -roundMinor(proratedExact(side, period, at));
}

/** Charge for remaining time on the new side: a positive amount in minor units. */
export function remainingTimeCharge(side: ProratedSide, period: Period, at: number): number {
  return roundMinor(proratedExact(side, period, at));
}

/** Stripe's proration line description date, e.g. "15 Jan 2026". */
export function prorationDateLabel(at: number): string {
  const d = new Date(at * 1000);
  const month = d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' });
  return `${d.getUTCDate()} ${month} ${d.getUTCFullYear()}`;
}

export function unusedTimeDescription(productName: string, quantity: number, at: number): string {
  return `Unused time on ${quantityPrefix(quantity)}${productName} after ${prorationDateLabel(at)}`;
}

export function remainingTimeDescription(productName: string, quantity: number, at: number): string {
  return `Remaining time on ${quantityPrefix(quantity)}${productName} after ${prorationDateLabel(at)}`;
}

function quantityPrefix(quantity: number): string {
  return quantity === 1 ? '' : `${quantity} × `;
}
