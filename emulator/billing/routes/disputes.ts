// /v1/disputes and /v1/radar/early_fraud_warnings.

import type Stripe from 'stripe';
import type { EmulatorContext } from '../../core/context.js';
import { inRange, listFields, type PaginationParams, paginate } from '../../core/list.js';
import { p, type RangeFilter } from '../../core/params.js';
import { mustGet } from '../../core/records.js';
import type { Billing } from '../engine/context.js';
import { acceptDispute, type DisputeUpdate, updateDispute } from '../engine/disputes.js';
import { act } from './action.js';

/** The evidence fields a dispute update takes as text or a file id. */
const EVIDENCE_FIELDS = [
  'access_activity_log',
  'billing_address',
  'cancellation_policy',
  'cancellation_policy_disclosure',
  'cancellation_rebuttal',
  'customer_communication',
  'customer_email_address',
  'customer_name',
  'customer_purchase_ip',
  'customer_signature',
  'duplicate_charge_documentation',
  'duplicate_charge_explanation',
  'duplicate_charge_id',
  'product_description',
  'receipt',
  'refund_policy',
  'refund_policy_disclosure',
  'refund_refusal_explanation',
  'service_date',
  'service_documentation',
  'shipping_address',
  'shipping_carrier',
  'shipping_date',
  'shipping_documentation',
  'shipping_tracking_number',
  'uncategorized_file',
  'uncategorized_text',
] as const;

type ByPaymentListParams = PaginationParams & {
  charge?: string;
  payment_intent?: string;
  created?: number | RangeFilter;
};

const byPayment = listFields({ charge: p.string(), payment_intent: p.string(), created: p.range() });

function matchesPayment(params: ByPaymentListParams) {
  return (o: { charge: string | { id: string }; payment_intent?: unknown; created: number }) =>
    (!params.charge || o.charge === params.charge) &&
    (!params.payment_intent || o.payment_intent === params.payment_intent) &&
    inRange(o.created, params.created);
}

export function installDisputeRoutes(ctx: EmulatorContext, billing: Billing): void {
  const disputes = billing.data.disputes;
  const warnings = billing.data.earlyFraudWarnings;

  ctx.route({
    method: 'GET',
    path: '/v1/disputes/:id',
    handler: ({ pathParams }) => mustGet(disputes, pathParams.id!, 'dispute'),
  });
  ctx.route<DisputeUpdate>({
    method: 'POST',
    path: '/v1/disputes/:id',
    params: {
      evidence: p.object(Object.fromEntries(EVIDENCE_FIELDS.map((name) => [name, p.string()]))),
      metadata: p.metadata(),
      submit: p.boolean(),
    },
    handler: ({ pathParams, params }) =>
      act(billing, (batch) =>
        updateDispute(billing, batch, mustGet(disputes, pathParams.id!, 'dispute'), params),
      ),
  });
  ctx.route({
    method: 'POST',
    path: '/v1/disputes/:id/close',
    handler: ({ pathParams }) =>
      act(billing, (batch) => acceptDispute(billing, batch, mustGet(disputes, pathParams.id!, 'dispute'))),
  });
  ctx.route<ByPaymentListParams>({
    method: 'GET',
    path: '/v1/disputes',
    params: byPayment,
    handler: ({ params }) =>
      paginate(disputes.newestFirst(), params, {
        url: '/v1/disputes',
        noun: 'dispute',
        matches: matchesPayment(params),
      }),
  });

  ctx.route({
    method: 'GET',
    path: '/v1/radar/early_fraud_warnings/:id',
    handler: ({ pathParams }) =>
      mustGet(warnings, pathParams.id!, 'radar.early_fraud_warning') satisfies Stripe.Radar.EarlyFraudWarning,
  });
  ctx.route<ByPaymentListParams>({
    method: 'GET',
    path: '/v1/radar/early_fraud_warnings',
    params: byPayment,
    handler: ({ params }) =>
      paginate(warnings.newestFirst(), params, {
        url: '/v1/radar/early_fraud_warnings',
        noun: 'radar.early_fraud_warning',
        matches: matchesPayment(params),
      }),
  });
}
