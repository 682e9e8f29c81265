// What a card's issuer does after a successful charge with one of Stripe's dispute test cards, and
// how a dispute moves on once evidence is submitted or it is accepted
// (https://docs.stripe.com/testing#disputes, https://docs.stripe.com/disputes/how-disputes-work).

import type Stripe from 'stripe';
import { invalidRequest } from '../../core/errors.js';
import type { MetadataUpdate } from '../../core/records.js';
import { mergeMetadata } from '../../core/records.js';
import { testCardOf } from '../../resources/payment-methods/card-objects.js';
import { disputeBalanceTransaction, newDispute, newEarlyFraudWarning } from '../objects/dispute-objects.js';
import type { Billing } from './context.js';
import type { EventBatch } from './event-batch.js';

/** What the issuer of the charge's test card does once it succeeds, if anything. */
function issuerActionOf(billing: Billing, charge: Stripe.Charge) {
  const method = typeof charge.payment_method === 'string' ? charge.payment_method : null;
  return method ? (testCardOf(billing.emulator, method).afterCharge ?? null) : null;
}

/** Opens the dispute or early fraud warning the charge's test card asks for, right after it succeeds. */
export function afterSuccessfulCharge(
  billing: Billing,
  batch: EventBatch,
  charge: Stripe.Charge,
  at: number,
) {
  const action = issuerActionOf(billing, charge);
  if (!action) return;
  if (action.kind === 'early_fraud_warning') {
    const warning = newEarlyFraudWarning(charge, at);
    billing.data.earlyFraudWarnings.save(warning);
    batch.record('radar.early_fraud_warning.created', warning, at);
    return;
  }
  const dispute = newDispute(charge, action, at);
  charge.disputed = true;
  billing.data.charges.save(charge);
  billing.data.disputes.save(dispute);
  batch.record('charge.dispute.created', dispute, at);
  if (action.kind === 'dispute') withdrawFunds(billing, batch, dispute, at);
  settleWarnings(billing, batch, charge, at);
}

function withdrawFunds(billing: Billing, batch: EventBatch, dispute: Stripe.Dispute, at: number) {
  dispute.balance_transactions = [
    ...dispute.balance_transactions,
    disputeBalanceTransaction(dispute, 'withdrawn', at),
  ];
  dispute.is_charge_refundable = false;
  billing.data.disputes.save(dispute);
  batch.record('charge.dispute.funds_withdrawn', dispute, at);
}

/**
 * A warning stops being actionable once its charge is disputed or refunded in full: there is
 * nothing left to refund ("actionable: an EFW is actionable if it has not received a dispute and
 * has not been fully refunded", docs.stripe.com/api/radar/early_fraud_warnings/object).
 */
export function settleWarnings(billing: Billing, batch: EventBatch, charge: Stripe.Charge, at: number) {
  if (!(charge.disputed || charge.refunded)) return;
  for (const warning of billing.data.earlyFraudWarnings.filter(
    (w) => w.charge === charge.id && w.actionable,
  )) {
    warning.actionable = false;
    billing.data.earlyFraudWarnings.save(warning);
    batch.record('radar.early_fraud_warning.updated', warning, at, { actionable: true });
  }
}

/** A refund of a charge lost to a chargeback is refused, as Stripe does. */
export function refuseRefundOfDisputed(billing: Billing, charge: Stripe.Charge): void {
  const dispute = billing.data.disputes.find((d) => d.charge === charge.id && !d.is_charge_refundable);
  if (dispute) {
    throw invalidRequest(`Charge ${charge.id} has been charged back; cannot issue a refund.`, {
      code: 'charge_disputed',
    });
  }
}

const OPEN: ReadonlySet<string> = new Set(['needs_response', 'warning_needs_response']);
const CLOSED: ReadonlySet<string> = new Set(['won', 'lost', 'warning_closed', 'prevented']);

export interface DisputeUpdate {
  evidence?: Record<string, string>;
  metadata?: MetadataUpdate | null;
  submit?: boolean;
}

/**
 * Evidence is kept; submitted (the default), it is reviewed at once in test mode: the
 * `uncategorized_text` `winning_evidence` wins, `losing_evidence` loses (an inquiry closes without
 * escalation), and `escalate_inquiry_evidence` turns an inquiry into a chargeback.
 */
export function updateDispute(
  billing: Billing,
  batch: EventBatch,
  dispute: Stripe.Dispute,
  params: DisputeUpdate,
): Stripe.Dispute {
  const at = billing.clock.now();
  if (CLOSED.has(dispute.status) && params.evidence) {
    throw invalidRequest(`This dispute is already closed; you can no longer submit evidence.`, {
      param: 'evidence',
    });
  }
  const before = structuredClone(dispute);
  if (params.evidence) {
    dispute.evidence = { ...dispute.evidence, ...params.evidence };
    dispute.evidence_details.has_evidence = true;
  }
  dispute.metadata = mergeMetadata(dispute.metadata, params.metadata);
  const submitting = params.submit !== false && OPEN.has(dispute.status) && params.evidence !== undefined;
  if (submitting) {
    dispute.evidence_details.submission_count += 1;
    dispute.evidence_details.submission_method = 'manual';
    dispute.status = dispute.status === 'warning_needs_response' ? 'warning_under_review' : 'under_review';
  }
  billing.data.disputes.save(dispute);
  batch.record('charge.dispute.updated', dispute, at, changedFields(before, dispute));
  if (submitting) review(billing, batch, dispute, at);
  return dispute;
}

function review(billing: Billing, batch: EventBatch, dispute: Stripe.Dispute, at: number) {
  const text = dispute.evidence.uncategorized_text;
  const inquiry = dispute.status === 'warning_under_review';
  if (inquiry && text === 'escalate_inquiry_evidence') {
    const before = structuredClone(dispute);
    dispute.status = 'needs_response';
    billing.data.disputes.save(dispute);
    batch.record('charge.dispute.updated', dispute, at, changedFields(before, dispute));
    withdrawFunds(billing, batch, dispute, at);
    return;
  }
  if (text === 'winning_evidence')
    return close(billing, batch, dispute, inquiry ? 'warning_closed' : 'won', at);
  if (text === 'losing_evidence')
    return close(billing, batch, dispute, inquiry ? 'warning_closed' : 'lost', at);
}

/** Accepting a dispute (`POST /v1/disputes/:id/close`) concedes it. */
export function acceptDispute(billing: Billing, batch: EventBatch, dispute: Stripe.Dispute): Stripe.Dispute {
  if (CLOSED.has(dispute.status)) return dispute;
  const inquiry = dispute.status.startsWith('warning_');
  close(billing, batch, dispute, inquiry ? 'warning_closed' : 'lost', billing.clock.now());
  return dispute;
}

function close(
  billing: Billing,
  batch: EventBatch,
  dispute: Stripe.Dispute,
  status: 'won' | 'lost' | 'warning_closed',
  at: number,
) {
  const before = structuredClone(dispute);
  dispute.status = status;
  if (status === 'won') {
    dispute.balance_transactions = [
      ...dispute.balance_transactions,
      disputeBalanceTransaction(dispute, 'reinstated', at),
    ];
  }
  billing.data.disputes.save(dispute);
  if (status === 'won') batch.record('charge.dispute.funds_reinstated', dispute, at);
  batch.record('charge.dispute.closed', dispute, at, changedFields(before, dispute));
}

/** The top-level fields that differ, with their values before: an event's `previous_attributes`. */
function changedFields(before: Stripe.Dispute, after: Stripe.Dispute): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(after) as Array<keyof Stripe.Dispute>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed[key] = before[key];
  }
  return changed;
}
