/**
 * Recur's five statuses, the ones the host app acts on, and how Stripe's eight map onto them.
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
 * `action_required` is Recur's own: a `past_due` (or `active`) subscription whose latest invoice is
 * open and waits for the customer's 3-D Secure authentication (`invoice.payment_action_required`).
 * Access follows the Stripe status (the `past_due` grace period), as for `suspended`.
 *
 * External subscriptions (payments collected outside Stripe) keep the same Stripe vocabulary in
 * the mirror: `incomplete` until the first payment, `active` when paid, `past_due` after a failed
 * or missed payment, `canceled` when ended.
 */
export const RECUR_STATUSES = ['pending', 'active', 'action_required', 'suspended', 'cancelled'] as const;
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

/** The Stripe statuses whose subscription shows `action_required` while a payment waits for the customer. */
export const ACTION_STATUSES: readonly StripeStatus[] = ['active', 'past_due'];

const RECUR_STATUS_OF: Record<StripeStatus, Exclude<RecurStatus, 'action_required'>> = {
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

/** Recur's status; `paymentActionRequired`: the latest invoice is open and waits for the customer. */
export function recurStatus(stripeStatus: string, paymentActionRequired = false): RecurStatus {
  if (paymentActionRequired && ACTION_STATUSES.includes(stripeStatus as StripeStatus))
    return 'action_required';
  return RECUR_STATUS_OF[stripeStatus as StripeStatus] ?? 'suspended';
}

/** The Stripe statuses of a Recur status other than `action_required`. */
export function stripeStatusesOf(status: Exclude<RecurStatus, 'action_required'>): StripeStatus[] {
  return STRIPE_STATUSES.filter((s) => RECUR_STATUS_OF[s] === status);
}

/**
 * What a Recur status filter stands for (list filters accept either vocabulary): Stripe statuses,
 * and whether a payment must (true) or must not (false) wait for the customer, or either (null).
 */
export function statusFilterOf(status: RecurStatus): {
  stripeStatuses: StripeStatus[];
  paymentActionRequired: boolean | null;
} {
  if (status === 'action_required')
    return { stripeStatuses: [...ACTION_STATUSES], paymentActionRequired: true };
  const stripeStatuses = stripeStatusesOf(status);
  const overlaps = stripeStatuses.some((s) => ACTION_STATUSES.includes(s));
  return { stripeStatuses, paymentActionRequired: overlaps ? false : null };
}
