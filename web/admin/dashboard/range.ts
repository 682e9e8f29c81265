/** The dashboard's date range: whole UTC months, `YYYY-MM`, both ends included. */
export interface MonthRange {
  from: string;
  to: string;
}

export type Preset = '3' | '6' | '12' | 'ytd' | 'custom';

export const PRESETS: Array<{ value: Preset; label: string }> = [
  { value: '3', label: 'Last 3 months' },
  { value: '6', label: 'Last 6 months' },
  { value: '12', label: 'Last 12 months' },
  { value: 'ytd', label: 'Year to date' },
  { value: 'custom', label: 'Custom' },
];

/** The reports refuse a longer range (`date_range_too_long`). */
export const MAX_MONTHS = 120;

export function shiftMonth(month: string, by: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(year, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

export function thisMonth(now = new Date()): string {
  return now.toISOString().slice(0, 7);
}

/** How many months a range spans, both ends included. */
export function monthCount({ from, to }: MonthRange): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
}

/** Every month of a range, in order. */
export function monthsOf(range: MonthRange): string[] {
  return Array.from({ length: Math.max(0, monthCount(range)) }, (_, i) => shiftMonth(range.from, i));
}

/** A preset's range, ending this month (UTC). */
export function presetRange(preset: Exclude<Preset, 'custom'>, now = new Date()): MonthRange {
  const to = thisMonth(now);
  if (preset === 'ytd') return { from: `${to.slice(0, 4)}-01`, to };
  return { from: shiftMonth(to, 1 - Number(preset)), to };
}

/** The period of the same length just before: what the range is compared with. */
export function previousRange(range: MonthRange): MonthRange {
  const n = monthCount(range);
  return { from: shiftMonth(range.from, -n), to: shiftMonth(range.from, -1) };
}

/** Why a custom range cannot be shown, in words; null when it can. */
export function rangeProblem(range: MonthRange): string | null {
  const month = /^\d{4}-(0[1-9]|1[0-2])$/;
  if (!month.test(range.from) || !month.test(range.to)) return 'Choose a month for both From and To.';
  if (range.from > range.to) return 'From must be on or before To.';
  if (monthCount(range) > MAX_MONTHS) return `A range covers at most ${MAX_MONTHS} months.`;
  return null;
}
