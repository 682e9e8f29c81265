import type { MovementKind } from '../db/schema/reports.js';

/**
 * How a subscription's MRR change is classified and summed, without I/O: the worker's path
 * (movement-repository.ts) and the tests share it.
 */

/** Stripe statuses whose subscriptions count in MRR: paid up, or a renewal still being retried. */
export const MRR_STATUSES = ['active', 'past_due'] as const;

export interface MrrPosition {
  planId: string | null;
  mrr: number;
  /** Set once the subscription has had MRR: a later return from zero is a reactivation. */
  cohortMonth: string | null;
}

/**
 * `comesBack`: the subscription replaces an ended one of the same customer (Recur's reactivation
 * makes a new Stripe subscription), so its first MRR is a reactivation rather than new business.
 */
export function movementKind(
  before: MrrPosition | null,
  mrrAfter: number,
  comesBack: boolean,
): MovementKind | null {
  const mrrBefore = before?.mrr ?? 0;
  if (mrrAfter === mrrBefore) return null;
  if (mrrBefore === 0) return before?.cohortMonth || comesBack ? 'reactivated' : 'new';
  if (mrrAfter === 0) return 'churned';
  return mrrAfter > mrrBefore ? 'expansion' : 'contraction';
}

export interface MonthChange {
  planId: string;
  newMrr?: number;
  expansionMrr?: number;
  contractionMrr?: number;
  churnedMrr?: number;
  reactivatedMrr?: number;
  transferMrr?: number;
  newCount?: number;
  churnedCount?: number;
  reactivatedCount?: number;
  transferCount?: number;
}

/**
 * What one change adds to the monthly sums, per plan ('' for none). A plan change while paying
 * first moves the old MRR to the new plan, so each plan's running sum stays its own MRR.
 */
export function monthChanges(
  before: MrrPosition | null,
  after: { planId: string | null; mrr: number },
  kind: MovementKind | null,
): MonthChange[] {
  const mrrBefore = before?.mrr ?? 0;
  const oldPlan = before?.planId ?? '';
  const newPlan = after.planId ?? '';
  switch (kind) {
    case 'new':
      return [{ planId: newPlan, newMrr: after.mrr, newCount: 1 }];
    case 'reactivated':
      return [{ planId: newPlan, reactivatedMrr: after.mrr, reactivatedCount: 1 }];
    case 'churned':
      return [{ planId: oldPlan, churnedMrr: mrrBefore, churnedCount: 1 }];
  }
  const changes: MonthChange[] = [];
  if (mrrBefore > 0 && oldPlan !== newPlan) {
    changes.push(
      { planId: oldPlan, transferMrr: -mrrBefore, transferCount: -1 },
      { planId: newPlan, transferMrr: mrrBefore, transferCount: 1 },
    );
  }
  if (kind === 'expansion') changes.push({ planId: newPlan, expansionMrr: after.mrr - mrrBefore });
  if (kind === 'contraction') changes.push({ planId: newPlan, contractionMrr: mrrBefore - after.mrr });
  return changes;
}

/** The first day of the UTC month of `at`, as `YYYY-MM-01`. */
export function monthOf(at: Date): string {
  return `${at.toISOString().slice(0, 7)}-01`;
}

/** Whole months from one `YYYY-MM-01` to another. */
export function monthsBetween(from: string, to: string): number {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
  return index(to) - index(from);
}
