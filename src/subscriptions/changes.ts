import type Stripe from 'stripe';
import { z } from 'zod';
import type { DbOrTx } from '../db/client.js';
import { ConflictError, ValidationError } from '../http/errors.js';
import { planRepository } from '../plans/repository.js';
import { licensedItem, SEAT_MODE_METADATA } from '../stripe/mapping.js';
import type { ItemChange, StripeSubscriptions } from '../stripe/subscriptions.js';
import { addBillingCycles, type BillingInterval } from './billing-cycle.js';
import { oneTimePlanRefused } from './live.js';
import { type PlanPriceRow, subscriptionRepository as repo } from './repository.js';
import type { SubscriptionView } from './views.js';

/** What a plan change is, which decides when it takes effect. */
export type ChangeKind = 'upgrade' | 'downgrade' | 'quantity' | 'interval';

export interface PriceTerms {
  unitAmount: number;
  interval: string;
  intervalCount: number;
  quantity: number;
}

const MONTHS_PER: Record<string, number> = { day: 12 / 365, week: 12 / 52, month: 1, year: 12 };

/** What the subscription costs per month: comparable across monthly and yearly prices. */
export function monthlyAmount(terms: PriceTerms): number {
  return (terms.unitAmount * terms.quantity) / ((MONTHS_PER[terms.interval] ?? 1) * terms.intervalCount);
}

/**
 * An interval change restarts the billing cycle now (Stripe does so for any interval change);
 * otherwise paying more per month (a dearer price or more seats) is an upgrade, applied now with
 * its proration charged at once, and paying less is a downgrade, applied at the period end.
 */
export function classifyChange(
  from: PriceTerms & { priceId: string },
  to: PriceTerms & { priceId: string },
): { kind: ChangeKind; appliesNow: boolean } {
  if (from.interval !== to.interval || from.intervalCount !== to.intervalCount) {
    return { kind: 'interval', appliesNow: true };
  }
  const more = monthlyAmount(to) >= monthlyAmount(from);
  if (from.priceId === to.priceId) return { kind: 'quantity', appliesNow: more };
  return { kind: more ? 'upgrade' : 'downgrade', appliesNow: more };
}

export const changePreview = z
  .object({
    kind: z.enum(['upgrade', 'downgrade', 'quantity', 'interval']),
    effective: z.enum(['now', 'period_end']),
    effective_at: z.string(),
    amount_due_now: z.number().int().describe('Charged at once when the change applies now (minor units)'),
    currency: z.string(),
    proration_date: z
      .number()
      .int()
      .describe('Unix seconds; send it with the change so the charge equals this preview'),
    lines: z.array(
      z.object({
        description: z.string().nullable(),
        amount: z.number().int(),
        proration: z.boolean(),
        period_start: z.string(),
        period_end: z.string(),
      }),
    ),
    next_invoice: z.object({
      amount_due: z.number().int(),
      period_start: z.string(),
      period_end: z.string(),
    }),
  })
  .describe('ChangePreview');

export type ChangePreview = z.infer<typeof changePreview>;

const iso = (unix: number) => new Date(unix * 1000).toISOString();

export function previewLines(invoice: Stripe.Invoice): ChangePreview['lines'] {
  return invoice.lines.data.map((line) => ({
    description: line.description,
    amount: line.amount,
    proration:
      line.parent?.invoice_item_details?.proration ??
      line.parent?.subscription_item_details?.proration ??
      false,
    period_start: iso(line.period.start),
    period_end: iso(line.period.end),
  }));
}

/** The service period an invoice bills for the subscription's item (not its prorations). */
export function billedPeriod(invoice: Stripe.Invoice): { start: number; end: number } | null {
  const line = invoice.lines.data.find((l) => l.parent?.type === 'subscription_item_details');
  return line ? line.period : null;
}

export interface ChangeInput {
  plan_id?: string | undefined;
  price_id?: string | undefined;
  interval?: 'day' | 'week' | 'month' | 'year' | undefined;
  quantity?: number | undefined;
  immediately?: boolean | undefined;
}

