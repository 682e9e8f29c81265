import type { Logger } from 'pino';
import { type ChangeAnnouncer, customersOnPlan } from '../app-webhooks/announcements.js';
import { wantedTypes } from '../app-webhooks/wanted-types.js';
import type { Cache } from '../cache/port.js';
import type { Db } from '../db/client.js';
import { ConflictError, NotFoundError } from '../http/errors.js';
import { lockObjects } from '../mirror/locks.js';
import type { Metrics } from '../observability/metrics.js';
import { newId } from '../shared/ids.js';
import { type StripeCatalog, stripeIdempotencyKey } from '../stripe/index.js';
import { recordPlanWrite, recordPriceWrite } from './audit.js';
import {
  checkBenefitTypes,
  checkLookupKeysFree,
  checkNotDuplicate,
  conflictFromUniqueViolation,
} from './catalog-checks.js';
import { checkOneTimeTerms, checkPlanKind, checkPriceKind, kindAfter } from './kinds.js';
import { checkOveragePrices, MeteredCatalog, type MeteredPlan, slotsOf } from './metered-prices.js';
import { checkNewPlan } from './new-plan-checks.js';
import { checkPerSeatChange } from './per-seat.js';
import { activePriceOf, assertPlanActive } from './plan-state.js';
import { PublicCatalog } from './public-catalog.js';
import { removePlan } from './removal.js';
import { type NewPriceRow, type PlanWithPrices, planRepository as repo } from './repository.js';
import { checkBenefits, checkPlanKey, checkPrice, checkTrialDays, slotOf } from './rules.js';
import type { CreatePlanInput, PlanView, PriceAmountChange, PriceInput, UpdatePlanInput } from './schemas.js';
import { abandonStripeObjects, createStripePrice } from './stripe-writes.js';
import { toPlanView } from './views.js';

export interface WriteContext {
  /** The caller's Idempotency-Key: Stripe keys derive from it, so a retried request replays Stripe. */
  idempotencyKey?: string | undefined;
}

interface PlanServiceDeps {
  db: Db;
  catalog: StripeCatalog;
  cache: Cache;
  cacheTtlSeconds: number;
  /** The operator's cache switch (settings); off, the public catalog is read from the database. */
  cacheEnabled?: () => Promise<boolean>;
  metrics: Metrics;
  logger: Logger;
  /** Tells the subscribers' apps when a plan's benefits change. */
  announcer: ChangeAnnouncer;
  /** With Stripe Tax on, why a price made now could not be taxed (refused here, not at Checkout). */
  newPriceTaxRefusal?: () => Promise<string | null>;
}

/**
 * The plan catalog. Every write goes to Stripe first, with an idempotency key, and only then to the
 * database in one transaction: when Stripe fails nothing changes here, and when the database then
 * refuses (a race lost on a unique key) the Stripe objects just made are archived again.
 */
export class PlanService {
  private readonly publicCatalog: PublicCatalog;
  private readonly metered: MeteredCatalog;

  constructor(private readonly deps: PlanServiceDeps) {
    this.publicCatalog = new PublicCatalog(deps);
    this.metered = new MeteredCatalog({ db: deps.db, meters: deps.catalog.meters, logger: deps.logger });
  }

  listActive(): Promise<PlanView[]> {
    return this.publicCatalog.read();
  }

  async list(status: 'active' | 'archived' | 'all'): Promise<PlanView[]> {
    if (status === 'active') return this.listActive();
    return (await repo.list(this.deps.db, status)).map(toPlanView);
  }

  async get(id: string, options: { includeArchived: boolean }): Promise<PlanView> {
    const plan = await this.find(id);
    if (plan.status === 'archived' && !options.includeArchived) throw new NotFoundError('Plan', id);
    return toPlanView(plan);
  }

