import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { ChangeAnnouncer } from '../app-webhooks/announcements.js';
import type { CustomerService } from '../customers/service.js';
import { normaliseEmail } from '../customers/service.js';
import type { Db } from '../db/client.js';
import type { EventInbox } from '../events/inbox.js';
import { internalEvent } from '../events/internal.js';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.js';
import { lockObjects } from '../mirror/locks.js';
import { writeSubscriptionSnapshot } from '../mirror/subscription-writer.js';
import { organizationPayer } from '../organizations/payer.js';
import { seatTermsFor } from '../organizations/seat-terms.js';
import type { OrganizationService } from '../organizations/service.js';
import { meteredRepository } from '../plans/metered-repository.js';
import { type PlanWithPrices, type PriceRow, planRepository } from '../plans/repository.js';
import { newId } from '../shared/ids.js';
import { PLAN_ID_METADATA, stripeIdempotencyKey } from '../stripe/index.js';
import { idOf, subscriptionRow } from '../stripe/mapping.js';
import type { StripeSubscriptionWrites } from '../stripe/subscription-writes.js';
import { auditedSubscriptionWrite } from './audit.js';
import { addBillingCycles, type BillingInterval, utcDate } from './billing-cycle.js';
import type { CreatedSubscription, CreateSubscriptionInput } from './creation-schemas.js';
import { type NewSubscriptionRow, externalSubscriptionRepository as repo } from './external-repository.js';
import { assertMayBuy } from './live.js';
import { recurStatus, stripeStatusShown } from './status.js';

export const SUBSCRIPTION_CREATED_EVENT = 'recur.subscription_created';

const DAY_MS = 86_400_000;

interface CreationDeps {
  db: Db;
  /** Announces the new subscription (and its owner's access) in the transaction that mirrors it. */
  announcer: ChangeAnnouncer;
  customers: CustomerService;
  /** An organisation's customer, made on its first billing need. */
  organizations: Pick<OrganizationService, 'customerOf'>;
  stripe: StripeSubscriptionWrites;
  inbox: EventInbox;
  /** Stripe Tax on (the operator's setting): the subscriptions made in Stripe are taxed. */
  taxEnabled?: () => Promise<boolean>;
  logger: Logger;
}

/** What the subscription-created event carries; the worker's handler confirms it (handlers/recur.ts). */
export interface SubscriptionAnnouncement {
  id: string;
  object: 'subscription';
  provider: 'stripe' | 'external';
}

/**
 * Subscribes a customer, known by email, to a plan: in Stripe (which then collects the first
 * invoice), or kept by Recur for a provider that reports its payments by webhook. Every input is
 * checked before anything is written, here or in Stripe.
 */
export class SubscriptionCreation {
  constructor(private readonly deps: CreationDeps) {}

