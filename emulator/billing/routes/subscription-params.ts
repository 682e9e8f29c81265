// Declared parameters of the subscription endpoints (anything else is refused, as Stripe does).

import { listFields } from '../../core/list.js';
import { type ParamFields, p } from '../../core/params.js';

const discounts = p.array(
  p.object({ coupon: p.ref('coupon'), promotion_code: p.ref('promotion_code'), discount: p.string() }),
  { emptyable: true },
);
const prorationBehavior = p.enum(['create_prorations', 'always_invoice', 'none']);
const cancellationDetails = p.object({
  comment: p.string({ emptyable: true }),
  feedback: p.enum(
    [
      'customer_service',
      'low_quality',
      'missing_features',
      'other',
      'switched_service',
      'too_complex',
      'too_expensive',
      'unused',
    ],
    { emptyable: true },
  ),
});
const paymentSettings = p.object({
  save_default_payment_method: p.enum(['off', 'on_subscription']),
  payment_method_types: p.array(p.string(), { emptyable: true }),
});

/** Stripe Tax (engine/taxes.ts); `liability` is for Connect, which the emulator does not model. */
const automaticTax = p.object({ enabled: p.boolean({ required: true }) });

export const createSubscriptionFields: ParamFields = {
  customer: p.ref('customer', { required: true }),
  automatic_tax: automaticTax,
  items: p.array(
    p.object({ price: p.ref('price'), quantity: p.integer({ min: 0 }), metadata: p.metadata() }),
  ),
  trial_period_days: p.integer({ min: 0, max: 730 }),
  trial_end: p.oneOf([p.enum(['now']), p.timestamp()]),
  trial_from_plan: p.boolean(),
  trial_settings: p.object({
    end_behavior: p.object(
      { missing_payment_method: p.enum(['cancel', 'create_invoice', 'pause'], { required: true }) },
      { required: true },
    ),
  }),
  payment_behavior: p.enum([
    'allow_incomplete',
    'default_incomplete',
    'error_if_incomplete',
    'pending_if_incomplete',
  ]),
  payment_settings: paymentSettings,
  default_payment_method: p.ref('payment_method'),
  billing_cycle_anchor: p.timestamp(),
  proration_behavior: prorationBehavior,
  cancel_at_period_end: p.boolean(),
  cancel_at: p.timestamp(),
  metadata: p.metadata(),
  description: p.string(),
  discounts,
  collection_method: p.enum(['charge_automatically', 'send_invoice']),
  days_until_due: p.integer({ min: 0 }),
  off_session: p.boolean(),
  currency: p.string(),
};

export const updateSubscriptionFields: ParamFields = {
  automatic_tax: automaticTax,
  items: p.array(
    p.object({
      id: p.string(),
      price: p.ref('price'),
      quantity: p.integer({ min: 0 }),
      deleted: p.boolean(),
      clear_usage: p.boolean(),
      metadata: p.metadata(),
    }),
  ),
  proration_behavior: prorationBehavior,
  proration_date: p.timestamp(),
  cancel_at_period_end: p.boolean(),
  cancel_at: p.timestamp({ emptyable: true }),
  cancellation_details: cancellationDetails,
  pause_collection: p.object(
    {
      behavior: p.enum(['keep_as_draft', 'mark_uncollectible', 'void'], { required: true }),
      resumes_at: p.timestamp(),
    },
    { emptyable: true },
  ),
  trial_end: p.oneOf([p.enum(['now']), p.timestamp()]),
  billing_cycle_anchor: p.object({ type: p.enum(['now', 'unchanged'], { required: true }) }),
  default_payment_method: p.ref('payment_method'),
  metadata: p.metadata(),
  description: p.string({ emptyable: true }),
  discounts,
  collection_method: p.enum(['charge_automatically', 'send_invoice']),
  days_until_due: p.integer({ min: 0 }),
  payment_behavior: p.enum([
    'allow_incomplete',
    'default_incomplete',
    'error_if_incomplete',
    'pending_if_incomplete',
  ]),
  payment_settings: paymentSettings,
  off_session: p.boolean(),
};

export const cancelSubscriptionFields: ParamFields = {
  invoice_now: p.boolean(),
  prorate: p.boolean(),
  cancellation_details: cancellationDetails,
};

export const resumeSubscriptionFields: ParamFields = {
  billing_cycle_anchor: p.object({ type: p.enum(['now', 'unchanged'], { required: true }) }),
  proration_behavior: prorationBehavior,
  proration_date: p.timestamp(),
  payment_behavior: p.enum(['resume_on_payment_attempt', 'resume_on_payment_success']),
};

export const listSubscriptionFields: ParamFields = listFields({
  customer: p.string(),
  price: p.string(),
  status: p.enum([
    'active',
    'all',
    'canceled',
    'ended',
    'incomplete',
    'incomplete_expired',
    'past_due',
    'paused',
    'trialing',
    'unpaid',
  ]),
  collection_method: p.enum(['charge_automatically', 'send_invoice']),
  created: p.range(),
  current_period_end: p.range(),
  current_period_start: p.range(),
  test_clock: p.string(),
});

export const subscriptionItemFields: ParamFields = {
  subscription: p.ref('subscription', { required: true }),
  price: p.ref('price', { required: true }),
  quantity: p.integer({ min: 0 }),
  metadata: p.metadata(),
  proration_behavior: prorationBehavior,
  proration_date: p.timestamp(),
  payment_behavior: p.enum([
    'allow_incomplete',
    'default_incomplete',
    'error_if_incomplete',
    'pending_if_incomplete',
  ]),
};

export const updateSubscriptionItemFields: ParamFields = {
  price: p.ref('price'),
  quantity: p.integer({ min: 0 }),
  metadata: p.metadata(),
  proration_behavior: prorationBehavior,
  proration_date: p.timestamp(),
  payment_behavior: p.enum([
    'allow_incomplete',
    'default_incomplete',
    'error_if_incomplete',
    'pending_if_incomplete',
  ]),
};

export const deleteSubscriptionItemFields: ParamFields = {
  proration_behavior: prorationBehavior,
  proration_date: p.timestamp(),
  clear_usage: p.boolean(),
};