  async create(input: CreatePlanInput, ctx: WriteContext): Promise<PlanView> {
    const { db, catalog } = this.deps;
    const kind = await checkNewPlan(db, input);
    await this.assertNewPricesTaxable();
    const planId = newId('plan');
    const scope = `plan.create.${input.key}`;
    const product = await catalog.createProduct(
      {
        planId,
        key: input.key,
        name: input.name,
        description: input.description ?? null,
        benefits: input.benefits,
      },
      stripeIdempotencyKey(scope, ctx.idempotencyKey, 'product'),
    );
    const priceRows: NewPriceRow[] = [];
    let metered: MeteredPlan | null = null;
    try {
      for (const [i, price] of input.prices.entries()) {
        priceRows.push(
          await createStripePrice(
            this.deps.catalog,
            planId,
            product.id,
            price,
            stripeIdempotencyKey(scope, ctx.idempotencyKey, `price.${i}`),
          ),
        );
      }
      const slots = slotsOf(input.prices);
      const plan = { id: planId, productId: product.id, benefits: input.benefits, slots };
      metered = await this.metered.prepare(plan, scope, ctx.idempotencyKey);
      await db.transaction(async (tx) => {
        await repo.insertPlan(tx, {
          id: planId,
          key: input.key,
          name: input.name,
          description: input.description ?? null,
          benefits: input.benefits,
          trialDays: input.trial_days,
          perSeat: input.per_seat ?? false,
          ...kind,
          stripeProductId: product.id,
          stripeUpdatedAt: new Date(product.updated * 1000),
        });
        await repo.upsertPrices(tx, priceRows);
        await this.metered.apply(tx, metered!);
        await recordPlanWrite(tx, 'plan.create', planId, null);
      });
    } catch (error) {
      if (metered) await this.metered.abandon(metered);
      await abandonStripeObjects(
        this.deps.catalog,
        this.deps.logger,
        product.id,
        priceRows.map((p) => p.stripePriceId),
      );
      throw conflictFromUniqueViolation(error);
    }
    this.deps.logger.info({ planId, productId: product.id, prices: priceRows.length }, 'plan created');
    return this.changed(planId);
  }

  async update(id: string, input: UpdatePlanInput, ctx: WriteContext): Promise<PlanView> {
    const plan = await this.find(id);
    const next = {
      key: input.key ?? plan.key,
      name: input.name ?? plan.name,
      description: input.description === undefined ? plan.description : input.description,
      benefits: input.benefits ?? plan.benefits,
      trialDays: input.trial_days ?? plan.trialDays,
      perSeat: input.per_seat ?? plan.perSeat,
      ...(await checkPlanKind(this.deps.db, kindAfter(plan, input), plan)),
    };
    checkPlanKey(next.key);
    checkTrialDays(next.trialDays);
    checkBenefits(next.benefits);
    checkOneTimeTerms(next);
    const { db, catalog } = this.deps;
    if (next.key !== plan.key && (await repo.findByKey(db, next.key))) {
      throw new ConflictError('plan_key_taken', `A plan with key '${next.key}' already exists`, {
        field: 'key',
      });
    }
    await checkBenefitTypes(this.deps.db, next.benefits, plan.id);
    await checkPerSeatChange(db, plan, input.per_seat);
    const live = plan.prices.filter((p) => p.active);
    checkOveragePrices(
      next.benefits,
      live.map((p) => p.currency),
    );
    const product = await catalog.updateProduct(
      plan.stripeProductId,
      {
        planId: plan.id,
        key: next.key,
        name: next.name,
        description: next.description,
        benefits: next.benefits,
      },
      stripeIdempotencyKey(`plan.update.${plan.id}`, ctx.idempotencyKey, 'product'),
    );
    const metered = await this.metered.prepare(
      { id: plan.id, productId: plan.stripeProductId, benefits: next.benefits, slots: slotsOf(live) },
      `plan.update.${plan.id}`,
      ctx.idempotencyKey,
    );
    try {
      await db.transaction(async (tx) => {
        const write = async () => {
          await repo.updatePlan(tx, plan.id, { ...next, stripeUpdatedAt: new Date(product.updated * 1000) });
          await this.metered.apply(tx, metered);
          await recordPlanWrite(tx, 'plan.update', plan.id, plan);
        };
        if (JSON.stringify(next.benefits) === JSON.stringify(plan.benefits)) return write();
        // New benefits change every subscriber's entitlements: each user is told, with the write.
        const { announcer } = this.deps;
        const subscribers = (await wantedTypes(tx)).has('entitlements.updated')
          ? await customersOnPlan(tx, plan.id)
          : [];
        await lockObjects(tx, subscribers);
        await announcer.around(
          tx,
          { customers: subscribers },
          { key: `api:${newId('chg')}`, at: new Date() },
          write,
        );
      });
    } catch (error) {
      throw conflictFromUniqueViolation(error);
    }
    return this.changed(plan.id);
  }

