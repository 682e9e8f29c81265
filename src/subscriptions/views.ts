import { z } from 'zod';
import { utcDate } from './billing-cycle.js';
import type { SubscriptionRecord } from './repository.js';
import { RECUR_STATUSES, recurStatus, stripeStatusShown } from './status.js';

/**
 * A change scheduled for the period end lives on the Stripe subscription's metadata (the mirror
 * keeps metadata, not schedules), written with the schedule and removed when it is released.
 */
export const SCHEDULED_METADATA = {
  price: 'recur_scheduled_price',
  plan: 'recur_scheduled_plan',
  quantity: 'recur_scheduled_quantity',
  at: 'recur_scheduled_at',
} as const;

export const scheduledChangeView = z.object({
  plan_id: z.string().nullable(),
  price_id: z.string(),
  quantity: z.number().int(),
  effective_at: z.string(),
});

export const subscriptionView = z
  .object({
    id: z.string(),
    status: z
      .enum(RECUR_STATUSES)
      .describe(
        'Recur’s status; `action_required`: a payment waits for the customer to confirm it (3-D Secure) at `payment_action_url`',
      ),
    stripe_status: z
      .string()
      .nullable()
      .describe(
        'Stripe’s status of a Stripe-managed subscription; null for an external one, which Stripe does not hold',
      ),
    provider: z.enum(['stripe', 'external']),
    customer_id: z.string(),
    organization_id: z
      .string()
      .nullable()
      .describe('The organisation that pays for it (the host app’s id); null for a user’s own'),
    plan_id: z.string().nullable(),
    plan_name: z.string().nullable(),
    price_id: z.string().nullable().describe('Stripe price id'),
    interval: z.string().nullable(),
    quantity: z.number().int(),
    seat_mode: z
      .enum(['manual', 'members'])
      .nullable()
      .describe(
        'For a per-seat plan, who sets `quantity` (the seats): `manual` (the change route) or `members` (the organisation’s members who hold a seat); null otherwise',
      ),
    currency: z.string(),
    unit_amount: z.number().int().nullable(),
    current_period_start: z.string().nullable(),
    current_period_end: z.string().nullable(),
    next_billing_date: z
      .string()
      .nullable()
      .describe(
        'UTC date (YYYY-MM-DD) the next renewal is charged, as POST /api/subscriptions answers it; null when the subscription ends instead',
      ),
    cancel_at_period_end: z.boolean(),
    cancel_at: z.string().nullable(),
    canceled_at: z.string().nullable(),
    cancellation_reason: z.string().nullable(),
    trial_start: z.string().nullable(),
    trial_end: z.string().nullable(),
    scheduled_change: scheduledChangeView.nullable(),
    payment_action_url: z
      .string()
      .nullable()
      .describe(
        'Stripe’s hosted invoice page where the customer confirms the latest invoice’s payment (3-D Secure), while it waits for them; null otherwise',
      ),
    created_at: z.string(),
  })
  .describe('Subscription');

export type SubscriptionView = z.infer<typeof subscriptionView>;

export const subscriptionListItem = subscriptionView
  .extend({
    customer_email: z
      .string()
      .nullable()
      .describe('The owner’s email, shown to admins only (null for service keys)'),
    customer_name: z
      .string()
      .nullable()
      .describe('The owner’s name, shown to admins only (null for service keys)'),
  })
  .describe('SubscriptionListItem');
export type SubscriptionListItem = z.infer<typeof subscriptionListItem>;

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

const ENDED = ['canceled', 'incomplete_expired'];

/** The pending change, unless it has taken effect (the period it starts has begun) or the subscription ended. */
function scheduledChange(record: SubscriptionRecord): SubscriptionView['scheduled_change'] {
  const { metadata, currentPeriodStart, status } = record.subscription;
  const price = metadata[SCHEDULED_METADATA.price];
  const at = Number(metadata[SCHEDULED_METADATA.at]);
  if (!price || !Number.isFinite(at) || ENDED.includes(status)) return null;
  if (currentPeriodStart && currentPeriodStart.getTime() >= at * 1000) return null;
  return {
    plan_id: metadata[SCHEDULED_METADATA.plan] || null,
    price_id: price,
    quantity: Number(metadata[SCHEDULED_METADATA.quantity] ?? 1),
    effective_at: new Date(at * 1000).toISOString(),
  };
}

export function toSubscriptionView(record: SubscriptionRecord): SubscriptionView {
  const s = record.subscription;
  const ends = ENDED.includes(s.status) || s.cancelAtPeriodEnd || s.cancelAt !== null;
  return {
    id: s.id,
    status: recurStatus(s.status, record.paymentActionUrl !== null),
    stripe_status: stripeStatusShown(s),
    provider: s.provider,
    customer_id: s.customerId,
    organization_id: record.ownerOrganizationId,
    plan_id: s.planId,
    plan_name: record.planName,
    price_id: s.priceId,
    interval: record.item?.interval ?? null,
    quantity: s.quantity,
    seat_mode: s.seatMode,
    currency: s.currency,
    unit_amount: record.item?.unitAmount ?? null,
    current_period_start: iso(s.currentPeriodStart),
    current_period_end: iso(s.currentPeriodEnd),
    next_billing_date: ends || !s.currentPeriodEnd ? null : utcDate(s.currentPeriodEnd),
    cancel_at_period_end: s.cancelAtPeriodEnd,
    cancel_at: iso(s.cancelAt),
    canceled_at: iso(s.canceledAt),
    cancellation_reason: s.cancellationReason,
    trial_start: iso(s.trialStart),
    trial_end: iso(s.trialEnd),
    scheduled_change: scheduledChange(record),
    payment_action_url: record.paymentActionUrl,
    created_at: s.createdAt.toISOString(),
  };
}
