import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { ChangeAnnouncer } from '../app-webhooks/announcements.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { ConflictError, ValidationError } from '../http/errors.js';
import { nextSortCursor, type SortedPage } from '../http/sorting.js';
import { meteredRepository } from '../plans/metered-repository.js';
import type { PiiCipher } from '../shared/crypto.js';
import { stripeIdempotencyKey } from '../stripe/client.js';
import { licensedItem } from '../stripe/mapping.js';
import {
  changedItems,
  type ItemChange,
  type StripeAnswer,
  type StripeSubscriptions,
} from '../stripe/subscriptions.js';
import { subscriptionsOfPayer, visibleSubscription } from './access.js';
import { auditedSubscriptionWrite } from './audit.js';
import {
  type ChangeInput,
  type ChangeKind,
  type ChangePreview,
  type ChangeResult,
  type ChangeTarget,
  classifyChange,
  currentTerms,
  previewChange,
  resolveTarget,
} from './changes.js';
import { replacementOf } from './reactivation.js';
import {
  subscriptionRepository as repo,
  type SubscriptionFilter,
  type SubscriptionRecord,
  type SubscriptionSort,
  subscriptionSortColumns,
} from './repository.js';
import {
  SCHEDULED_METADATA,
  type SubscriptionListItem,
  type SubscriptionView,
  toSubscriptionView,
} from './views.js';
import { automaticTax, CLEARED_SCHEDULE, paymentFailure } from './write-outcomes.js';

export interface WriteContext {
  idempotencyKey?: string | undefined;
}

export interface CancelInput {
  at_period_end: boolean;
  reason?: string | undefined;
  feedback?: Stripe.SubscriptionCancelParams.CancellationDetails.Feedback | undefined;
}

export interface ServiceDeps {
  db: Db;
  /** Tells the host app what Recur's own changes did, in the transaction that mirrors them. */
  announcer: ChangeAnnouncer;
  stripe: StripeSubscriptions;
  /** Opens the owners' names and emails, which only an admin's list shows. */
  cipher: PiiCipher;
  /** Stripe Tax on (the operator's setting): a plan change or a reactivation is taxed. */
  taxEnabled?: () => Promise<boolean>;
  logger: Logger;
}

interface PlannedChange {
  live: StripeAnswer;
  target: ChangeTarget;
  kind: ChangeKind;
  item: ItemChange;
  prorationDate: number;
  preview: ChangePreview;
}

const ENDED: string[] = ['canceled', 'incomplete_expired'];

/**
 * Reading subscriptions from the mirror, and the lifecycle actions: cancel, resume, reactivate.
 * Writes go to Stripe first (decided on Stripe's live state, not the mirror's), and Stripe's answer
 * is applied to the mirror at once, so the response and the next read show it.
 */
export class SubscriptionService {
  constructor(protected readonly deps: ServiceDeps) {}

  /** The user's own subscriptions, or those of an organisation whose billing they manage. */
  async listFor(principal: Principal, organizationId: string | undefined): Promise<SubscriptionView[]> {
    return (await subscriptionsOfPayer(this.deps.db, principal, organizationId)).map(toSubscriptionView);
  }

  async get(principal: Principal, id: string): Promise<SubscriptionView> {
    return toSubscriptionView(await this.visible(principal, id));
  }

  /** Sorted as asked (newest first by default); `withContact` (admins) adds each owner's name and email, decrypted. */
  async list(
    filter: SubscriptionFilter,
    page: SortedPage<SubscriptionSort>,
    withContact: boolean,
  ): Promise<{ data: SubscriptionListItem[]; next_cursor: string | null }> {
    const rows = await repo.list(this.deps.db, filter, page);
    const data = rows.slice(0, page.limit);
    const nextCursor = nextSortCursor(
      subscriptionSortColumns,
      rows.map((r) => r.subscription),
      page.limit,
      page.sort,
    );
    const open = (sealed: string | null | undefined) =>
      withContact && sealed ? this.deps.cipher.decrypt(sealed) : null;
    return {
      data: data.map((record) => ({
        ...toSubscriptionView(record),
        customer_email: open(record.ownerContact?.emailEncrypted),
        customer_name: open(record.ownerContact?.nameEncrypted),
      })),
      next_cursor: nextCursor,
    };
  }

