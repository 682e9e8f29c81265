import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { ChangeAnnouncer } from '../app-webhooks/announcements.js';
import type { Principal } from '../auth/principal.js';
import type { Db, Tx } from '../db/client.js';
import { AppError, ConflictError } from '../http/errors.js';
import { lockObjects } from '../mirror/locks.js';
import { writeSubscriptionSnapshot } from '../mirror/subscription-writer.js';
import { newId } from '../shared/ids.js';
import { stripeIdempotencyKey } from '../stripe/client.js';
import { idOf, licensedItem } from '../stripe/mapping.js';
import type { StripeAnswer, StripeSubscriptions } from '../stripe/subscriptions.js';
import { auditedSubscriptionWrite } from '../subscriptions/audit.js';
import { currentTerms, previewChange } from '../subscriptions/changes.js';
import { SCHEDULED_METADATA } from '../subscriptions/views.js';
import { automaticTax, CLEARED_SCHEDULE, paymentFailure } from '../subscriptions/write-outcomes.js';
import { assertBillingAccess } from './payer.js';
import { type MemberRow, type OrganizationRow, organizationRepository as repo } from './repository.js';
import { type SeatPreview, seatProrationDate, seatTarget } from './seat-terms.js';
import type { MembershipHooks } from './service.js';

interface SeatDeps {
  db: Db;
  stripe: StripeSubscriptions;
  announcer: ChangeAnnouncer;
  taxEnabled?: () => Promise<boolean>;
  logger: Logger;
}

/** What the subscription bills at the next renewal: its price and number of seats. */
interface NextTerms {
  price: string;
  plan: string | null;
  quantity: number;
}

const holdsSeat = (member: MemberRow | null) => member?.holdsSeat === true;

/**
 * Seats of an organisation's per-seat subscription. In `members` seat mode the quantity follows the
 * members who hold a seat: one taking a seat beyond those paid for is refused (409
 * `seat_limit_reached`) or, with `auto_add_seats`, adds a seat charged at once (`always_invoice`);
 * one giving up a seat lowers the quantity from the next period, through a subscription schedule,
 * so the seats paid for stay usable (Stripe's quantity is still theirs) until the period ends.
 * Everything runs in the membership write's transaction, with the organisation's row locked, so
 * changes of one organisation are decided one at a time on Stripe's current quantity.
 */
export class SeatService implements MembershipHooks {
  constructor(private readonly deps: SeatDeps) {}

  async beforeChange(
    tx: Tx,
    change: { organization: OrganizationRow; before: MemberRow | null; after: MemberRow | null },
  ): Promise<void> {
    const { organization, before, after } = change;
    const adds = holdsSeat(after) && !holdsSeat(before);
    if (adds === (holdsSeat(before) && !holdsSeat(after))) return;
    const seated = await repo.seatSubscription(tx, organization.id, 'members');
    if (!seated) return;
    const used = await repo.seatHolders(tx, organization.id);
    const live = await this.deps.stripe.retrieve(seated.id);
    const sub = live.subscription;
    if (sub.status === 'canceled' || sub.status === 'incomplete_expired') return;
    const item = licensedItem(sub);
    const paid = item.quantity ?? 1;
    const holders = used + (adds ? 1 : -1);
    const member = (after ?? before)!.userId;
    if (adds && holders > paid) {
      if (!organization.autoAddSeats) {
        throw new ConflictError(
          'seat_limit_reached',
          `All ${paid} seats paid for are taken; buy more seats or turn on auto_add_seats`,
          { seats: paid, used },
        );
      }
      const answer = await this.addSeats(tx, live, holders, `seats.${organization.id}.${member}.${holders}`);
      // A change of price the app scheduled for the period end still follows, with these seats.
      await this.follow(tx, answer, { ...this.nextTerms(sub), quantity: holders });
      return;
    }
    if (sub.cancel_at_period_end || sub.cancel_at !== null) return;
    // Never more seats next period than are paid for now, never fewer than one.
    const next = Math.min(Math.max(holders, 1), paid);
    await this.follow(tx, live, { ...this.nextTerms(sub), quantity: next });
  }

  /** What `seats` seats would charge now (more seats) and at the next renewal, in minor units. */
  async preview(principal: Principal, organizationId: string, seats: number): Promise<SeatPreview> {
    const { db } = this.deps;
    await assertBillingAccess(db, principal, organizationId);
    const seated = await repo.seatSubscription(db, organizationId);
    if (!seated) {
      throw new AppError(
        404,
        'no_seat_subscription',
        `Organisation '${organizationId}' has no per-seat subscription that has not ended`,
      );
    }
    const used = await repo.seatHolders(db, organizationId);
    const live = await this.deps.stripe.retrieve(seated.id);
    const sub = live.subscription;
    if (sub.status !== 'active' && sub.status !== 'trialing') {
      throw new ConflictError(
        'subscription_not_active',
        `A ${sub.status} subscription cannot change its seats; settle its payment first`,
      );
    }
    const item = licensedItem(sub);
    const paid = item.quantity ?? 1;
    const terms = await currentTerms(db, sub);
    const preview = await previewChange(
      this.deps.stripe,
      sub,
      { itemId: item.id, price: item.price.id, quantity: seats },
      seatTarget(terms, seats),
      {
        kind: 'quantity',
        appliesNow: seats > paid,
        prorationDate: seatProrationDate(live),
        periodEnd: item.current_period_end,
        tax: Boolean(await this.deps.taxEnabled?.()),
      },
    );
    return {
      subscription_id: sub.id,
      seat_mode: seated.seatMode,
      seats,
      paid_seats: paid,
      used_seats: used,
      ...preview,
    };
  }