/** The price and quantity a change asks for, with the catalog plan the price belongs to. */
export interface ChangeTarget extends PriceTerms {
  priceId: string;
  planId: string;
}

/** What a plan change did, as the API answers it. */
export interface ChangeResult {
  kind: ChangeKind;
  effective: 'now' | 'period_end';
  effective_at: string;
  /** The invoice that charged a change applied now. */
  invoice_id: string | null;
  subscription: SubscriptionView;
}

/** What the subscription's (first) item costs now, and the catalog plan its price belongs to. */
export async function currentTerms(db: DbOrTx, sub: Stripe.Subscription) {
  const item = licensedItem(sub);
  const recurring = item.price.recurring!;
  return {
    priceId: item.price.id,
    planId: (await repo.findPlanPrice(db, item.price.id))?.planId ?? null,
    currency: sub.currency,
    unitAmount: item.price.unit_amount ?? 0,
    interval: recurring.interval,
    intervalCount: recurring.interval_count,
    quantity: item.quantity ?? 1,
    seatMode: sub.metadata?.[SEAT_MODE_METADATA] ?? null,
  };
}

/**
 * Resolves a change request against the catalog: a price (Recur's id or Stripe's), or a plan and an
 * interval (each defaulting to the subscription's), then the quantity. Every refusal is a 400 with
 * its own code, raised before anything is written.
 */
export async function resolveTarget(
  db: DbOrTx,
  current: {
    planId: string | null;
    currency: string;
    interval: string;
    intervalCount: number;
    quantity: number;
    seatMode?: string | null;
  },
  input: ChangeInput,
): Promise<ChangeTarget> {
  if (current.seatMode === 'members' && input.quantity !== undefined && input.quantity !== current.quantity) {
    throw new ConflictError(
      'seat_mode_members',
      'The quantity follows the organisation’s members who hold a seat: add or remove members (with auto_add_seats for more seats), or use the manual seat mode',
    );
  }
  if (
    input.plan_id === undefined &&
    input.price_id === undefined &&
    input.interval === undefined &&
    input.quantity === undefined
  ) {
    throw new ValidationError(
      'change_required',
      'Give at least one of plan_id, price_id, interval, quantity',
    );
  }
  const price = input.price_id ? await priceById(db, input) : await priceOfPlan(db, current, input);
  const plan = await planRepository.findByIdOrKey(db, price.planId);
  if (plan?.status !== 'active')
    throw new ValidationError('plan_archived', `The plan '${price.planId}' is archived`);
  if (plan.kind === 'one_time' || price.interval === null) throw oneTimePlanRefused(plan.key);
  if (!price.active) throw new ValidationError('price_archived', `The price '${price.id}' is archived`);
  const from =
    current.planId && current.planId !== plan.id ? await planRepository.findById(db, current.planId) : null;
  if (from && from.kind !== plan.kind)
    throw new ConflictError(
      'plan_kind_mismatch',
      `A ${from.kind} subscription cannot change to the ${plan.kind} plan '${plan.key}'; subscribe to it instead`,
      { from_kind: from.kind, to_kind: plan.kind },
    );
  if (price.currency !== current.currency) {
    throw new ValidationError(
      'currency_mismatch',
      `The subscription is billed in ${current.currency.toUpperCase()}, the price in ${price.currency.toUpperCase()}`,
    );
  }
  if (price.unitAmount === null) {
    throw new ValidationError('tiered_price_unsupported', 'Changing to a tiered price is not supported');
  }
  return {
    priceId: price.stripePriceId,
    planId: price.planId,
    unitAmount: price.unitAmount,
    interval: price.interval,
    intervalCount: price.intervalCount,
    quantity: input.quantity ?? current.quantity,
  };
}

