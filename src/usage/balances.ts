import { and, eq, gt, isNull, or, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { creditLots } from '../db/schema/index.js';
import type { OverageRule, UsageReset } from '../db/schema/plans.js';
import type { SubscriptionAccess } from '../entitlements/rules.js';
import { balanceOf } from './checks.js';
import type { PayerKey } from './credits-ledger.js';
import { periodOf } from './periods.js';
import { payerSubscriptions, usageRepository as repo } from './repository.js';
import { granting, limitInForce, usageRuleOf } from './rules.js';

/** A payer's standing on one usage feature, as the entitlements answer it. */
export interface UsageBalance {
  limit: number;
  used: number;
  reserved: number;
  /** What may still be used now: the allowance left, plus the credits for overage `credits`. */
  balance: number;
  credits: number;
  overage: OverageRule;
  reset: UsageReset;
  period_start: string;
  resets_at: string | null;
}

const payerOf = (organizationId: string | null, userId: string): PayerKey =>
  organizationId === null
    ? { payerKind: 'user', payerId: userId }
    : { payerKind: 'organization', payerId: organizationId };

/** Live credits per payer (`kind:id`) and feature. */
export type CreditBalances = Map<string, Map<string, number>>;

/** The live credits of the payers `payer` selects, summed per payer and feature. */
export function liveCreditTotalsQuery(db: DbOrTx, payer: SQL | undefined, now: Date | Placeholder) {
  return db
    .select({
      payerKind: creditLots.payerKind,
      payerId: creditLots.payerId,
      feature: creditLots.feature,
      total: sql<string | number>`sum(${creditLots.remaining})`.as('total'),
    })
    .from(creditLots)
    .where(and(payer, or(isNull(creditLots.expiresAt), gt(creditLots.expiresAt, now))))
    .groupBy(creditLots.payerKind, creditLots.payerId, creditLots.feature);
}

/** The rows of `liveCreditTotalsQuery`, by payer and feature. */
export function creditBalancesOf(
  rows: Iterable<{ payerKind: string; payerId: string; feature: string; total: string | number }>,
): CreditBalances {
  const byPayer: CreditBalances = new Map();
  for (const row of rows) {
    const id = `${row.payerKind}:${row.payerId}`;
    byPayer.set(id, (byPayer.get(id) ?? new Map<string, number>()).set(row.feature, Number(row.total)));
  }
  return byPayer;
}

/** The live credit balances of the payers, per payer and feature, in one statement. */
async function creditBalances(db: DbOrTx, payers: PayerKey[], now: Date): Promise<CreditBalances> {
  if (!payers.length) return new Map();
  const payer = or(
    ...payers.map((p) => and(eq(creditLots.payerKind, p.payerKind), eq(creditLots.payerId, p.payerId))),
  );
  return creditBalancesOf(await liveCreditTotalsQuery(db, payer, now));
}

/**
 * The `usage` of an entitlements answer: for each metered feature of the granting subscriptions
 * and each feature the payers hold credits for, the standing of the payer that gives it (the
 * benefit's source; else the user's own first, then organisations by id). Payers without a metered
 * benefit cost one query for their credits and nothing more.
 */
export async function usageBalances(
  db: DbOrTx,
  args: {
    userId: string;
    /** The organisation answered alone (`?org=`), else undefined: the user and their organisations. */
    organizationId: string | undefined;
    /** The subscriptions (and purchases) that give access now. */
    granting: readonly SubscriptionAccess[];
    sources: Record<string, string | null>;
    now: Date;
    graceDays: number;
    /** The payers' credits when already read (at least every payer answered for). */
    credits?: CreditBalances;
  },
): Promise<Record<string, UsageBalance>> {
  const { now, userId } = args;
  const scope =
    args.organizationId !== undefined
      ? [args.organizationId]
      : [
          null,
          ...[...new Set(args.granting.map((s) => s.organizationId ?? null))]
            .filter((o) => o !== null)
            .sort(),
        ];
  const payers = scope.map((o) => payerOf(o, userId));
  const credits = args.credits ?? (await creditBalances(db, payers, now));
  const metered = new Set(
    args.granting.filter((s) => s.benefits.some((b) => b.limit)).map((s) => s.organizationId ?? null),
  );
  const usage: Record<string, UsageBalance> = {};
  for (const [i, payer] of payers.entries()) {
    const organizationId = scope[i] ?? null;
    const subs = metered.has(organizationId)
      ? granting(await payerSubscriptions(db, payer), now, args.graceDays)
      : [];
    const held = credits.get(`${payer.payerKind}:${payer.payerId}`) ?? new Map<string, number>();
    const features = new Set([
      ...subs.flatMap((s) => s.benefits.filter((b) => b.limit).map((b) => b.key)),
      ...held.keys(),
    ]);
    for (const feature of [...features].sort()) {
      const source = args.sources[feature];
      if (usage[feature] !== undefined && source !== organizationId) continue;
      const rule = usageRuleOf(subs, feature);
      const period = periodOf(rule.reset, now, rule.anchor);
      const counter = await repo.counter(db, { ...payer, feature }, period.start);
      const limit = limitInForce(rule, counter?.limitFloor ?? 0);
      const used = counter?.used ?? 0;
      const reserved = counter?.reserved ?? 0;
      const creditBalance = held.get(feature) ?? 0;
      usage[feature] = {
        limit,
        used,
        reserved,
        balance: balanceOf(rule.overage, { limit, used, reserved, credits: creditBalance }),
        credits: creditBalance,
        overage: rule.overage,
        reset: rule.reset,
        period_start: period.start.toISOString(),
        resets_at: period.end?.toISOString() ?? null,
      };
    }
  }
  return usage;
}
