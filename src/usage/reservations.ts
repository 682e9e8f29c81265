import type { DbOrTx } from '../db/client.js';
import { type AppError, ConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import { newId } from '../shared/ids.js';
import { payerIds, type UsageContext } from './context.js';
import { creditLedgerRepository } from './credits-ledger.js';
import { type ReservationRow, usageRepository as repo } from './repository.js';
import { announceThreshold } from './thresholds.js';

/** The view of a reservation. */
export interface ReservationView {
  id: string;
  user_id: string | null;
  organization_id: string | null;
  feature: string;
  units: number;
  from_credits: number;
  status: ReservationRow['status'];
  period_start: string;
  expires_at: string;
  settled_at: string | null;
}

export function toReservationView(r: ReservationRow): ReservationView {
  return {
    id: r.id,
    ...payerIds(r),
    feature: r.feature,
    units: r.units,
    from_credits: r.fromCredits,
    status: r.status,
    period_start: r.periodStart.toISOString(),
    expires_at: r.expiresAt.toISOString(),
    settled_at: r.settledAt?.toISOString() ?? null,
  };
}

/**
 * Counts a held reservation as used: all its units, or `value` of them (the rest released),
 * through a usage event of source `reservation`. A reservation past its expiry is released
 * instead and answers 409, as one already confirmed or released does.
 */
export async function confirmReservation(
  ctx: UsageContext,
  id: string,
  value: number | undefined,
  now: Date,
): Promise<ReservationView> {
  const outcome = await ctx.db.transaction(async (tx) => {
    const r = await heldReservation(tx, id, now);
    if (r.status === 'expired') return r;
    const units = value ?? r.units;
    if (units > r.units)
      throw new ValidationError(
        'confirm_exceeds_reservation',
        `Reservation '${id}' holds ${r.units} units; confirm at most that many`,
        { field: 'value', units: r.units },
      );
    const key = { payerKind: r.payerKind, payerId: r.payerId, feature: r.feature };
    const allowancePart = r.units - r.fromCredits;
    const creditsUsed = Math.max(0, units - allowancePart);
    // The counter first, then the credits: the order every writer takes them in.
    let counter = await repo.adjustCounter(tx, key, r.periodStart, {
      used: units,
      reserved: -allowancePart,
    });
    let drawn = creditsUsed;
    if (r.fromCredits > creditsUsed) {
      await creditLedgerRepository.giveBack(tx, { ...key, reference: r.id, now });
      drawn = await creditLedgerRepository.draw(tx, {
        ...key,
        amount: creditsUsed,
        movement: 'usage',
        reference: `${r.id}:confirm`,
        reason: null,
        allOrNothing: false,
        now,
      });
    }
    if (drawn) counter = await repo.adjustCounter(tx, key, r.periodStart, { creditsDrawn: drawn });
    await repo.insertEvents(tx, [
      {
        id: newId('uev'),
        ...key,
        value: units,
        idempotencyKey: `reservation:${r.id}`,
        occurredAt: now,
        periodStart: r.periodStart,
        source: 'reservation',
      },
    ]);
    await repo.settleReservation(tx, r.id, 'confirmed', now);
    if (counter) {
      const rule = await ctx.ruleOf(tx, r, r.feature, now);
      const period = { start: r.periodStart, end: counter.periodEnd };
      await announceThreshold(tx, key, rule, period, counter, now, ctx.settings);
    }
    return { ...r, status: 'confirmed' as const, settledAt: now };
  });
  if (outcome.status === 'expired') throw reservationSettled(outcome);
  return toReservationView(outcome);
}

/** Gives a held reservation's units back (and its credits); 409 once it is settled. */
export async function releaseReservation(ctx: UsageContext, id: string, now: Date): Promise<ReservationView> {
  const outcome = await ctx.db.transaction(async (tx) => {
    const r = await heldReservation(tx, id, now);
    if (r.status === 'expired') return r;
    await giveBackReservation(tx, r, 'released', now);
    return { ...r, status: 'released' as const, settledAt: now };
  });
  if (outcome.status === 'expired') throw reservationSettled(outcome);
  return toReservationView(outcome);
}

/** Releases the reservations held past their expiry; answers how many. */
export async function sweepExpiredReservations(ctx: UsageContext, now: Date, limit: number): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const due = await repo.dueReservations(tx, now, limit);
    for (const r of due) await giveBackReservation(tx, r, 'expired', now);
    return due.length;
  });
}

/** The reservation, locked and still held; one past its expiry is released as expired. */
async function heldReservation(tx: DbOrTx, id: string, now: Date): Promise<ReservationRow> {
  const r = await repo.lockReservation(tx, id);
  if (!r) throw new NotFoundError('Reservation', id);
  if (r.status !== 'held') throw reservationSettled(r);
  if (r.expiresAt <= now) {
    await giveBackReservation(tx, r, 'expired', now);
    return { ...r, status: 'expired', settledAt: now };
  }
  return r;
}

async function giveBackReservation(
  tx: DbOrTx,
  r: ReservationRow,
  status: 'released' | 'expired',
  now: Date,
): Promise<void> {
  const key = { payerKind: r.payerKind, payerId: r.payerId, feature: r.feature };
  await repo.adjustCounter(tx, key, r.periodStart, { reserved: -(r.units - r.fromCredits) });
  if (r.fromCredits > 0) await creditLedgerRepository.giveBack(tx, { ...key, reference: r.id, now });
  await repo.settleReservation(tx, r.id, status, now);
}

function reservationSettled(r: ReservationRow): AppError {
  return new ConflictError(
    'reservation_settled',
    `Reservation '${r.id}' is ${r.status}: only a held reservation may be confirmed or released`,
    { status: r.status },
  );
}
