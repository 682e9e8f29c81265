import { z } from 'zod';
import { entitlementsView } from '../entitlements/routes.js';
import { subscriptionView } from '../subscriptions/views.js';

/**
 * The messages Recur sends to the host app, each with a versioned schema. The schemas are the
 * contract: the OpenAPI document's `webhooks` section and the SDK's event types are built from them,
 * and every announced message is built to them. Payloads carry ids and facts, never card data,
 * secrets or email addresses.
 */
export const APP_EVENT_SCHEMA_VERSION = 1;

const userId = z
  .string()
  .nullable()
  .describe(
    'The host app’s user id (the customer’s external id) when a user pays; null when an organisation pays or Stripe’s customer is not linked to a user',
  );

const organizationId = z
  .string()
  .nullable()
  .describe(
    'The host app’s organisation id (the customer’s `recur_organization_id`) when an organisation pays; null when a user pays',
  );

/** Who pays, beside every fact about a payer's billing: a user or an organisation (or neither, unlinked). */
const payer = { user_id: userId, organization_id: organizationId };

const invoiceFacts = z.object({
  id: z.string(),
  subscription_id: z.string().nullable(),
  status: z.string(),
  currency: z.string().describe('ISO 4217, lower case'),
  amount_due: z.number().int().describe('Minor units'),
  amount_paid: z.number().int(),
  amount_remaining: z.number().int(),
  attempt_count: z.number().int(),
  next_payment_attempt: z.string().nullable(),
  hosted_invoice_url: z
    .string()
    .nullable()
    .describe('Stripe’s page where the customer pays or authenticates'),
});

const purchaseFacts = z.object({
  id: z.string().describe('Recur’s purchase id (pur_…)'),
  plan_id: z.string().describe('The one-time plan bought'),
  checkout_session_id: z.string(),
  payment_intent_id: z.string().nullable(),
  quantity: z.number().int(),
  amount: z.number().int().describe('Minor units'),
  currency: z.string(),
  status: z.enum(['paid', 'refunded']),
  credits: z
    .record(z.string(), z.number().int())
    .describe('The credits the purchase granted, per feature (empty for a lifetime deal without credits)'),
});

const disputeFacts = z.object({
  id: z.string().describe('Stripe’s dispute id (dp_…)'),
  charge_id: z.string(),
  subscription_id: z.string().nullable().describe('The subscription whose payment is disputed'),
  amount: z.number().int().describe('Minor units'),
  currency: z.string(),
  reason: z.string().describe('Stripe’s reason: fraudulent, product_not_received, …'),
  status: z.string().describe('Stripe’s status: needs_response, under_review, won, lost, …'),
  evidence_due_by: z.string().nullable(),
});

/** The same set as GET /api/users/{externalId}/entitlements answers, by its own schema, without `as_of` and `sequence` (the envelope carries it). */
const entitlementSet = entitlementsView.omit({
  user_id: true,
  organization_id: true,
  as_of: true,
  sequence: true,
});

