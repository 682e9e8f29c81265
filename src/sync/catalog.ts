import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { Db, DbOrTx } from '../db/client.js';
import { type Benefit, PRICE_INTERVALS, type PriceTier } from '../db/schema/plans.js';
import { planRepository as repo } from '../plans/repository.js';
import { SLUG } from '../plans/rules.js';
import type { PlanService } from '../plans/service.js';
import { newId } from '../shared/ids.js';
import {
  DELETED_METADATA,
  PLAN_ID_METADATA,
  PLAN_KEY_METADATA,
  type StripeCatalog,
} from '../stripe/index.js';

export type CatalogObject = 'products' | 'prices';

export interface SyncCounts {
  seen: number;
  created: number;
  updated: number;
  skipped: number;
}

export type SyncProgress = (object: CatalogObject, counts: SyncCounts) => void;

/**
 * Imports the catalog from Stripe, so plans made or edited in the Stripe Dashboard appear here.
 * Stripe is the truth for names, activity and prices; benefits of Recur's own plans stay Recur's
 * (Stripe only holds their labels), while products made elsewhere get theirs from marketing features.
 */
export class CatalogSync {
  constructor(
    private readonly deps: { db: Db; catalog: StripeCatalog; plans: PlanService; logger: Logger },
  ) {}

  async run(
    objects: CatalogObject[],
    onProgress: SyncProgress = () => {},
  ): Promise<Record<CatalogObject, SyncCounts | null>> {
    const result: Record<CatalogObject, SyncCounts | null> = { products: null, prices: null };
    if (objects.includes('products')) result.products = await this.syncProducts(onProgress);
    if (objects.includes('prices')) result.prices = await this.syncPrices(onProgress);
    await this.deps.plans.invalidateCache();
    this.deps.logger.info({ result }, 'catalog sync finished');
    return result;
  }

  private async syncProducts(onProgress: SyncProgress): Promise<SyncCounts> {
    const counts: SyncCounts = { seen: 0, created: 0, updated: 0, skipped: 0 };
    for await (const product of this.deps.catalog.allProducts()) {
      counts.seen++;
      counts[await this.applyProduct(product)]++;
      onProgress('products', counts);
    }
    return counts;
  }

  private async syncPrices(onProgress: SyncProgress): Promise<SyncCounts> {
    const counts: SyncCounts = { seen: 0, created: 0, updated: 0, skipped: 0 };
    for await (const price of this.deps.catalog.allPrices()) {
      counts.seen++;
      counts[await this.applyPrice(price)]++;
      onProgress('prices', counts);
    }
    return counts;
  }

  /**
   * Idempotent, and older snapshots never win. A product that Recur itself made (it carries a plan id)
   * but does not know yet is being written by the plan service right now, or is the leftover of a
   * write that failed: webhooks leave it alone (`adoptOwn: false`); a backfill adopts it.
   */
  async applyProduct(
    product: Stripe.Product,
    db: DbOrTx = this.deps.db,
    options: { adoptOwn: boolean } = { adoptOwn: true },
  ): Promise<'created' | 'updated' | 'skipped'> {
    const existing = await repo.findByStripeProductId(db, product.id);
    const deleted = product.metadata[DELETED_METADATA] === 'true';
    const updatedAt = new Date(product.updated * 1000);
    if (existing) {
      if (deleted) {
        await repo.deletePlan(db, existing.id);
        return 'updated';
      }
      if (existing.stripeUpdatedAt && existing.stripeUpdatedAt > updatedAt) return 'skipped';
      const ownPlan = product.metadata[PLAN_ID_METADATA] === existing.id;
      const fields = {
        name: product.name,
        description: product.description,
        status: product.active ? ('active' as const) : ('archived' as const),
        ...(ownPlan ? {} : { benefits: benefitsFromFeatures(product) }),
      };
      const unchanged =
        fields.name === existing.name &&
        fields.description === existing.description &&
        fields.status === existing.status &&
        (fields.benefits === undefined ||
          JSON.stringify(fields.benefits) === JSON.stringify(existing.benefits));
      if (unchanged && existing.stripeUpdatedAt?.getTime() === updatedAt.getTime()) return 'skipped';
      await repo.updatePlan(db, existing.id, { ...fields, stripeUpdatedAt: updatedAt });
      return unchanged ? 'skipped' : 'updated';
    }
    const ownProduct = Boolean(product.metadata[PLAN_ID_METADATA]);
    if (deleted || (ownProduct && (!product.active || !options.adoptOwn))) return 'skipped';
    await repo.insertPlan(db, {
      id: product.metadata[PLAN_ID_METADATA] ?? newId('plan'),
      key: await this.freeKey(db, product.metadata[PLAN_KEY_METADATA] ?? slugify(product.name)),
      name: product.name,
      description: product.description,
      benefits: benefitsFromFeatures(product),
      status: product.active ? 'active' : 'archived',
      stripeProductId: product.id,
      stripeUpdatedAt: updatedAt,
    });
    return 'created';
  }

