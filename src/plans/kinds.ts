import type { DbOrTx } from '../db/client.js';
import { ConflictError, ValidationError } from '../http/errors.js';
import { liveSubscriptions } from '../subscriptions/live.js';
import { type PlanRow, planRepository as repo } from './repository.js';

export type PlanKind = PlanRow['kind'];

/**
 * A plan's kind and the base plans an add-on requires, checked before anything is written: only an
 * add-on requires plans, each an existing base plan (named by id or key, kept by id). A plan's kind
 * cannot change while a subscription to it has not ended (the one-base rule was checked against
 * the old kind), nor can a base plan become an add-on while add-ons require it.
 * Returns the kind with the required plans' ids.
 */
export async function checkPlanKind(
  db: DbOrTx,
  next: { kind: PlanKind; requiresPlans: readonly string[] },
  current: PlanRow | null,
): Promise<{ kind: PlanKind; requiresPlans: string[] }> {
  if (next.kind === 'base' && next.requiresPlans.length > 0)
    throw new ValidationError('requires_plans_on_base', 'Only an add-on may require base plans', {
      field: 'requires_plans',
    });
  const ids: string[] = [];
  for (const [i, wanted] of next.requiresPlans.entries()) {
    const plan = await repo.findByIdOrKey(db, wanted);
    if (!plan)
      throw new ValidationError('unknown_required_plan', `Required plan '${wanted}' does not exist`, {
        field: `requires_plans.${i}`,
        plan_id: wanted,
      });
    if (plan.kind !== 'base')
      throw new ConflictError(
        'required_plan_not_base',
        `Required plan '${wanted}' is an add-on: an add-on may only require base plans`,
        { field: `requires_plans.${i}`, plan_id: plan.id },
      );
    if (!ids.includes(plan.id)) ids.push(plan.id);
  }
  if (current && current.kind !== next.kind) {
    const live = await liveSubscriptions.onPlan(db, current.id);
    if (live)
      throw new ConflictError(
        'plan_kind_locked',
        `Plan '${current.key}' has subscription '${live}', which has not ended: its kind cannot change`,
        { subscription_id: live },
      );
    const dependents = next.kind === 'add_on' ? await repo.addOnsRequiring(db, current.id) : [];
    if (dependents.length > 0)
      throw new ConflictError(
        'plan_required_by_add_ons',
        `Plan '${current.key}' is required by add-ons: it must stay a base plan`,
        { plans: dependents },
      );
  }
  return { kind: next.kind, requiresPlans: ids };
}

export function requestedKind(input: { kind: PlanKind; requires_plans: string[] }) {
  return { kind: input.kind, requiresPlans: input.requires_plans };
}

/** An update's kind: what it says, else the plan's; a plan made a base plan requires nothing. */
export function kindAfter(
  plan: PlanRow,
  input: { kind?: PlanKind | undefined; requires_plans?: string[] | undefined },
): { kind: PlanKind; requiresPlans: string[] } {
  const kind = input.kind ?? plan.kind;
  return {
    kind,
    requiresPlans: input.requires_plans ?? (kind === 'base' ? [] : plan.requiresPlans),
  };
}