  async previewChange(principal: Principal, id: string, input: ChangeInput): Promise<ChangePreview> {
    return (await this.planChange(principal, id, input)).preview;
  }

  /**
   * Applies a change as its preview said: now, with the proration invoiced and charged at once
   * (a declined card is a 402 and changes nothing), or at the period end through a schedule.
   * Asking again for the change already scheduled answers the current state without a write.
   */
  async change(
    principal: Principal,
    id: string,
    input: ChangeInput & { proration_date?: number | undefined },
    ctx: WriteContext,
  ): Promise<ChangeResult> {
    const plan = await this.planChange(principal, id, input, input.proration_date);
    const { subscription: sub } = plan.live;
    const key = (step: string) => stripeIdempotencyKey(`subscription.change.${id}`, ctx.idempotencyKey, step);
    const result = (subscription: SubscriptionView, invoiceId: string | null): ChangeResult => ({
      kind: plan.kind,
      effective: plan.preview.effective,
      effective_at: plan.preview.effective_at,
      invoice_id: invoiceId,
      subscription,
    });
    if (plan.preview.effective === 'period_end') {
      const scheduled = sub.metadata?.[SCHEDULED_METADATA.price];
      const scheduledQuantity = Number(sub.metadata?.[SCHEDULED_METADATA.quantity]);
      if (sub.schedule && scheduled === plan.target.priceId && scheduledQuantity === plan.target.quantity) {
        return result(await this.viewOf(id), null);
      }
      await this.releaseSchedule(sub, key('release'));
      await this.deps.stripe.scheduleAtPeriodEnd(sub, plan.item, key('schedule'));
      const answer = await this.deps.stripe.update(
        id,
        {
          metadata: {
            [SCHEDULED_METADATA.price]: plan.target.priceId,
            [SCHEDULED_METADATA.plan]: plan.target.planId,
            [SCHEDULED_METADATA.quantity]: String(plan.target.quantity),
            [SCHEDULED_METADATA.at]: String(licensedItem(sub).current_period_end),
          },
        },
        key('metadata'),
      );
      this.deps.logger.info({ subscriptionId: id, kind: plan.kind }, 'subscription change scheduled');
      return result(await this.applied(answer, 'subscription.change_scheduled'), null);
    }
    await this.releaseSchedule(sub, key('release'));
    const answer = await this.deps.stripe
      .update(
        id,
        {
          items: changedItems(sub, plan.item),
          proration_behavior: 'always_invoice',
          proration_date: plan.prorationDate,
          // A declined card fails the update, leaving the subscription as it was, rather than
          // leaving it changed and past due.
          payment_behavior: 'error_if_incomplete',
          ...(this.hasScheduledChange(sub) && { metadata: CLEARED_SCHEDULE }),
          ...(await automaticTax(this.deps.taxEnabled)),
        },
        key('update'),
      )
      .catch((error) => Promise.reject(paymentFailure(error)));
    this.deps.logger.info({ subscriptionId: id, kind: plan.kind }, 'subscription changed');
    const latest = answer.subscription.latest_invoice;
    return result(
      await this.applied(answer, 'subscription.change'),
      typeof latest === 'string' ? latest : (latest?.id ?? null),
    );
  }

