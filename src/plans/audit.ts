import { recordAudit } from '../audit/record.js';
import type { Tx } from '../db/client.js';
import { type PlanWithPrices, type PriceRow, planRepository as repo } from './repository.js';
import { toPlanView, toPriceView } from './views.js';

function planFacts(plan: PlanWithPrices): Record<string, unknown> {
  const { created_at: _c, updated_at: _u, prices, ...facts } = toPlanView(plan);
  return { ...facts, prices: prices.map((p) => p.id) };
}

function priceFacts(price: PriceRow): Record<string, unknown> {
  const { created_at: _c, ...facts } = toPriceView(price);
  return facts;
}

/** Records a plan's write with the plan as it was and as the transaction leaves it. */
export async function recordPlanWrite(
  tx: Tx,
  action: string,
  planId: string,
  before: PlanWithPrices | null,
): Promise<void> {
  const after = await repo.findById(tx, planId);
  await recordAudit(tx, {
    action,
    objectType: 'plan',
    objectId: planId,
    before: before && planFacts(before),
    after: after && planFacts(after),
  });
}

/** Records a price's write: the price as it was (null for a new one) and as it is now. */
export async function recordPriceWrite(
  tx: Tx,
  action: string,
  planId: string,
  priceId: string,
  before: PriceRow | null,
): Promise<void> {
  const after = await repo.findPrice(tx, planId, priceId);
  await recordAudit(tx, {
    action,
    objectType: 'price',
    objectId: after?.id ?? before?.id ?? priceId,
    before: before && priceFacts(before),
    after: after && priceFacts(after),
  });
}
