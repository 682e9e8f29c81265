import type { DbOrTx } from '../db/client.js';
import { ConflictError } from '../http/errors.js';
import { checkBenefitTypes, checkLookupKeysFree, checkNotDuplicate } from './catalog-checks.js';
import { checkOneTimeTerms, checkPlanKind, checkPriceKind, requestedKind } from './kinds.js';
import { checkOveragePrices } from './metered-prices.js';
import { planRepository as repo } from './repository.js';
import { checkBenefits, checkDistinctSlots, checkPlanKey, checkPrice, checkTrialDays } from './rules.js';
import type { CreatePlanInput } from './schemas.js';

/**
 * Everything a new plan must satisfy before anything is written to Stripe: its own terms, then what
 * the catalog already holds (its key, lookup keys, benefit types, a look-alike plan unless `force`).
 * Answers the plan's kind columns.
 */
export async function checkNewPlan(db: DbOrTx, input: CreatePlanInput) {
  checkPlanKey(input.key);
  checkTrialDays(input.trial_days);
  checkBenefits(input.benefits);
  checkOneTimeTerms({ kind: input.kind, trialDays: input.trial_days, perSeat: input.per_seat ?? false });
  for (const [i, price] of input.prices.entries()) {
    checkPriceKind(price, input.kind, `prices.${i}`);
    checkPrice(price, `prices.${i}`, input.per_seat);
  }
  checkDistinctSlots(input.prices);
  checkOveragePrices(
    input.benefits,
    input.prices.map((p) => p.currency),
  );
  if (await repo.findByKey(db, input.key)) {
    throw new ConflictError('plan_key_taken', `A plan with key '${input.key}' already exists`, {
      field: 'key',
    });
  }
  await checkLookupKeysFree(
    db,
    input.prices.map((p) => p.lookup_key),
  );
  await checkBenefitTypes(db, input.benefits);
  const kind = await checkPlanKind(db, requestedKind(input), null);
  if (!input.force) {
    for (const price of input.prices) await checkNotDuplicate(db, price, input.benefits);
  }
  return kind;
}