  /**
   * At the period end: `cancel_at_period_end` (a pending scheduled change is released, since the
   * subscription ends first). Now: Stripe cancels at once without prorating: unused time is not
   * credited, a refund is its own explicit action.
   */
  async cancel(principal: Principal, id: string, input: CancelInput, ctx: WriteContext) {
    const live = await this.live(principal, id);
    const sub = live.subscription;
    const details = {
      ...(input.reason !== undefined && { comment: input.reason }),
      ...(input.feedback !== undefined && { feedback: input.feedback }),
    };
    const key = (step: string) => stripeIdempotencyKey(`subscription.cancel.${id}`, ctx.idempotencyKey, step);
    if (ENDED.includes(sub.status)) {
      if (input.at_period_end) {
        throw new ConflictError('subscription_ended', 'The subscription has already ended');
      }
      return this.viewOf(id);
    }
    if (!input.at_period_end) {
      return this.applied(
        await this.deps.stripe.cancel(
          id,
          { prorate: false, invoice_now: false, cancellation_details: details },
          key('cancel'),
        ),
        'subscription.cancel',
      );
    }
    if (sub.cancel_at_period_end) return this.viewOf(id);
    await this.releaseSchedule(sub, key('release'));
    return this.applied(
      await this.deps.stripe.update(
        id,
        {
          cancel_at_period_end: true,
          cancellation_details: details,
          ...(this.hasScheduledChange(sub) && { metadata: CLEARED_SCHEDULE }),
        },
        key('update'),
      ),
      'subscription.cancel_at_period_end',
    );
  }

  /** Undoes a pending cancellation. A pending downgrade is not touched: it is not a cancellation. */
  async resume(principal: Principal, id: string, ctx: WriteContext) {
    const { subscription: sub } = await this.live(principal, id);
    if (ENDED.includes(sub.status)) {
      throw new ConflictError('subscription_ended', 'The subscription has ended; reactivate it instead');
    }
    if (!sub.cancel_at_period_end && sub.cancel_at === null) {
      throw new ConflictError('not_cancelling', 'The subscription has no pending cancellation');
    }
    return this.applied(
      await this.deps.stripe.update(
        id,
        { cancel_at_period_end: false },
        stripeIdempotencyKey(`subscription.resume.${id}`, ctx.idempotencyKey, 'update'),
      ),
      'subscription.resume',
    );
  }

  /**
   * A `paused` subscription is resumed (a new period starts now and is charged). An ended one is
   * replaced by a new subscription to the same price and quantity, charged at once to the
   * customer's default card; repeating answers the subscription the first reactivation made.
   */
  async reactivate(principal: Principal, id: string, ctx: WriteContext): Promise<SubscriptionView> {
    const { subscription: sub } = await this.live(principal, id);
    if (sub.status === 'paused') {
      return this.applied(
        await this.deps.stripe
          .resumePaused(
            id,
            stripeIdempotencyKey(`subscription.reactivate.${id}`, ctx.idempotencyKey, 'resume'),
          )
          .catch((error) => Promise.reject(paymentFailure(error))),
        'subscription.resume_paused',
      );
    }
    if (!ENDED.includes(sub.status)) {
      throw new ConflictError('not_cancelled', 'Only an ended or paused subscription can be reactivated');
    }
    const made = await repo.findReactivationOf(this.deps.db, id);
    if (made) return this.viewOf(made.id);
    const price = await repo.findPlanPrice(this.deps.db, licensedItem(sub).price.id);
    if (price && !price.active) {
      throw new ConflictError(
        'price_archived',
        'The subscription’s price is archived; subscribe to a current one',
      );
    }
    const created = await this.deps.stripe
      .create(
        await replacementOf(sub, this.deps.stripe, this.deps.taxEnabled),
        // From the ended subscription: a retry, here or in another process, replays Stripe's answer.
        ctx.idempotencyKey
          ? stripeIdempotencyKey(`subscription.reactivate.${id}`, ctx.idempotencyKey, 'create')
          : `recur:subscription.reactivate.${id}`,
      )
      .catch((error) => Promise.reject(paymentFailure(error)));
    this.deps.logger.info({ subscriptionId: created.subscription.id, from: id }, 'subscription reactivated');
    return this.applied(created, 'subscription.reactivate');
  }

