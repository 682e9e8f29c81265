import { lastSequence, userSubject } from '../app-webhooks/outbox.js';
import type { Db } from '../db/client.js';
import type { BenefitValue } from '../db/schema/plans.js';
import {
  type RecurStatus,
  recurStatus,
  type StripeStatus,
  stripeStatusShown,
} from '../subscriptions/status.js';
import { entitlementRepository } from './repository.js';
import { accessOf, mergeBenefits, type SubscriptionAccess } from './rules.js';

export interface Entitlements {
  user_id: string;
  benefits: Record<string, BenefitValue>;
  subscriptions: Array<{
    id: string;
    plan_id: string | null;
    status: RecurStatus;
    stripe_status: StripeStatus | null;
    access_until: string | null;
  }>;
  as_of: string;
  sequence: number;
}

/**
 * What a user may do, answered from the mirror alone: it is asked on every request of the host
 * app, so it never waits on Stripe, and it is as fresh as the last webhook applied.
 */
export class EntitlementService {
  constructor(private readonly deps: { db: Db; graceDays: number }) {}

  async forUser(userId: string, now = new Date()): Promise<Entitlements> {
    // The sequence first: the set read after it is at least as new as every message it numbers.
    const sequence = await lastSequence(this.deps.db, userSubject(userId));
    const candidates = await entitlementRepository.candidates(this.deps.db, userId);
    return {
      user_id: userId,
      ...entitlementsFrom(candidates, now, this.deps.graceDays),
      as_of: now.toISOString(),
      sequence,
    };
  }
}

/**
 * The benefits and granting subscriptions of a user's candidates at `now`: the one rule both the
 * API's answer and the `entitlements.updated` message follow, so the two always agree.
 */
export function entitlementsFrom(
  candidates: SubscriptionAccess[],
  now: Date,
  graceDays: number,
): Pick<Entitlements, 'benefits' | 'subscriptions'> {
  const granting = candidates
    .map((sub) => ({ sub, access: accessOf(sub, now, graceDays) }))
    .filter(({ access }) => access.granted);
  return {
    benefits: mergeBenefits(granting.map(({ sub }) => sub.benefits)),
    subscriptions: granting.map(({ sub, access }) => ({
      id: sub.id,
      plan_id: sub.planId,
      status: recurStatus(sub.status, sub.paymentActionRequired === true),
      stripe_status: stripeStatusShown(sub),
      access_until: access.until?.toISOString() ?? null,
    })),
  };
}
