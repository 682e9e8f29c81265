import type { DbOrTx } from '../db/client.js';
import { ConflictError, ValidationError } from '../http/errors.js';
import { planRepository } from './repository.js';

/**
 * Whether a plan is per seat decides what its subscriptions' quantity means, so it is fixed while
 * any has not ended; a plan made per seat must have per-unit active prices (see `checkPrice`).
 */
export async function checkPerSeatChange(
  db: DbOrTx,
  plan: {
    id: string;
    perSeat: boolean;
    prices: ReadonlyArray<{ id: string; active: boolean; tiers: unknown }>;
  },
  next: boolean | undefined,
): Promise<void> {
  if (next === undefined || next === plan.perSeat) return;
  const tiered = next && plan.prices.find((p) => p.active && p.tiers !== null);
  if (tiered) {
    throw new ValidationError(
      'per_seat_price_tiered',
      `A per-seat plan’s prices are per seat, not tiered: archive price '${tiered.id}' first`,
      { field: 'per_seat', price_id: tiered.id },
    );
  }
  const live = await planRepository.liveSubscription(db, plan.id);
  if (live) {
    throw new ConflictError(
      'plan_has_subscriptions',
      `per_seat cannot change while subscription '${live}' to the plan has not ended`,
      { subscription_id: live },
    );
  }
}