export const APP_EVENT_DATA = {
  'subscription.created': z.object({ ...payer, subscription: subscriptionView }),
  'subscription.updated': z.object({
    ...payer,
    subscription: subscriptionView,
    changed: z.array(z.string()).describe('The fields of `subscription` that changed'),
    previous: z.record(z.string(), z.unknown()).describe('Those fields’ values before the change'),
  }),
  'subscription.canceled': z.object({ ...payer, subscription: subscriptionView }),
  'subscription.renewed': z.object({
    ...payer,
    subscription: subscriptionView,
    invoice_id: z.string().nullable(),
  }),
  'entitlements.updated': z.object({
    user_id: z.string(),
    entitlements: entitlementSet.describe(
      'The user’s complete entitlement set after the change. A message is sent whenever this set differs from the last one sent for the user (its benefits, or which subscriptions give them and until when)',
    ),
    changes: z.object({
      added: z.array(z.string()).describe('Benefit keys the user did not have'),
      removed: z.array(z.string()).describe('Benefit keys the user no longer has'),
      changed: z.array(z.string()).describe('Benefit keys whose value changed'),
    }),
  }),
  'usage.threshold_reached': z.object({
    ...payer,
    feature: z.string().describe('The metered feature (its benefit key)'),
    threshold: z
      .number()
      .int()
      .describe('The share of the limit reached, percent: RECUR_USAGE_WARN_PERCENT (80) or 100'),
    limit: z.number().int(),
    used: z.number().int(),
    overage: z.enum(['block', 'bill', 'credits']).describe('What happens beyond the limit'),
    period_start: z.string(),
    resets_at: z.string().nullable().describe('When the count starts again; null: never'),
  }),
  'invoice.paid': z.object({ ...payer, invoice: invoiceFacts }),
  'invoice.payment_failed': z.object({ ...payer, invoice: invoiceFacts }),
  'invoice.payment_action_required': z.object({ ...payer, invoice: invoiceFacts }),
  'customer.updated': z.object({
    ...payer,
    customer: z.object({
      id: z.string(),
      deleted: z.boolean(),
      default_payment_method_id: z
        .string()
        .nullable()
        .describe('Stripe’s id of the default payment method; never its card details'),
    }),
  }),
  'refund.created': z.object({
    ...payer,
    refund: z.object({
      id: z.string(),
      invoice_id: z.string().nullable(),
      amount: z.number().int(),
      currency: z.string(),
      status: z.string(),
      reason: z.string().nullable(),
    }),
  }),
  'checkout.completed': z.object({
    ...payer,
    user_id: userId.describe(
      'The host app’s user id: the paying user’s, or, when an organisation pays, the user who started the Checkout',
    ),
    checkout_session_id: z.string(),
    subscription_id: z.string().nullable(),
    plan_id: z.string().nullable(),
  }),
  'purchase.completed': z.object({
    ...payer,
    user_id: userId.describe(
      'The host app’s user id: the paying user’s, or, when an organisation pays, the user who started the Checkout',
    ),
    purchase: purchaseFacts,
  }),
  'purchase.refunded': z.object({ ...payer, purchase: purchaseFacts }),
  'trial.will_end': z.object({
    ...payer,
    subscription_id: z.string(),
    trial_end: z.string().nullable(),
  }),
  'dispute.access_suspended': z.object({ ...payer, dispute: disputeFacts }),
  'dispute.access_restored': z.object({ ...payer, dispute: disputeFacts }),
  'dispute.subscription_canceled': z.object({ ...payer, dispute: disputeFacts }),
  'early_fraud_warning.refunded_and_canceled': z.object({
    ...payer,
    early_fraud_warning: z.object({
      id: z.string().describe('Stripe’s warning id (issfr_…)'),
      charge_id: z.string(),
      fraud_type: z.string(),
    }),
    refund_id: z
      .string()
      .nullable()
      .describe('Null when the charge was already refunded in full or disputed'),
    subscription_id: z
      .string()
      .nullable()
      .describe('The subscription cancelled; null when the payment had none or it had ended already'),
  }),
  ping: z.object({ endpoint_id: z.string(), message: z.string() }),
} as const;

export type AppEventType = keyof typeof APP_EVENT_DATA;
export const APP_EVENT_TYPES = Object.keys(APP_EVENT_DATA) as AppEventType[];
export type AppEventData<T extends AppEventType> = z.infer<(typeof APP_EVENT_DATA)[T]>;

/** The envelope every message is sent in (the body the signature covers). */
export function appEventEnvelope<T extends AppEventType>(type: T) {
  return z.object({
    type: z.literal(type),
    version: z.literal(APP_EVENT_SCHEMA_VERSION),
    timestamp: z.string().describe('When the change happened (UTC, ISO 8601)'),
    subject: z.string().describe('What the message is about, the unit of `sequence`'),
    sequence: z
      .number()
      .int()
      .describe(
        'Grows with every message of the subject: drop a message whose sequence is lower than one applied',
      ),
    data: APP_EVENT_DATA[type],
  });
}

export type AppEvent<T extends AppEventType = AppEventType> = {
  [K in T]: z.infer<ReturnType<typeof appEventEnvelope<K>>>;
}[T];