  async addPrice(id: string, input: PriceInput & { force: boolean }, ctx: WriteContext): Promise<PlanView> {
    const plan = await this.find(id);
    assertPlanActive(plan);
    checkPriceKind(input, plan.kind, 'price');
    checkPrice(input, 'price', plan.perSeat);
    const slot = slotOf(input);
    if (plan.prices.some((p) => p.active && slotOf(p) === slot)) {
      throw new ConflictError(
        'price_slot_taken',
        input.interval
          ? `The plan already has an active ${input.currency.toUpperCase()} price every ${input.interval_count} ${input.interval}; change its amount instead`
          : `The plan already has an active one-time ${input.currency.toUpperCase()} price; change its amount instead`,
      );
    }
    await checkLookupKeysFree(this.deps.db, [input.lookup_key]);
    checkOveragePrices(plan.benefits, [input.currency]);
    if (!input.force) await checkNotDuplicate(this.deps.db, input, plan.benefits, plan.id);
    await this.assertNewPricesTaxable();
    const row = await createStripePrice(
      this.deps.catalog,
      plan.id,
      plan.stripeProductId,
      input,
      stripeIdempotencyKey(`plan.price.add.${plan.id}`, ctx.idempotencyKey, slot),
    );
    const metered = await this.meteredFor(plan, [...plan.prices.filter((p) => p.active), row], ctx, 'add');
    try {
      await this.deps.db.transaction(async (tx) => {
        await repo.upsertPrices(tx, [row]);
        await this.metered.apply(tx, metered);
        await recordPriceWrite(tx, 'price.create', plan.id, row.stripePriceId, null);
      });
    } catch (error) {
      await abandonStripeObjects(this.deps.catalog, this.deps.logger, null, [row.stripePriceId]);
      await this.metered.abandon(metered);
      throw conflictFromUniqueViolation(error);
    }
    return this.changed(plan.id);
  }

  /**
   * Stripe prices are immutable: a new amount is a new price, which takes over the lookup key, and
   * the old one is archived. Subscribers on the old price keep paying it.
   */
  async changePriceAmount(
    id: string,
    priceId: string,
    input: PriceAmountChange,
    ctx: WriteContext,
  ): Promise<PlanView> {
    const plan = await this.find(id);
    assertPlanActive(plan);
    const old = activePriceOf(plan, priceId);
    const replacement: PriceInput = {
      currency: old.currency,
      interval: old.interval ?? undefined,
      interval_count: old.intervalCount,
      unit_amount: input.unit_amount,
      tiers: input.tiers,
      tiers_mode: input.tiers_mode,
      lookup_key: old.lookupKey ?? undefined,
    };
    checkPrice(replacement, 'price', plan.perSeat);
    if (!input.force) await checkNotDuplicate(this.deps.db, replacement, plan.benefits, plan.id);
    const scope = `plan.price.change.${old.id}`;
    await this.assertNewPricesTaxable();
    const row = await createStripePrice(
      this.deps.catalog,
      plan.id,
      plan.stripeProductId,
      replacement,
      stripeIdempotencyKey(scope, ctx.idempotencyKey, 'create'),
      {
        transferLookupKey: old.lookupKey !== null,
        replaces: old.id,
      },
    );
    await this.deps.catalog.setPriceActive(
      old.stripePriceId,
      false,
      stripeIdempotencyKey(scope, ctx.idempotencyKey, 'archive'),
    );
    await this.deps.db.transaction(async (tx) => {
      // The lookup key moved with the new price in Stripe; free it here before the insert takes it.
      await repo.updatePrice(tx, old.id, { lookupKey: null });
      await repo.archivePrices(tx, [old.id]);
      await repo.upsertPrices(tx, [row]);
      await recordPriceWrite(tx, 'price.archive', plan.id, old.id, old);
      await recordPriceWrite(tx, 'price.create', plan.id, row.stripePriceId, null);
    });
    return this.changed(plan.id);
  }

