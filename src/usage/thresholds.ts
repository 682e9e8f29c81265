import { sql } from 'drizzle-orm';
import { announceOne, announceUsageStanding } from '../app-webhooks/announcements.js';
import { type DbOrTx, queryRows } from '../db/client.js';
import { organizationRepository } from '../organizations/repository.js';
import { payerIds, payerSubject } from './context.js';
import { creditLedgerRepository } from './credits-ledger.js';
import type { UsagePeriod } from './periods.js';
import { type CounterKey, type CounterRow, usageRepository as repo } from './repository.js';
import { limitInForce, thresholdReached, type UsageRule } from './rules.js';

/**
 * What `used` more units did to a counter: for a `credits` overage, the units newly beyond the
 * allowance are drawn from credits, and those the balance cannot pay are owed (the usage happened;
 * `check` is what refuses); and a threshold crossed in the current period is announced once.
 */
export async function afterUse(
  tx: DbOrTx,
  key: CounterKey,
  rule: UsageRule,
  period: UsagePeriod,
  counter: CounterRow,
  used: number,
  now: Date,
  settings: ThresholdSettings,
): Promise<void> {
  const limit = limitInForce(rule, counter.limitFloor);
  let row = counter;
  if (rule.overage === 'credits') {
    const over = (u: number) => Math.max(0, u + row.reserved - limit);
    const beyond = over(row.used) - over(row.used - used);
    if (beyond > 0) {
      // What the balance cannot pay is owed, and paid first from the next grant: for a credits
      // overage, or a feature paid in credits (not any feature the app counts).
      const { drawn, owed } = await creditLedgerRepository.drawOrOwe(
        tx,
        { ...key, amount: beyond, reference: `usage:${key.feature}:${period.start.toISOString()}`, now },
        async () => rule.metered || (await paidInCredits(tx, key)),
      );
      const charged = drawn + owed;
      if (charged) row = (await repo.adjustCounter(tx, key, period.start, { creditsDrawn: charged })) ?? row;
    }
  }
  await announceThreshold(tx, key, rule, period, row, now, settings);
}

/**
 * Whether the feature is paid in credits for this payer: the payer has held credits of it, or a plan
 * of the catalog (of any status) grants them.
 */
async function paidInCredits(tx: DbOrTx, key: CounterKey): Promise<boolean> {
  const [row] = await queryRows<{ paid: boolean }>(
    tx,
    sql`select exists (
          select 1 from credit_lots l
          where l.payer_kind = ${key.payerKind} and l.payer_id = ${key.payerId} and l.feature = ${key.feature}
        ) or exists (
          select 1 from plans p, jsonb_array_elements(p.benefits) b
          where b ->> 'key' = ${key.feature} and b ? 'credits'
        ) as paid`,
  );
  return row?.paid === true;
}

/** The percent of a limit announced first (the last is 100), and the grace the entitlements give. */
export interface ThresholdSettings {
  warnPercent: number;
  graceDays: number;
}

/**
 * Announces `usage.threshold_reached` once per period and threshold, for the current period only,
 * and the entitlement set (with its usage) to each user who holds the feature through the payer.
 */
export async function announceThreshold(
  tx: DbOrTx,
  key: CounterKey,
  rule: UsageRule,
  period: UsagePeriod,
  row: CounterRow,
  now: Date,
  settings: ThresholdSettings,
): Promise<void> {
  if (!rule.metered || (period.end !== null && period.end <= now)) return;
  const limit = limitInForce(rule, row.limitFloor);
  const threshold = thresholdReached(row.used, limit, settings.warnPercent);
  if (threshold <= row.announcedPercent) return;
  if (!(await repo.markAnnounced(tx, key, period.start, threshold))) return;
  const periodStart = period.start.toISOString();
  const dedupeKey = `usage:${key.payerKind}:${key.payerId}:${key.feature}:${periodStart}:${threshold}`;
  await announceOne(tx, 'usage.threshold_reached', payerSubject(key), dedupeKey, now, {
    ...payerIds(key),
    feature: key.feature,
    threshold,
    limit,
    used: row.used,
    overage: rule.overage,
    period_start: periodStart,
    resets_at: period.end?.toISOString() ?? null,
  });
  const users =
    key.payerKind === 'user'
      ? [key.payerId]
      : (await organizationRepository.members(tx, key.payerId)).map((m) => m.userId);
  await announceUsageStanding(tx, users, `${dedupeKey}:entitlements.updated`, now, settings.graceDays);
}
