import type { Logger } from 'pino';
import type { DbOrTx } from '../db/client.js';
import type { Benefit, OveragePrice } from '../db/schema/plans.js';
import { ValidationError } from '../http/errors.js';
import { newId } from '../shared/ids.js';
import { type StripeMeters, stripeIdempotencyKey } from '../stripe/index.js';
import {
  type MeteredPriceRow,
  type NewMeteredPriceRow,
  meteredRepository as repo,
} from './metered-repository.js';

/** A licensed price slot of a plan: each gets one metered price per billed feature. */
export interface LicensedSlot {
  currency: string;
  interval: 'day' | 'week' | 'month' | 'year';
  intervalCount: number;
}

/** The benefits whose units beyond the limit are billed through a meter. */
export function billedBenefits(benefits: Benefit[]): Array<{ key: string; prices: OveragePrice[] }> {
  return benefits.flatMap((b) =>
    b.limit?.overage === 'bill' ? [{ key: b.key, prices: b.limit.overagePrices ?? [] }] : [],
  );
}

/** The meter's event name for a feature (Stripe allows 100 characters). */
export const meterEventName = (feature: string) => `recur_${feature}`.slice(0, 100);

/** 400 when a billed benefit has no overage price in one of the currencies the plan is sold in. */
export function checkOveragePrices(benefits: Benefit[], currencies: string[]): void {
  for (const benefit of billedBenefits(benefits)) {
    const missing = [...new Set(currencies)].filter(
      (c) => !benefit.prices.some((p) => p.currency.toLowerCase() === c.toLowerCase()),
    );
    if (missing.length > 0) {
      throw new ValidationError(
        'overage_price_missing',
        `Benefit '${benefit.key}' bills its overage but has no overage price in ${missing.map((c) => c.toUpperCase()).join(', ')}, a currency the plan is sold in`,
        { field: 'benefits', benefit: benefit.key, currencies: missing },
      );
    }
  }
}

/**
 * The slots of prices given as input (`interval_count`) or as catalog rows (`intervalCount`); a
 * one-time price (no interval) has none: usage is billed on recurring plans only.
 */
export function slotsOf(
  prices: Array<
    { currency: string; interval?: LicensedSlot['interval'] | null | undefined } & (
      | { interval_count: number }
      | { intervalCount?: number | undefined }
    )
  >,
): LicensedSlot[] {
  return prices.flatMap((p) =>
    p.interval
      ? [
          {
            currency: p.currency,
            interval: p.interval,
            intervalCount: ('interval_count' in p ? p.interval_count : p.intervalCount) ?? 1,
          },
        ]
      : [],
  );
}

const slotKey = (s: LicensedSlot) => `${s.currency}.${s.intervalCount}${s.interval}`;
const amountKey = (p: Pick<OveragePrice, 'unitAmount' | 'tiersMode' | 'tiers'>) =>
  JSON.stringify([p.unitAmount ?? null, p.tiersMode ?? null, p.tiers ?? null]);

/** What a catalog write changes in the metered prices: made in Stripe already, written with the plan. */
export interface MeteredPlan {
  insert: NewMeteredPriceRow[];
  archive: MeteredPriceRow[];
}

/**
 * The Stripe half of overage billing in the catalog: one meter per billed feature (made once, for
 * every plan), and per licensed price slot of a plan one metered price at the feature's overage price
 * in that currency. Prices are immutable: a changed overage price is a new price, the old archived.
 */
export class MeteredCatalog {
  constructor(private readonly deps: { db: DbOrTx; meters: StripeMeters; logger: Logger }) {}

  /** The feature's meter, made in Stripe the first time (a fixed idempotency key: made once). */
  async meterFor(feature: string): Promise<{ stripeMeterId: string; eventName: string }> {
    const { db, meters } = this.deps;
    const known = await repo.meter(db, feature);
    if (known) return known;
    const eventName = meterEventName(feature);
    const meter =
      (await meters.findMeter(eventName)) ??
      (await meters.createMeter(
        feature,
        eventName,
        stripeIdempotencyKey(`meter.${feature}`, 'create', 'meter'),
      ));
    return repo.recordMeter(db, { feature, stripeMeterId: meter.id, eventName });
  }

  /**
   * Makes in Stripe the metered prices the plan lacks and archives those it no longer wants; the
   * rows are written by `apply`, in the plan write's transaction.
   */
  async prepare(
    plan: { id: string; productId: string; benefits: Benefit[]; slots: LicensedSlot[] },
    scope: string,
    clientKey: string | undefined,
  ): Promise<MeteredPlan> {
    const existing = await repo.activePrices(this.deps.db, [plan.id]);
    const slots = [...new Map(plan.slots.map((s) => [slotKey(s), s])).values()];
    const insert: NewMeteredPriceRow[] = [];
    const kept = new Set<string>();
    for (const benefit of billedBenefits(plan.benefits)) {
      for (const slot of slots) {
        const price = benefit.prices.find((p) => p.currency.toLowerCase() === slot.currency);
        if (!price) continue;
        const same = existing.find(
          (row) =>
            row.feature === benefit.key &&
            slotKey(row) === slotKey(slot) &&
            amountKey(row) === amountKey(price),
        );
        if (same) {
          kept.add(same.id);
          continue;
        }
        const meter = await this.meterFor(benefit.key);
        const step = `metered.${benefit.key}.${slotKey(slot)}.${amountKey(price)}`;
        const created = await this.deps.meters.createMeteredPrice(
          {
            planId: plan.id,
            productId: plan.productId,
            feature: benefit.key,
            meterId: meter.stripeMeterId,
            ...slot,
            unitAmount: price.tiers ? null : price.unitAmount,
            tiersMode: price.tiers ? price.tiersMode : null,
            tiers: price.tiers,
          },
          stripeIdempotencyKey(scope, clientKey, step),
        );
        insert.push({
          id: newId('mp'),
          planId: plan.id,
          feature: benefit.key,
          stripePriceId: created.id,
          stripeMeterId: meter.stripeMeterId,
          ...slot,
          unitAmount: price.tiers ? null : price.unitAmount,
          tiersMode: price.tiers ? price.tiersMode : null,
          tiers: price.tiers,
        });
      }
    }
    const archive = existing.filter((row) => !kept.has(row.id));
    for (const row of archive) {
      await this.deps.meters.archivePrice(
        row.stripePriceId,
        stripeIdempotencyKey(scope, clientKey, `archive.${row.id}`),
      );
    }
    return { insert, archive };
  }

  /** Writes what `prepare` made: the old rows archived before the new take their slots. */
  async apply(tx: DbOrTx, planned: MeteredPlan): Promise<void> {
    await repo.archive(
      tx,
      planned.archive.map((r) => r.id),
    );
    await repo.insert(tx, planned.insert);
  }

  /** After a failed plan write, the metered prices just made are archived again (best effort). */
  async abandon(planned: MeteredPlan): Promise<void> {
    for (const row of planned.insert) {
      await this.deps.meters
        .archivePrice(row.stripePriceId, stripeIdempotencyKey('abandon', undefined, row.stripePriceId))
        .catch((error: unknown) =>
          this.deps.logger.error(
            { err: error, priceId: row.stripePriceId },
            'could not archive a metered price',
          ),
        );
    }
  }
}