  async archivePrice(id: string, priceId: string, ctx: WriteContext): Promise<PlanView> {
    const plan = await this.find(id);
    const price = activePriceOf(plan, priceId);
    if (plan.status === 'active' && plan.prices.filter((p) => p.active).length === 1) {
      throw new ConflictError(
        'last_active_price',
        'An active plan keeps at least one active price: add another first, or archive the plan',
      );
    }
    await this.deps.catalog.setPriceActive(
      price.stripePriceId,
      false,
      stripeIdempotencyKey(`plan.price.archive.${price.id}`, ctx.idempotencyKey, 'archive'),
    );
    const rest = plan.prices.filter((p) => p.active && p.id !== price.id);
    const metered = await this.meteredFor(plan, rest, ctx, `archive.${price.id}`);
    await this.deps.db.transaction(async (tx) => {
      await repo.archivePrices(tx, [price.id]);
      await this.metered.apply(tx, metered);
      await recordPriceWrite(tx, 'price.archive', plan.id, price.id, price);
    });
    return this.changed(plan.id);
  }

  /**
   * A plan that ever had a subscriber is archived (product and prices inactive), so its history
   * stays whole. One that never had one is deleted here (see removePlan).
   */
  async delete(
    id: string,
    ctx: WriteContext,
  ): Promise<{ id: string; result: 'deleted' | 'archived'; plan: PlanView | null }> {
    const plan = await this.find(id);
    const metered = await this.meteredFor(plan, [], ctx, 'delete');
    const removed = await removePlan(this.deps, plan, ctx, (tx) => this.metered.apply(tx, metered));
    await this.invalidateCache();
    return removed;
  }

  invalidateCache(): Promise<void> {
    return this.publicCatalog.invalidate();
  }

  /** After a write: the public catalog forgets its copy, and the plan is read back as it now is. */
  private async changed(planId: string): Promise<PlanView> {
    await this.invalidateCache();
    return toPlanView((await repo.findById(this.deps.db, planId))!);
  }

  /** The metered prices the plan's billed benefits want for these licensed prices, made in Stripe. */
  private meteredFor(plan: PlanWithPrices, prices: NewPriceRow[], ctx: WriteContext, step: string) {
    const slots = slotsOf(prices);
    const target = { id: plan.id, productId: plan.stripeProductId, benefits: plan.benefits, slots };
    return this.metered.prepare(target, `plan.metered.${step}.${plan.id}`, ctx.idempotencyKey);
  }

  private async find(id: string): Promise<PlanWithPrices> {
    const plan = await repo.findByIdOrKey(this.deps.db, id);
    if (!plan) throw new NotFoundError('Plan', id);
    return plan;
  }

  private async assertNewPricesTaxable(): Promise<void> {
    const reason = await this.deps.newPriceTaxRefusal?.();
    if (reason) throw new ConflictError('tax_not_ready', reason, { reasons: [reason] });
  }
}