  async applyPrice(
    price: Stripe.Price,
    db: DbOrTx = this.deps.db,
  ): Promise<'created' | 'updated' | 'skipped'> {
    // Metered prices bill a plan's overage (plan_metered_prices): kept apart from the plan's prices.
    if (price.recurring?.usage_type === 'metered') return 'skipped';
    const productId = typeof price.product === 'string' ? price.product : price.product.id;
    const plan = await repo.findByStripeProductId(db, productId);
    if (!plan) return 'skipped';
    // A one-time price belongs to a one-time plan only (and a recurring one never does); other
    // one-time prices stay in Stripe for other uses.
    if ((price.recurring === null) !== (plan.kind === 'one_time')) return 'skipped';
    const existing = await repo.findPriceByStripeId(db, price.id);
    if (existing?.active === price.active && existing.lookupKey === price.lookup_key) return 'skipped';
    // A lookup key moves between prices in Stripe; whoever holds it here lets go first.
    if (price.lookup_key) await repo.releaseLookupKey(db, price.lookup_key);
    if (existing) {
      await repo.updatePrice(db, existing.id, {
        active: price.active,
        lookupKey: price.lookup_key,
        archivedAt: price.active ? null : (existing.archivedAt ?? new Date()),
      });
      return 'updated';
    }
    const tiers: PriceTier[] | null =
      price.billing_scheme === 'tiered'
        ? (price.tiers ?? []).map((t) => ({
            upTo: t.up_to,
            unitAmount: t.unit_amount,
            flatAmount: t.flat_amount,
          }))
        : null;
    await repo.upsertPrices(db, [
      {
        id: newId('pp'),
        planId: plan.id,
        stripePriceId: price.id,
        currency: price.currency,
        unitAmount: tiers ? null : (price.unit_amount ?? 0),
        billingScheme: tiers ? 'tiered' : 'per_unit',
        tiersMode: price.tiers_mode as 'graduated' | 'volume' | null,
        tiers,
        interval: PRICE_INTERVALS.find((i) => i === price.recurring?.interval) ?? null,
        intervalCount: price.recurring?.interval_count ?? 1,
        lookupKey: price.lookup_key,
        active: price.active,
        createdAt: new Date(price.created * 1000),
        archivedAt: price.active ? null : new Date(),
      },
    ]);
    return 'created';
  }

  async knowsProduct(productId: string, db: DbOrTx = this.deps.db): Promise<boolean> {
    return (await repo.findByStripeProductId(db, productId)) !== null;
  }

  /** Called when Stripe says a product is gone (only products without prices can be deleted). */
  async removeProduct(productId: string, db: DbOrTx = this.deps.db): Promise<void> {
    const plan = await repo.findByStripeProductId(db, productId);
    if (plan) await repo.deletePlan(db, plan.id);
  }

  async deactivatePrice(priceId: string, db: DbOrTx = this.deps.db): Promise<void> {
    const price = await repo.findPriceByStripeId(db, priceId);
    if (price?.active) await repo.archivePrices(db, [price.id]);
  }

  private async freeKey(db: DbOrTx, base: string): Promise<string> {
    const root = SLUG.test(base) ? base.slice(0, 56) : 'plan';
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? root : `${root}-${n}`;
      if (!(await repo.findByKey(db, candidate))) return candidate;
    }
  }
}

export function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 56) || 'plan'
  );
}

/** A Dashboard product's marketing features become flag benefits ("Priority support" → priority-support). */
function benefitsFromFeatures(product: Stripe.Product): Benefit[] {
  const seen = new Set<string>();
  const benefits: Benefit[] = [];
  for (const feature of product.marketing_features ?? []) {
    const key = slugify(feature.name ?? '');
    if (!feature.name || seen.has(key)) continue;
    seen.add(key);
    benefits.push({ key, value: true });
  }
  return benefits;
}