  async create(
    input: CreateSubscriptionInput,
    ctx: { idempotencyKey?: string | undefined },
  ): Promise<CreatedSubscription> {
    if (input.customer_email !== undefined) normaliseEmail(input.customer_email);
    const plan = await planRepository.findByIdOrKey(this.deps.db, input.plan_id);
    if (!plan) throw new NotFoundError('Plan', input.plan_id);
    if (plan.status !== 'active')
      throw new ConflictError('plan_archived', `Plan '${plan.key}' is archived and takes no new subscribers`);
    const price = choosePrice(plan, input);
    const trialDays = input.trial_days ?? plan.trialDays;
    // Checkout's rule, checked before any write (a repeat with the same Idempotency-Key replays
    // the first answer).
    const { customers, organizations } = this.deps;
    const org = input.organization_id;
    const known =
      org === undefined
        ? await customers.findByEmail(input.customer_email!)
        : await customers.findForOrganization(org);
    const who = known ? `Customer '${known.id}'` : 'The customer';
    await assertMayBuy(this.deps.db, who, known?.id ?? null, plan);
    const customer =
      known ??
      (org === undefined
        ? await customers.forEmail(input.customer_email!)
        : await organizations.customerOf(org));
    const payer = org === undefined ? ({ kind: 'user' } as const) : organizationPayer(org);
    // An organisation's per-seat plan starts with a seat for each member who holds one.
    const seats = await seatTermsFor(this.deps.db, plan, payer, input.quantity);
    const spec = {
      customerId: customer.id,
      plan,
      price,
      quantity: seats.quantity,
      seatMetadata: seats.metadata,
      trialDays,
    };
    const row =
      input.provider === 'external'
        ? await this.createExternal(spec)
        : await this.createInStripe(spec, ctx.idempotencyKey);
    const announcement: SubscriptionAnnouncement = {
      id: row.id,
      object: 'subscription',
      provider: row.provider,
    };
    await this.deps.inbox.ingest(
      internalEvent({
        source: 'recur',
        externalId: `subscription_created:${row.id}`,
        type: SUBSCRIPTION_CREATED_EVENT,
        object: { ...announcement },
      }),
    );
    this.deps.logger.info(
      { subscriptionId: row.id, customerId: customer.id, planId: plan.id, provider: row.provider },
      'subscription created',
    );
    return {
      subscription_id: row.id,
      status: recurStatus(row.status),
      next_billing_date: utcDate(row.currentPeriodEnd),
      stripe_status: stripeStatusShown(row),
      provider: row.provider,
      customer_id: customer.id,
      plan_id: plan.id,
      price_id: price.stripePriceId,
      quantity: spec.quantity,
      currency: price.currency,
    };
  }

  /** Mirrored at once from Stripe's answer, so the subscription is readable before its webhooks. */
  private async createInStripe(spec: NewSubscriptionSpec, idempotencyKey: string | undefined) {
    const created = await this.deps.stripe.create(
      {
        customerId: spec.customerId,
        stripePriceId: spec.price.stripePriceId,
        meteredPriceIds: await meteredRepository.forLicensedPrice(this.deps.db, spec.price.stripePriceId),
        planId: spec.plan.id,
        quantity: spec.quantity,
        trialDays: spec.trialDays,
        tax: (await this.deps.taxEnabled?.()) ?? false,
        metadata: spec.seatMetadata,
      },
      stripeIdempotencyKey(
        `subscription.create.${spec.customerId}.${spec.price.id}`,
        idempotencyKey,
        'create',
      ),
    );
    await this.mirror(created);
    const row = subscriptionRow(created);
    return {
      id: created.id,
      provider: 'stripe' as const,
      status: row.status,
      currentPeriodEnd: row.currentPeriodEnd ?? new Date(created.created * 1000),
    };
  }

  /**
   * Stamped with Stripe's creation second and written only over an older row: the webhooks that
   * follow (newer, or the same second, which the worker settles by reading Stripe again) still win.
   */
  private async mirror(created: Stripe.Subscription): Promise<void> {
    const at = new Date(created.created * 1000);
    await this.deps.db.transaction(async (tx) => {
      const customerId = idOf(created.customer)!;
      await lockObjects(tx, [created.id, customerId]);
      await this.deps.announcer.around(
        tx,
        { subscriptions: [created.id], customers: [customerId] },
        { key: `api:${created.id}`, at },
        () =>
          auditedSubscriptionWrite(tx, 'subscription.create', created.id, () =>
            writeSubscriptionSnapshot(tx, created, at, 'if-newer'),
          ),
      );
    });
  }

