/**
 * Recur's four statuses, the ones the host app acts on, and how Stripe's eight map onto them.
 *
 * | Stripe status        | Recur status | why                                                      |
 * |----------------------|--------------|----------------------------------------------------------|
 * | `incomplete`         | `pending`    | created, first invoice not paid yet                      |
 * | `trialing`           | `active`     | in a trial: the user has the plan                        |
 * | `active`             | `active`     | paid up (also while a cancellation at period end waits)  |
 * | `past_due`           | `suspended`  | a renewal failed; Stripe is retrying                     |
 * | `unpaid`             | `suspended`  | retries exhausted, kept open                             |
 * | `paused`             | `suspended`  | trial ended without a payment method, or paused         |
 * | `canceled`           | `cancelled`  | ended                                                    |
 * | `incomplete_expired` | `cancelled`  | the first invoice was never paid within 23 hours         |
 *
 * External subscriptions (payments collected outside Stripe) keep the same Stripe vocabulary in
 * the mirror: `incomplete` until the first payment, `active` when paid, `past_due` after a failed
 * or missed payment, `canceled` when ended.
 */
export const RECUR_STATUSES = ['pending', 'active', 'suspended', 'cancelled'] as const;
export type RecurStatus = (typeof RECUR_STATUSES)[number];

export const STRIPE_STATUSES = [
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'canceled',
  'unpaid',
  'paused',
] as const;
export type StripeStatus = (typeof STRIPE_STATUSES)[number];

const RECUR_STATUS_OF: Record<StripeStatus, RecurStatus> = {
  incomplete: 'pending',
  trialing: 'active',
  active: 'active',
  past_due: 'suspended',
  unpaid: 'suspended',
  paused: 'suspended',
  canceled: 'cancelled',
  incomplete_expired: 'cancelled',
};

/**
 * The `stripe_status` the API shows: Stripe's own status of a Stripe-managed subscription, and null
 * for an external one, which Stripe does not hold (its mirror row keeps Stripe's words internally).
 */
export function stripeStatusShown(row: {
  provider: 'stripe' | 'external';
  status: string;
}): StripeStatus | null {
  return row.provider === 'external' ? null : (row.status as StripeStatus);
}

export function recurStatus(stripeStatus: string): RecurStatus {
  return RECUR_STATUS_OF[stripeStatus as StripeStatus] ?? 'suspended';
}

/** The Stripe statuses a Recur status filter stands for (list filters accept either vocabulary). */
export function stripeStatusesOf(status: RecurStatus): StripeStatus[] {
  return STRIPE_STATUSES.filter((s) => RECUR_STATUS_OF[s] === status);
}
