// Builders for disputes and early fraud warnings, with every field Stripe returns (compare
// `dispute` and `radar.early_fraud_warning` in Stripe's own fixtures).

import type Stripe from 'stripe';
import { newId } from '../../core/ids.js';
import type { IssuerAction } from '../../resources/test-cards.js';

const DAY = 86_400;
/** Stripe's dispute fee in the United States ($15), withdrawn with the disputed amount and returned on a win. */
export const DISPUTE_FEE = 1500;

function emptyEvidence(): Stripe.Dispute.Evidence {
  return {
    access_activity_log: null,
    billing_address: null,
    cancellation_policy: null,
    cancellation_policy_disclosure: null,
    cancellation_rebuttal: null,
    customer_communication: null,
    customer_email_address: null,
    customer_name: null,
    customer_purchase_ip: null,
    customer_signature: null,
    duplicate_charge_documentation: null,
    duplicate_charge_explanation: null,
    duplicate_charge_id: null,
    enhanced_evidence: {},
    product_description: null,
    receipt: null,
    refund_policy: null,
    refund_policy_disclosure: null,
    refund_refusal_explanation: null,
    service_date: null,
    service_documentation: null,
    shipping_address: null,
    shipping_carrier: null,
    shipping_date: null,
    shipping_documentation: null,
    shipping_tracking_number: null,
    uncategorized_file: null,
    uncategorized_text: null,
  };
}

/**
 * A dispute of the whole charge. Evidence is due by the end of the seventh UTC day after it opens;
 * an inquiry moves no money (and the charge may still be refunded), a chargeback withdraws the
 * amount at once (see `disputeBalanceTransaction`).
 */
export function newDispute(
  charge: Stripe.Charge,
  action: Exclude<IssuerAction, { kind: 'early_fraud_warning' }>,
  created: number,
): Stripe.Dispute {
  const inquiry = action.kind === 'inquiry';
  const brand = charge.payment_method_details?.card?.brand ?? 'visa';
  const networkReasonCode = action.kind === 'dispute' ? action.networkReasonCode : null;
  return {
    id: newId('dp'),
    object: 'dispute',
    amount: charge.amount,
    balance_transactions: [],
    charge: charge.id,
    created,
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence: emptyEvidence(),
    evidence_details: {
      due_by: Math.floor(created / DAY) * DAY + 8 * DAY - 1,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: 'not_submitted',
    },
    intended_submission_method: null,
    is_charge_refundable: inquiry,
    livemode: false,
    metadata: {},
    payment_intent: typeof charge.payment_intent === 'string' ? charge.payment_intent : null,
    payment_method_details: {
      card: {
        brand,
        case_type: inquiry ? 'inquiry' : 'chargeback',
        network: brand,
        network_reason_code: networkReasonCode,
      },
      type: 'card',
    },
    reason: action.kind === 'dispute' ? action.reason : 'general',
    status: inquiry ? 'warning_needs_response' : 'needs_response',
  };
}

/**
 * The balance transaction of money a dispute moves: the disputed amount and Stripe's fee withdrawn
 * when it opens, both given back when it is won ("your account is credited the charge amount and
 * related fees", docs.stripe.com/testing#disputes).
 */
export function disputeBalanceTransaction(
  dispute: Stripe.Dispute,
  direction: 'withdrawn' | 'reinstated',
  created: number,
): Stripe.BalanceTransaction {
  const sign = direction === 'withdrawn' ? -1 : 1;
  const fee = -sign * DISPUTE_FEE;
  const amount = sign * dispute.amount;
  const charge = String(dispute.charge);
  return {
    id: newId('txn'),
    object: 'balance_transaction',
    amount,
    available_on: created,
    balance_type: 'payments',
    created,
    currency: dispute.currency,
    description:
      direction === 'withdrawn' ? `Chargeback withdrawal for ${charge}` : `Chargeback reversal for ${charge}`,
    exchange_rate: null,
    fee,
    fee_details: [
      {
        amount: fee,
        application: null,
        currency: dispute.currency,
        description: direction === 'withdrawn' ? 'Dispute fee' : 'Dispute fee refund',
        type: 'stripe_fee',
      },
    ],
    net: amount - fee,
    reporting_category: direction === 'withdrawn' ? 'dispute' : 'dispute_reversal',
    source: dispute.id,
    status: 'available',
    type: 'adjustment',
  };
}

/**
 * Actionable until its charge is disputed or refunded in full
 * (docs.stripe.com/api/radar/early_fraud_warnings/object). Its optional `payment_intent` is left
 * out, as in Stripe's own example: the charge names it.
 */
export function newEarlyFraudWarning(charge: Stripe.Charge, created: number): Stripe.Radar.EarlyFraudWarning {
  return {
    id: newId('issfr'),
    object: 'radar.early_fraud_warning',
    actionable: true,
    charge: charge.id,
    created,
    fraud_type: 'made_with_stolen_card',
    livemode: false,
  };
}