  private async planChange(
    principal: Principal,
    id: string,
    input: ChangeInput,
    requestedProrationDate?: number,
  ): Promise<PlannedChange> {
    const live = await this.live(principal, id);
    const sub = live.subscription;
    if (ENDED.includes(sub.status)) {
      throw new ConflictError('subscription_ended', 'The subscription has ended; reactivate it instead');
    }
    if (sub.status !== 'active' && sub.status !== 'trialing') {
      throw new ConflictError(
        'subscription_not_active',
        `A ${sub.status} subscription cannot change plan; settle its payment first`,
      );
    }
    const item = licensedItem(sub);
    const current = await currentTerms(this.deps.db, sub);
    const target = await resolveTarget(this.deps.db, current, input);
    if (target.priceId === current.priceId && target.quantity === current.quantity) {
      throw new ConflictError('no_change', 'The subscription already has this price and quantity');
    }
    const { kind, appliesNow: upgrade } = classifyChange(current, target);
    const appliesNow = upgrade || input.immediately === true;
    if (!appliesNow && (sub.cancel_at_period_end || sub.cancel_at !== null)) {
      throw new ConflictError(
        'cancellation_pending',
        'The subscription ends at the period end; resume it before scheduling a change',
      );
    }
    const prorationDate = requestedProrationDate ?? Math.floor(live.at.getTime() / 1000);
    if (prorationDate < item.current_period_start || prorationDate > item.current_period_end) {
      throw new ValidationError(
        'invalid_proration_date',
        'proration_date must fall within the current billing period; preview the change again',
      );
    }
    const change: ItemChange = {
      itemId: item.id,
      price: target.priceId,
      quantity: target.quantity,
      // Another price (another plan, or interval) carries its own overage prices.
      ...(target.priceId !== item.price.id && {
        meteredPrices: await meteredRepository.forLicensedPrice(this.deps.db, target.priceId),
      }),
    };
    const preview = await previewChange(this.deps.stripe, sub, change, target, {
      kind,
      appliesNow,
      prorationDate,
      periodEnd: item.current_period_end,
      tax: Boolean(await this.deps.taxEnabled?.()),
    });
    return { live, target, kind, item: change, prorationDate, preview };
  }

  /** The mirror's record, if the principal may see it (see visibleSubscription). */
  protected visible(principal: Principal, id: string): Promise<SubscriptionRecord> {
    return visibleSubscription(this.deps.db, principal, id);
  }

  /** Stripe's current state of a subscription the principal may manage. */
  protected async live(principal: Principal, id: string): Promise<StripeAnswer> {
    const record = await this.visible(principal, id);
    if (record.subscription.provider !== 'stripe') {
      throw new ConflictError(
        'external_subscription',
        'This subscription is paid outside Stripe; it is managed through the payment webhook',
      );
    }
    return this.deps.stripe.retrieve(id);
  }

  protected hasScheduledChange(sub: Stripe.Subscription): boolean {
    return Boolean(sub.metadata?.[SCHEDULED_METADATA.price]);
  }

  protected async releaseSchedule(sub: Stripe.Subscription, idempotencyKey: string): Promise<void> {
    const schedule = typeof sub.schedule === 'string' ? sub.schedule : sub.schedule?.id;
    if (schedule) await this.deps.stripe.releaseSchedule(schedule, idempotencyKey);
  }

  /** Mirrors Stripe's answer to a write, recorded in the audit trail as `action`. */
  protected async applied(answer: StripeAnswer, action: string): Promise<SubscriptionView> {
    await repo.apply(this.deps.db, answer.subscription, answer.at, this.deps.announcer, (tx, write) =>
      auditedSubscriptionWrite(tx, action, answer.subscription.id, write),
    );
    return this.viewOf(answer.subscription.id);
  }

  protected async viewOf(id: string): Promise<SubscriptionView> {
    return toSubscriptionView((await repo.find(this.deps.db, id))!);
  }
}
