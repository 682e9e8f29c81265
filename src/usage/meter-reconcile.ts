import type { Db } from '../db/client.js';
import type { PayerKind } from '../db/schema/index.js';
import { meteredRepository } from '../plans/metered-repository.js';
import type { StripeMeters } from '../stripe/index.js';
import { meterReportsRepository } from './meter-reports-repository.js';

export interface ReconcileFilter {
  payerKind?: PayerKind | undefined;
  payerId?: string | undefined;
  feature?: string | undefined;
  /** Periods starting at or after this time. */
  since: Date;
  limit: number;
}

export interface MeterTotal {
  payer_kind: PayerKind;
  payer_id: string;
  feature: string;
  stripe_customer_id: string;
  stripe_meter_id: string | null;
  period_start: string;
  period_end: string | null;
  /** Units Recur sent to the meter for the period. */
  reported: number;
  /** Units recorded but not yet sent (a difference they explain is not one). */
  pending: number;
  /** The meter's sum for the customer over the period, from its event summaries. */
  stripe: number | null;
  difference: number | null;
}

/**
 * What Recur reported per payer, meter and period, next to Stripe's meter event summaries for the
 * customer over that period (read-only). Stripe aggregates meter events asynchronously, so a report
 * sent moments ago may show as a difference until Stripe has counted it.
 */
export async function reconcileMeters(
  deps: { db: Db; meters: StripeMeters },
  filter: ReconcileFilter,
  now = new Date(),
): Promise<{ checked_at: string; equal: boolean; data: MeterTotal[]; differences: MeterTotal[] }> {
  const totals = await meterReportsRepository.totals(deps.db, filter, filter.limit);
  const data: MeterTotal[] = [];
  for (const total of totals) {
    const meter = await meteredRepository.meter(deps.db, total.feature);
    const end = total.periodEnd ?? now;
    const stripe = meter
      ? await deps.meters.summedValue(meter.stripeMeterId, total.customerId, total.periodStart, end)
      : null;
    data.push({
      payer_kind: total.payerKind,
      payer_id: total.payerId,
      feature: total.feature,
      stripe_customer_id: total.customerId,
      stripe_meter_id: meter?.stripeMeterId ?? null,
      period_start: total.periodStart.toISOString(),
      period_end: total.periodEnd?.toISOString() ?? null,
      reported: total.sent,
      pending: total.pending,
      stripe,
      difference: stripe === null ? null : stripe - total.sent,
    });
  }
  const differences = data.filter((d) => d.difference !== 0);
  return { checked_at: now.toISOString(), equal: differences.length === 0, data, differences };
}