  /**
   * More seats now, the proration invoiced and charged at once from the start of the day (see
   * seatProrationDate). The key derives from the organisation, the member, the new quantity and the
   * period: within a period the paid quantity only grows, so it names this one charge.
   */
  private async addSeats(tx: Tx, live: StripeAnswer, quantity: number, scope: string): Promise<StripeAnswer> {
    const sub = live.subscription;
    const item = licensedItem(sub);
    const key = (step: string) => stripeIdempotencyKey(scope, String(item.current_period_start), step);
    const schedule = idOf(sub.schedule);
    if (schedule) await this.deps.stripe.releaseSchedule(schedule, key('release'));
    const answer = await this.deps.stripe
      .update(
        sub.id,
        {
          items: [{ id: item.id, quantity }],
          proration_behavior: 'always_invoice',
          proration_date: seatProrationDate(live),
          payment_behavior: 'error_if_incomplete',
          ...(sub.metadata?.[SCHEDULED_METADATA.price] && { metadata: CLEARED_SCHEDULE }),
          ...(await automaticTax(this.deps.taxEnabled)),
        },
        key('update'),
      )
      .catch((error) => Promise.reject(paymentFailure(error)));
    this.deps.logger.info({ subscriptionId: sub.id, quantity }, 'seats added');
    await this.mirrorIn(tx, answer, 'subscription.seats_add');
    return answer;
  }

  /**
   * Brings the next renewal's terms in step: none to schedule when they equal the current ones (a
   * pending schedule is released), else a schedule whose next phase holds them, as a downgrade's.
   */
  private async follow(tx: Tx, live: StripeAnswer, next: NextTerms): Promise<void> {
    const sub = live.subscription;
    const item = licensedItem(sub);
    const scheduled = this.scheduled(sub);
    const same = (a: NextTerms | null, b: NextTerms) =>
      a !== null && a.price === b.price && a.quantity === b.quantity;
    const current = { price: item.price.id, plan: null, quantity: item.quantity ?? 1 };
    if (same(current, next) ? scheduled === null : same(scheduled, next)) return;
    const key = (step: string) => stripeIdempotencyKey(`seats.schedule.${sub.id}`, undefined, step);
    const schedule = idOf(sub.schedule);
    if (schedule) await this.deps.stripe.releaseSchedule(schedule, key('release'));
    let answer: StripeAnswer;
    if (same(current, next)) {
      answer = await this.deps.stripe.update(sub.id, { metadata: CLEARED_SCHEDULE }, key('metadata'));
    } else {
      await this.deps.stripe.scheduleAtPeriodEnd(
        sub,
        { itemId: item.id, price: next.price, quantity: next.quantity },
        key('schedule'),
      );
      const plan = next.plan ?? (await currentTerms(tx, sub)).planId ?? '';
      answer = await this.deps.stripe.update(
        sub.id,
        {
          metadata: {
            [SCHEDULED_METADATA.price]: next.price,
            [SCHEDULED_METADATA.plan]: plan,
            [SCHEDULED_METADATA.quantity]: String(next.quantity),
            [SCHEDULED_METADATA.at]: String(item.current_period_end),
          },
        },
        key('metadata'),
      );
    }
    this.deps.logger.info({ subscriptionId: sub.id, next: next.quantity }, 'seats for the next period');
    await this.mirrorIn(tx, answer, 'subscription.seats_schedule');
  }

  /** The change pending for the period end, if the subscription's schedule holds one. */
  private scheduled(sub: Stripe.Subscription): NextTerms | null {
    const metadata = sub.metadata ?? {};
    const price = metadata[SCHEDULED_METADATA.price];
    const at = metadata[SCHEDULED_METADATA.at];
    if (!sub.schedule || !price || at !== String(licensedItem(sub).current_period_end)) return null;
    return {
      price,
      plan: metadata[SCHEDULED_METADATA.plan] || null,
      quantity: Number(metadata[SCHEDULED_METADATA.quantity] ?? 1),
    };
  }

  /** A pending change of price (a downgrade scheduled by the app) carries over; seats are ours. */
  private nextTerms(sub: Stripe.Subscription): NextTerms {
    const item = licensedItem(sub);
    const scheduled = this.scheduled(sub);
    return scheduled ?? { price: item.price.id, plan: null, quantity: item.quantity ?? 1 };
  }

  /** Stripe's answer written to the mirror in the membership's transaction, audited as `action`. */
  private async mirrorIn(tx: Tx, answer: StripeAnswer, action: string): Promise<void> {
    const sub = answer.subscription;
    const customerId = idOf(sub.customer)!;
    await lockObjects(tx, [sub.id, customerId]);
    await this.deps.announcer.around(
      tx,
      { subscriptions: [sub.id], customers: [customerId] },
      { key: `api:${newId('chg')}`, at: answer.at },
      () =>
        auditedSubscriptionWrite(tx, action, sub.id, () =>
          writeSubscriptionSnapshot(tx, sub, answer.at, 'always'),
        ),
    );
  }
}
