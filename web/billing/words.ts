import { formatDate, formatMoney } from '../src/format.js';
import type { Entitlements, Plan, Price, Subscription } from './api.js';

export type Interval = 'month' | 'year';

export const INTERVALS: { value: Interval; label: string }[] = [
  { value: 'month', label: 'Monthly' },
  { value: 'year', label: 'Yearly' },
];

/** The plan's active price billed every one `interval`, in the currency the user already pays in if it has one. */
export function priceFor(plan: Plan, interval: Interval, currency?: string): Price | undefined {
  const candidates = plan.prices.filter((p) => p.active && p.interval === interval && p.interval_count === 1);
  return candidates.find((p) => p.currency === currency) ?? candidates[0];
}

/** "$29.00 per month", or "$10.00 per seat per month" for a per-seat plan. */
export function priceInWords(price: Price, perSeat = false): string {
  if (price.unit_amount === null) return 'Priced by usage tier';
  if (price.interval === null) return `${formatMoney(price.unit_amount, price.currency)} once`;
  return `${formatMoney(price.unit_amount, price.currency)} per ${perSeat ? 'seat per ' : ''}${price.interval}`;
}

/** A one-time plan's price, in the currency the user already pays in if it has one. */
export function oneTimePrice(plan: Plan, currency?: string): Price | undefined {
  const candidates = plan.prices.filter((p) => p.active && p.interval === null);
  return candidates.find((p) => p.currency === currency) ?? candidates[0];
}

/** `ai_credits` → "Ai credits": the key spaced and capitalised. */
export function featureInWords(key: string): string {
  return key.replace(/[_-]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

/** 1500 → "1,500". */
export function count(n: number): string {
  return new Intl.NumberFormat('en-US').format(n);
}

type PlanBenefit = Plan['benefits'][number];
type Usage = Entitlements['usage'][string];

const PER_RESET: Record<NonNullable<PlanBenefit['reset']>, string> = {
  day: 'a day',
  week: 'a week',
  month: 'a month',
  year: 'a year',
  billing_period: 'each billing period',
  never: 'in all',
};

const BEYOND: Record<NonNullable<PlanBenefit['overage']>, string> = {
  block: '',
  bill: ', then billed per use',
  credits: ', then from your credits',
};

/** "Api calls: 1,000 a month, then billed per use": a metered limit as a customer reads it. */
function limitInWords(key: string, limit: number, reset: Usage['reset'], overage: Usage['overage']): string {
  return `${featureInWords(key)}: ${count(limit)} ${PER_RESET[reset]}${BEYOND[overage]}`;
}

/** A plan's benefits in words: a metered limit with its period and overage, a credit grant as credits. */
export function planBenefitsInWords(benefits: PlanBenefit[], oneTime: boolean): string[] {
  return benefits.flatMap((b) => {
    if (b.limit !== undefined && b.reset && b.overage)
      return limitInWords(b.key, b.limit, b.reset, b.overage);
    if (b.credits !== undefined)
      return `${featureInWords(b.key)}: ${count(b.credits)} credits${oneTime ? '' : ' each period'}`;
    return benefitInWords(b.key, b.value) ?? [];
  });
}

/**
 * The entitlements' benefits in words: a metered limit by the payer's standing (its merged limit,
 * period and overage), a credit grant as credits (its definition read from the plans), the rest by
 * value.
 */
export function entitledInWords(entitlements: Entitlements, planBenefits: PlanBenefit[]): string[] {
  return Object.entries(entitlements.benefits).flatMap(([key, value]) => {
    const usage = entitlements.usage[key];
    const defined = planBenefits.find(
      (b) => b.key === key && (b.limit !== undefined || b.credits !== undefined),
    );
    if (usage && !(usage.limit === 0 && usage.overage === 'credits'))
      return limitInWords(key, usage.limit, usage.reset, usage.overage);
    if (defined?.limit !== undefined && defined.reset && defined.overage && typeof value === 'number')
      return limitInWords(key, value, defined.reset, defined.overage);
    if ((usage || defined?.credits !== undefined) && typeof value === 'number')
      return `${featureInWords(key)}: ${count(value)} credits`;
    return benefitInWords(key, value) ?? [];
  });
}

/** `seats: 5` → "Seats: 5"; `priority_support: true` → "Priority support". */
export function benefitInWords(key: string, value: boolean | number | string): string | null {
  const label = featureInWords(key);
  if (value === false) return null;
  if (value === true) return label;
  return `${label}: ${value}`;
}

/** Stripe's word for where an external subscription (no Stripe status) stands. */
const STRIPE_WORD_OF: Record<Subscription['status'], string> = {
  pending: 'incomplete',
  active: 'active',
  action_required: 'past_due',
  suspended: 'past_due',
  cancelled: 'canceled',
};

/** The subscription's state as a customer would say it. */
export function statusInWords(s: Subscription): string {
  if (s.status === 'action_required') {
    return 'Your bank asks you to confirm the last payment. Your plan stays available while you do.';
  }
  const inTrial = s.trial_end !== null && Date.parse(s.trial_end) > Date.now();
  const word = s.stripe_status ?? (s.status === 'active' && inTrial ? 'trialing' : STRIPE_WORD_OF[s.status]);
  switch (word) {
    case 'trialing':
      return `Free trial until ${formatDate(s.trial_end)}`;
    case 'active':
      return 'Active';
    case 'past_due':
      return 'Past due: the last payment failed. Update your card to keep access.';
    case 'unpaid':
      return 'Unpaid: update your card to restore access.';
    case 'incomplete':
      return 'Waiting for the first payment';
    case 'incomplete_expired':
      return 'The first payment was never made';
    case 'paused':
      return 'Paused';
    case 'canceled':
      return 'Ended';
    default:
      return word;
  }
}

/** When a pending cancellation takes effect, or null when none is pending. */
export function cancelsOn(s: Subscription): string | null {
  if (s.cancel_at) return s.cancel_at;
  if (s.cancel_at_period_end) return s.current_period_end;
  return null;
}

/** The next charge's amount, before discounts and taxes Stripe may apply. */
export function nextChargeInWords(s: Subscription): string {
  if (cancelsOn(s)) return 'No further charges';
  if (!s.next_billing_date || s.unit_amount === null) return 'No charge scheduled';
  return `${formatMoney(s.unit_amount * s.quantity, s.currency)} on ${formatDate(s.next_billing_date)}`;
}

/**
 * The seats a subscription is billed for: shown for a per-seat subscription (one with a seat mode)
 * and wherever more than one is billed; null for a plain single subscription.
 */
export function seatsOf(s: Subscription): number | null {
  const perSeat = 'seat_mode' in s && s.seat_mode !== null && s.seat_mode !== undefined;
  return perSeat || s.quantity > 1 ? s.quantity : null;
}

/** "$29.00 per month", or "3 seats × $10.00 per month" (before discounts and taxes). */
export function planPriceInWords(s: Subscription): string | null {
  if (s.unit_amount === null || !s.interval) return null;
  const each = `${formatMoney(s.unit_amount, s.currency)} per ${s.interval}`;
  const seats = seatsOf(s);
  return seats === null ? each : `${seats} ${seats === 1 ? 'seat' : 'seats'} × ${each}`;
}