  /** Pending (`incomplete`) until the first payment; a trial runs first when there is one. */
  private async createExternal(spec: NewSubscriptionSpec) {
    const now = new Date();
    const trialEnd = spec.trialDays > 0 ? new Date(now.getTime() + spec.trialDays * DAY_MS) : null;
    const row: NewSubscriptionRow & { currentPeriodEnd: Date } = {
      id: newId('sub_ext'),
      customerId: spec.customerId,
      status: trialEnd ? 'trialing' : 'incomplete',
      provider: 'external',
      planId: spec.plan.id,
      priceId: spec.price.stripePriceId,
      quantity: spec.quantity,
      currency: spec.price.currency,
      collectionMethod: 'send_invoice',
      trialStart: trialEnd ? now : null,
      trialEnd,
      currentPeriodStart: now,
      currentPeriodEnd:
        trialEnd ?? addBillingCycles(now, spec.price.interval as BillingInterval, spec.price.intervalCount),
      metadata: { [PLAN_ID_METADATA]: spec.plan.id },
      stripeEventAt: now,
      createdAt: now,
    };
    // Its price as an item, as Stripe's subscriptions carry theirs, so every reader (views, MRR)
    // finds the interval and amount in one place. Periods stay on the subscription row, which the
    // payment webhook moves on.
    const item = {
      id: newId('si_ext'),
      subscriptionId: row.id,
      priceId: spec.price.stripePriceId,
      productId: spec.plan.stripeProductId,
      quantity: spec.quantity,
      unitAmount: spec.price.unitAmount,
      currency: spec.price.currency,
      interval: spec.price.interval,
      intervalCount: spec.price.intervalCount,
      stripeEventAt: now,
      createdAt: now,
    };
    await this.deps.db.transaction(async (tx) => {
      await lockObjects(tx, [row.id, spec.customerId]);
      await this.deps.announcer.around(
        tx,
        { subscriptions: [row.id], customers: [spec.customerId] },
        { key: `api:${row.id}`, at: now },
        () =>
          auditedSubscriptionWrite(tx, 'subscription.create', row.id, () =>
            repo.insertSubscription(tx, row, item),
          ),
      );
    });
    return {
      id: row.id,
      provider: 'external' as const,
      status: row.status,
      currentPeriodEnd: row.currentPeriodEnd,
    };
  }
}

interface NewSubscriptionSpec {
  customerId: string;
  /** The seat mode of a per-seat plan, for the subscription's Stripe metadata. */
  seatMetadata: Record<string, string>;
  plan: PlanWithPrices;
  price: PriceRow;
  quantity: number;
  trialDays: number;
}

/**
 * The price asked for, by id, or by interval and currency; without an interval, the monthly price
 * (in the currency asked for), else the only active one. A choice that stays open is the caller's.
 */
export function choosePrice(
  plan: PlanWithPrices,
  input: { price_id?: string | undefined; interval?: string | undefined; currency?: string | undefined },
): PriceRow {
  if (input.price_id !== undefined) {
    const price = plan.prices.find((p) => p.id === input.price_id || p.stripePriceId === input.price_id);
    if (!price)
      throw new ValidationError('unknown_price', `Plan '${plan.key}' has no price '${input.price_id}'`, {
        field: 'price_id',
      });
    if (!price.active)
      throw new ConflictError(
        'price_archived',
        `Price '${input.price_id}' is archived and takes no new subscribers`,
      );
    return price;
  }
  const active = plan.prices.filter((p) => p.active);
  const offered = active.map((p) => ({
    id: p.id,
    currency: p.currency,
    interval: p.interval,
    interval_count: p.intervalCount,
  }));
  const inCurrency = active.filter((p) => input.currency === undefined || p.currency === input.currency);
  if (inCurrency.length === 0)
    throw new ValidationError(
      'no_price_in_currency',
      `Plan '${plan.key}' has no active price in ${input.currency}`,
      { prices: offered },
    );
  if (input.interval !== undefined) {
    const matching = inCurrency.filter((p) => p.interval === input.interval);
    if (matching.length === 1) return matching[0]!;
    if (matching.length === 0)
      throw new ValidationError(
        'no_price_for_interval',
        `Plan '${plan.key}' has no active price billed every ${input.interval}`,
        { prices: offered },
      );
    throw priceRequired(plan, offered);
  }
  const monthly = inCurrency.filter((p) => p.interval === 'month' && p.intervalCount === 1);
  if (monthly.length === 1) return monthly[0]!;
  if (inCurrency.length === 1) return inCurrency[0]!;
  throw priceRequired(plan, offered);
}

function priceRequired(plan: PlanWithPrices, offered: unknown[]): ValidationError {
  return new ValidationError(
    'price_required',
    `Plan '${plan.key}' has several prices that fit; choose one with currency, interval or price_id`,
    { prices: offered },
  );
}
