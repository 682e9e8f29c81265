import { formatMoney } from '../../src/format.js';
import type { Plan, Price, PriceMigration, PriceMigrationTiming } from '../app/types.js';

export const TIMINGS: Array<[PriceMigrationTiming, string]> = [
  ['renewal', 'At each renewal'],
  ['now_prorated', 'Now, prorated'],
  ['now_unprorated', 'Now, without proration'],
];

export const timingLabel = (timing: PriceMigrationTiming): string =>
  TIMINGS.find(([t]) => t === timing)?.[1] ?? timing;

/** A price as an admin reads it: "Pro — $29.00 / month (archived)". */
export function priceLabel(plan: Plan, price: Price): string {
  const amount = price.unit_amount === null ? 'tiered' : formatMoney(price.unit_amount, price.currency);
  const every = price.interval
    ? ` / ${price.interval_count > 1 ? `${price.interval_count} ` : ''}${price.interval}`
    : '';
  return `${plan.name} — ${amount}${every}${price.active ? '' : ' (archived)'}`;
}

/** Finished, with moves still waiting for their renewals (those arrive over the days after). */
export const awaitsRenewals = (m: Pick<PriceMigration, 'status' | 'counts'>): boolean =>
  m.status === 'completed' && (m.counts.scheduled ?? 0) > 0;
