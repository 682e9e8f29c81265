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
  if (next.kind !== 'add_on' && next.requiresPlans.length > 0)
    throw new ValidationError('requires_plans_on_base', 'Only an add-on may require base plans', {
      field: 'requires_plans',
    });
  if (current && current.kind !== next.kind && (current.kind === 'one_time' || next.kind === 'one_time'))
    throw new ConflictError(
      'plan_kind_one_time',
      `Plan '${current.key}' cannot change between one-time and recurring: their prices differ in kind; make another plan`,
      { kind: current.kind },
    );
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

/**
 * A one-time plan is bought once through Checkout in payment mode: it has no trial, is not per
 * seat, and its prices are one-time (no interval); every other plan's prices recur.
 */
export function checkOneTimeTerms(next: { kind: PlanKind; trialDays: number; perSeat: boolean }): void {
  if (next.kind !== 'one_time') return;
  if (next.trialDays > 0)
    throw new ValidationError('one_time_trial', 'A one-time plan has no trial', { field: 'trial_days' });
  if (next.perSeat)
    throw new ValidationError('one_time_per_seat', 'A one-time plan is not per seat', { field: 'per_seat' });
}

/** A price's kind follows its plan's: one-time (no interval) for a `one_time` plan, recurring otherwise. */
export function checkPriceKind(
  price: { interval?: string | undefined; interval_count?: number | undefined },
  kind: PlanKind,
  field: string,
): void {
  if (kind === 'one_time' && (price.interval !== undefined || (price.interval_count ?? 1) !== 1))
    throw new ValidationError(
      'one_time_price_interval',
      'A one-time plan’s prices are charged once: give no interval nor interval_count',
      { field: `${field}.interval` },
    );
  if (kind !== 'one_time' && price.interval === undefined)
    throw new ValidationError('price_interval_required', 'A recurring plan’s price needs an interval', {
      field: `${field}.interval`,
    });
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
    requiresPlans: input.requires_plans ?? (kind === 'add_on' ? plan.requiresPlans : []),
  };
}
