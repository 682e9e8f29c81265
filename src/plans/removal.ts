import type { Logger } from 'pino';
import type { Db, DbOrTx } from '../db/client.js';
import { purchaseRepository } from '../purchases/repository.js';
import { type StripeCatalog, stripeIdempotencyKey } from '../stripe/index.js';
import { recordPlanWrite } from './audit.js';
import { type PlanWithPrices, planRepository as repo } from './repository.js';
import type { PlanView } from './schemas.js';
import type { WriteContext } from './service.js';
import { toPlanView } from './views.js';

/**
 * Removes a plan: archived (product and prices inactive, `archiveMetered` its metered prices) when it
 * ever had a subscriber or a purchase, so its history stays whole; else deleted here, while Stripe,
 * which keeps products that have prices, has it archived and marked deleted, which a sync respects.
 */
export async function removePlan(
  deps: { db: Db; catalog: StripeCatalog; logger: Logger },
  plan: PlanWithPrices,
  ctx: WriteContext,
  archiveMetered: (tx: DbOrTx) => Promise<void>,
): Promise<{ id: string; result: 'deleted' | 'archived'; plan: PlanView | null }> {
  const { catalog, db } = deps;
  const everSubscribed =
    plan.kind === 'one_time'
      ? await purchaseRepository.anyOfPlan(db, plan.id)
      : await catalog.anySubscriptionOn(plan.prices.map((p) => p.stripePriceId));
  const scope = `plan.delete.${plan.id}`;
  for (const price of plan.prices.filter((p) => p.active)) {
    await catalog.setPriceActive(
      price.stripePriceId,
      false,
      stripeIdempotencyKey(scope, ctx.idempotencyKey, price.id),
    );
  }
  const product = await catalog.setProductActive(
    plan.stripeProductId,
    false,
    stripeIdempotencyKey(scope, ctx.idempotencyKey, 'product'),
    !everSubscribed,
  );
  if (everSubscribed) {
    await db.transaction(async (tx) => {
      await repo.archivePrices(
        tx,
        plan.prices.map((p) => p.id),
      );
      await archiveMetered(tx);
      await repo.updatePlan(tx, plan.id, {
        status: 'archived',
        stripeUpdatedAt: new Date(product.updated * 1000),
      });
      await recordPlanWrite(tx, 'plan.archive', plan.id, plan);
    });
  } else {
    await db.transaction(async (tx) => {
      await repo.deletePlan(tx, plan.id);
      await recordPlanWrite(tx, 'plan.delete', plan.id, plan);
    });
  }
  deps.logger.info({ planId: plan.id, result: everSubscribed ? 'archived' : 'deleted' }, 'plan removed');
  return everSubscribed
    ? { id: plan.id, result: 'archived', plan: toPlanView((await repo.findById(db, plan.id))!) }
    : { id: plan.id, result: 'deleted', plan: null };
}
