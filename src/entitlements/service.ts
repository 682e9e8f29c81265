import { lastSequence, userSubject } from '../app-webhooks/outbox.js';
import type { Db, DbOrTx } from '../db/client.js';
import type { BenefitValue } from '../db/schema/plans.js';
import { NotFoundError } from '../http/errors.js';
import { organizationRepository } from '../organizations/repository.js';
import {
  type RecurStatus,
  recurStatus,
  type StripeStatus,
  stripeStatusShown,
} from '../subscriptions/status.js';
import { type CreditBalances, type UsageBalance, usageBalances } from '../usage/balances.js';
import { entitlementRepository } from './repository.js';
import { accessOf, mergePayers, type SubscriptionAccess } from './rules.js';
import { readEntitlementSnapshot } from './snapshot.js';

export interface Entitlements {
  user_id: string;
  /** The context asked for; null: the user's own and every organisation's, merged. */
  organization_id: string | null;
  benefits: Record<string, BenefitValue>;
  sources: Record<string, string | null>;
  subscriptions: Array<{
    id: string;
    plan_id: string | null;
    organization_id: string | null;
    status: RecurStatus;
    stripe_status: StripeStatus | null;
    access_until: string | null;
  }>;
  purchases: Array<{ id: string; plan_id: string; organization_id: string | null }>;
  /** Per usage feature, the standing of the payer that gives it. */
  usage: Record<string, UsageBalance>;
  as_of: string;
  sequence: number;
}

/**
 * What a user may do, answered from the mirror alone: it is asked on every request of the host
 * app, so it never waits on Stripe, and it is as fresh as the last webhook applied.
 */
export class EntitlementService {
  constructor(private readonly deps: { db: Db; graceDays: number }) {}

  /**
   * The user's entitlements from their own subscriptions and every organisation's they belong to,
   * or from one organisation's alone (the user must be a member of it, else 404).
   */
  async forUser(userId: string, organizationId?: string, now = new Date()): Promise<Entitlements> {
    const { db, graceDays } = this.deps;
    if (organizationId !== undefined && !(await organizationRepository.member(db, organizationId, userId)))
      throw new NotFoundError('Organization', organizationId);
    if (organizationId === undefined) {
      // The common case, asked on every request of the host app: one statement, one snapshot.
      const { sequence, candidates, credits } = await readEntitlementSnapshot(db, userId, now);
      const set = entitlementsFrom(candidates, now, graceDays);
      return {
        user_id: userId,
        organization_id: null,
        ...set,
        usage: await usageOf(db, userId, undefined, candidates, set.sources, now, graceDays, credits),
        as_of: now.toISOString(),
        sequence,
      };
    }
    // The sequence first: the set read after it is at least as new as every message it numbers.
    const sequence = await lastSequence(db, userSubject(userId));
    const candidates = await entitlementRepository.ofOrganization(db, organizationId);
    const set = entitlementsFrom(candidates, now, graceDays);
    return {
      user_id: userId,
      organization_id: organizationId,
      ...set,
      usage: await usageOf(db, userId, organizationId, candidates, set.sources, now, graceDays),
      as_of: now.toISOString(),
      sequence,
    };
  }

  /** An organisation's own entitlements and usage, as an admin reads them (no member needed). */
  async forOrganization(
    organizationId: string,
    now = new Date(),
  ): Promise<Pick<Entitlements, 'benefits' | 'sources' | 'subscriptions' | 'purchases' | 'usage'>> {
    const { db, graceDays } = this.deps;
    const candidates = await entitlementRepository.ofOrganization(db, organizationId);
    const set = entitlementsFrom(candidates, now, graceDays);
    // With the organisation named, the balances are its own: no user's are read.
    return { ...set, usage: await usageOf(db, '', organizationId, candidates, set.sources, now, graceDays) };
  }
}

/** The usage balances of the payers a set answers for (see usage/balances.ts). */
export function usageOf(
  db: DbOrTx,
  userId: string,
  organizationId: string | undefined,
  candidates: SubscriptionAccess[],
  sources: Record<string, string | null>,
  now: Date,
  graceDays: number,
  credits?: CreditBalances,
): Promise<Record<string, UsageBalance>> {
  const granting = candidates.filter((sub) => accessOf(sub, now, graceDays).granted);
  return usageBalances(db, { userId, organizationId, granting, sources, now, graceDays, credits });
}

/**
 * The benefits and granting subscriptions of a user's candidates at `now`: the one rule both the
 * API's answer and the `entitlements.updated` message follow, so the two always agree.
 */
export function entitlementsFrom(
  candidates: SubscriptionAccess[],
  now: Date,
  graceDays: number,
): Pick<Entitlements, 'benefits' | 'sources' | 'subscriptions' | 'purchases'> {
  const granting = candidates
    .map((sub) => ({ sub, access: accessOf(sub, now, graceDays) }))
    .filter(({ access }) => access.granted);
  return {
    ...mergePayers(granting.map(({ sub }) => sub)),
    purchases: granting
      .filter(({ sub }) => sub.purchase)
      .map(({ sub }) => ({ id: sub.id, plan_id: sub.planId!, organization_id: sub.organizationId ?? null })),
    subscriptions: granting
      .filter(({ sub }) => !sub.purchase)
      .map(({ sub, access }) => ({
        id: sub.id,
        plan_id: sub.planId,
        organization_id: sub.organizationId ?? null,
        status: recurStatus(sub.status, sub.paymentActionRequired === true),
        stripe_status: stripeStatusShown(sub),
        access_until: access.until?.toISOString() ?? null,
      })),
  };
}
