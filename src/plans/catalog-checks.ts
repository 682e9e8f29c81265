import type { DbOrTx } from '../db/client.js';
import { uniqueViolation } from '../db/errors.js';
import type { Benefit } from '../db/schema/plans.js';
import { ConflictError } from '../http/errors.js';
import { planRepository as repo } from './repository.js';
import { benefitType } from './rules.js';
import type { PriceInput } from './schemas.js';
import { toTiers } from './views.js';

/** The catalog rules that look at the rest of the catalog: each failure is a 409 with its own code. */

export async function checkLookupKeysFree(db: DbOrTx, keys: Array<string | undefined>): Promise<void> {
  const wanted = keys.filter((k): k is string => k !== undefined);
  const taken = await repo.takenLookupKeys(db, wanted);
  if (taken.length > 0) {
    throw new ConflictError('lookup_key_taken', `Lookup key '${taken[0]}' is already used by another price`, {
      lookup_keys: taken,
    });
  }
}

export async function checkBenefitTypes(
  db: DbOrTx,
  benefits: Benefit[],
  excludePlanId?: string,
): Promise<void> {
  const existing = await repo.benefitTypes(db, excludePlanId);
  for (const benefit of benefits) {
    const other = existing.find(
      (e) => e.key === benefit.key && benefitType(e.value as Benefit['value']) !== benefitType(benefit.value),
    );
    if (other) {
      throw new ConflictError(
        'benefit_type_changed',
        `Benefit '${benefit.key}' is a ${benefitType(other.value as Benefit['value'])} in plan '${other.planKey}', not a ${benefitType(benefit.value)}`,
        { field: 'benefits', key: benefit.key },
      );
    }
  }
}

/** Same price and same benefits as another active plan is almost always a mistake. */
export async function checkNotDuplicate(
  db: DbOrTx,
  price: PriceInput,
  benefits: Benefit[],
  excludePlanId?: string,
): Promise<void> {
  const twins = await repo.plansWithSamePrice(
    db,
    {
      currency: price.currency,
      unitAmount: price.unit_amount ?? null,
      tiersMode: price.tiers_mode ?? null,
      tiers: toTiers(price.tiers),
      interval: price.interval ?? null,
      intervalCount: price.interval_count,
    },
    excludePlanId,
  );
  const signature = benefitSignature(benefits);
  const twin = twins.find((plan) => benefitSignature(plan.benefits) === signature);
  if (twin) {
    throw new ConflictError(
      'likely_duplicate_plan',
      `Plan '${twin.key}' already has this price with the same benefits; send force: true to create it anyway`,
      { plan_id: twin.id, plan_key: twin.key },
    );
  }
}

export function conflictFromUniqueViolation(error: unknown): unknown {
  const constraint = uniqueViolation(error);
  if (!constraint) return error;
  if (constraint.includes('key')) {
    return new ConflictError(
      constraint.includes('lookup') ? 'lookup_key_taken' : 'plan_key_taken',
      'Another request took this key at the same moment',
    );
  }
  if (constraint.includes('slot'))
    return new ConflictError('price_slot_taken', 'Another request added this price at the same moment');
  return new ConflictError('conflict', 'The change conflicts with a concurrent one; retry');
}

function benefitSignature(benefits: Benefit[]): string {
  return JSON.stringify(
    [...benefits].sort((a, b) => a.key.localeCompare(b.key)).map((b) => [b.key, b.value]),
  );
}
