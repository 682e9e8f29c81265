/**
 * What a dispute does to access, per deployment (the `dispute_policy` setting, default from
 * RECUR_DISPUTE_POLICY), and what an early fraud warning does (`early_fraud_warning_policy`).
 *
 * - `freeze` (default): while a chargeback is open (`needs_response`, `under_review`) the disputed
 *   subscription's entitlements are suspended. Won, they come back. Lost, they stay suspended and
 *   the subscription is cancelled at once in Stripe (no proration, no final invoice): the payer has
 *   taken the money back, and further renewals would bill someone who disowned the payment.
 * - `cancel`: a chargeback cancels the subscription at once when it opens, whatever its outcome.
 * - `none`: disputes are mirrored and reported, and access is left alone.
 *
 * An inquiry (`warning_*` statuses) moves no money and does neither, under any policy; escalated,
 * it is a chargeback like any other.
 */
export const DISPUTE_POLICIES = ['freeze', 'cancel', 'none'] as const;
export type DisputePolicy = (typeof DISPUTE_POLICIES)[number];

/** `refund_and_cancel`: an actionable early fraud warning refunds its charge and cancels the subscription. */
export const EARLY_FRAUD_WARNING_POLICIES = ['none', 'refund_and_cancel'] as const;
export type EarlyFraudWarningPolicy = (typeof EARLY_FRAUD_WARNING_POLICIES)[number];

export interface FraudPolicies {
  dispute: DisputePolicy;
  earlyFraudWarning: EarlyFraudWarningPolicy;
}

const OPEN_CHARGEBACK: ReadonlySet<string> = new Set(['needs_response', 'under_review']);

/** Whether a dispute in `status` suspends its subscription's entitlements. */
export function freezesAccess(policy: DisputePolicy, status: string): boolean {
  return policy === 'freeze' && (OPEN_CHARGEBACK.has(status) || status === 'lost');
}

/** Whether a dispute in `status` ends its subscription. */
export function cancelsSubscription(policy: DisputePolicy, status: string): boolean {
  if (policy === 'cancel') return OPEN_CHARGEBACK.has(status) || status === 'won' || status === 'lost';
  return policy === 'freeze' && status === 'lost';
}