async function priceById(db: DbOrTx, input: ChangeInput): Promise<PlanPriceRow> {
  const price = await repo.findPlanPrice(db, input.price_id!);
  if (!price) throw new ValidationError('unknown_price', `No catalog price '${input.price_id}'`);
  if (input.plan_id !== undefined) {
    const plan = await planRepository.findByIdOrKey(db, input.plan_id);
    if (plan?.id !== price.planId) {
      throw new ValidationError(
        'price_not_in_plan',
        `The price '${input.price_id}' is not one of plan '${input.plan_id}'`,
      );
    }
  }
  if (input.interval !== undefined && input.interval !== price.interval) {
    throw new ValidationError(
      'interval_mismatch',
      `The price '${input.price_id}' is billed every ${price.interval}`,
    );
  }
  return price;
}

async function priceOfPlan(
  db: DbOrTx,
  current: { planId: string | null; currency: string; interval: string; intervalCount: number },
  input: ChangeInput,
): Promise<PlanPriceRow> {
  const planKey = input.plan_id ?? current.planId;
  const plan = planKey ? await planRepository.findByIdOrKey(db, planKey) : null;
  if (!plan) {
    throw new ValidationError(
      'unknown_plan',
      input.plan_id
        ? `No plan '${input.plan_id}'`
        : 'The subscription’s price is not in the catalog; give a price_id',
    );
  }
  if (plan.status !== 'active')
    throw new ValidationError('plan_archived', `The plan '${plan.id}' is archived`);
  const interval = input.interval ?? current.interval;
  const prices = plan.prices.filter((p) => p.active && p.interval === interval);
  const match =
    prices.find(
      (p) => p.currency === current.currency && (input.interval || p.intervalCount === current.intervalCount),
    ) ?? prices.find((p) => p.currency === current.currency);
  if (match) return match;
  if (prices.length > 0) {
    throw new ValidationError(
      'currency_mismatch',
      `Plan '${plan.id}' has no ${current.currency.toUpperCase()} price billed every ${interval}`,
    );
  }
  throw new ValidationError(
    'no_price_for_interval',
    `Plan '${plan.id}' has no active price billed every ${interval}`,
  );
}

/** Stripe's previews of a change: what is charged now, if anything, and the next renewal. */
export async function previewChange(
  stripe: StripeSubscriptions,
  sub: Stripe.Subscription,
  change: ItemChange,
  target: ChangeTarget,
  plan: {
    kind: ChangeKind;
    appliesNow: boolean;
    prorationDate: number;
    periodEnd: number;
    /** Stripe Tax is on: the change will be taxed, so its preview is too. */
    tax?: boolean;
  },
): Promise<ChangePreview> {
  const now = plan.appliesNow
    ? await stripe.previewChange(sub, change, {
        prorationDate: plan.prorationDate,
        prorationBehavior: 'always_invoice',
        tax: plan.tax ?? false,
      })
    : null;
  let next: ChangePreview['next_invoice'];
  const billedNow = now ? billedPeriod(now) : null;
  if (plan.kind === 'interval' && billedNow) {
    // The cycle restarts now: the next invoice is the first renewal of the new interval.
    next = {
      amount_due: target.unitAmount * target.quantity,
      period_start: iso(billedNow.end),
      period_end: addBillingCycles(
        new Date(billedNow.end * 1000),
        target.interval as BillingInterval,
        target.intervalCount,
      ).toISOString(),
    };
  } else {
    const renewal = await stripe.previewChange(sub, change, {
      prorationDate: plan.prorationDate,
      prorationBehavior: 'none',
      tax: plan.tax ?? false,
    });
    const period = billedPeriod(renewal) ?? { start: renewal.period_start, end: renewal.period_end };
    next = {
      amount_due: renewal.amount_due,
      period_start: iso(period.start),
      period_end: iso(period.end),
    };
  }
  return {
    kind: plan.kind,
    effective: now ? 'now' : 'period_end',
    effective_at: iso(now ? plan.prorationDate : plan.periodEnd),
    amount_due_now: now?.amount_due ?? 0,
    currency: sub.currency,
    proration_date: plan.prorationDate,
    lines: now ? previewLines(now) : [],
    next_invoice: next,
  };
}
