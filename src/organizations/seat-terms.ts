import { z } from 'zod';
import type { DbOrTx } from '../db/client.js';
import type { PlanRow } from '../plans/repository.js';
import { licensedItem, SEAT_MODE_METADATA } from '../stripe/mapping.js';
import type { StripeAnswer } from '../stripe/subscriptions.js';
import { type ChangeTarget, changePreview } from '../subscriptions/changes.js';
import type { Payer } from './payer.js';
import { organizationRepository } from './repository.js';

const DAY = 86_400;

/**
 * A seat added is prorated from the start of the day (UTC, on the subscription's Stripe clock), not
 * the second: a preview and the charge made later the same day then agree to the cent, which the
 * membership call (made by the host app's backend) could not otherwise promise. Never before the
 * period began.
 */
export function seatProrationDate(live: StripeAnswer): number {
  const now = Math.floor(live.at.getTime() / 1000);
  return Math.max(licensedItem(live.subscription).current_period_start, now - (now % DAY));
}

/** The current price with another number of seats. */
export function seatTarget(
  terms: {
    priceId: string;
    planId: string | null;
    unitAmount: number;
    interval: string;
    intervalCount: number;
  },
  seats: number,
): ChangeTarget {
  return {
    priceId: terms.priceId,
    planId: terms.planId ?? '',
    unitAmount: terms.unitAmount,
    interval: terms.interval,
    intervalCount: terms.intervalCount,
    quantity: seats,
  };
}

export const seatPreview = changePreview
  .extend({
    subscription_id: z.string(),
    seat_mode: z.enum(['manual', 'members']),
    seats: z.number().int().describe('The seats previewed'),
    paid_seats: z.number().int().describe('The seats paid for in the current period'),
    used_seats: z.number().int().describe('The members who hold a seat'),
  })
  .describe('SeatPreview');
export type SeatPreview = z.infer<typeof seatPreview>;

/** How a new subscription counts its seats, and the quantity it starts with. */
export interface SeatTerms {
  seatMode: 'manual' | 'members' | null;
  quantity: number;
  /** To merge into the subscription's Stripe metadata (Checkout: `subscription_data.metadata`). */
  metadata: Record<string, string>;
}

/**
 * The seat mode and first quantity of a new subscription: none for a plan that is not per seat;
 * for an organisation `members` (the quantity is its seat holders, at least one), for a user
 * `manual` (the quantity asked for).
 */
export async function seatTermsFor(
  db: DbOrTx,
  plan: Pick<PlanRow, 'perSeat'>,
  payer: Payer | { kind: 'user' },
  requested: number | undefined,
): Promise<SeatTerms> {
  if (!plan.perSeat) return { seatMode: null, quantity: requested ?? 1, metadata: {} };
  if (payer.kind === 'user') {
    return { seatMode: 'manual', quantity: requested ?? 1, metadata: { [SEAT_MODE_METADATA]: 'manual' } };
  }
  const holders = await organizationRepository.seatHolders(db, payer.organizationId);
  return {
    seatMode: 'members',
    quantity: Math.max(holders, 1),
    metadata: { [SEAT_MODE_METADATA]: 'members' },
  };
}
