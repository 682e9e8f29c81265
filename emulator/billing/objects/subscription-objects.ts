// Builders for subscriptions and what hangs off them, with every field Stripe returns at the
// pinned API version. Values the emulator does not model (Connect, tax, thresholds) carry the
// defaults Stripe gives an account without those features.

import type Stripe from 'stripe';
import { newId } from '../../core/ids.js';

/** The legacy `plan` Stripe still mirrors from a recurring price on every subscription item. */
export function planFromPrice(price: Stripe.Price): Stripe.Plan {
  const recurring = price.recurring!;
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: recurring.interval,
    interval_count: recurring.interval_count,
    livemode: false,
    metadata: price.metadata,
    meter: recurring.meter ?? null,
    nickname: price.nickname,
    product: typeof price.product === 'string' ? price.product : price.product.id,
    tiers_mode: price.tiers_mode,
    transform_usage: null,
    trial_period_days: recurring.trial_period_days ?? null,
    usage_type: recurring.usage_type,
  };
}

export function newSubscriptionItem(input: {
  subscription: string;
  price: Stripe.Price;
  /** None for a metered price: Stripe shows its items without a quantity. */
  quantity: number | undefined;
  metadata?: Stripe.Metadata;
  created: number;
  period: { start: number; end: number };
}): Stripe.SubscriptionItem {
  return {
    id: newId('si'),
    object: 'subscription_item',
    billing_thresholds: null,
    created: input.created,
    current_period_end: input.period.end,
    current_period_start: input.period.start,
    current_trial: null,
    discounts: [],
    metadata: input.metadata ?? {},
    plan: planFromPrice(input.price),
    price: input.price,
    ...(input.quantity !== undefined && { quantity: input.quantity }),
    subscription: input.subscription,
    tax_rates: [],
  };
}

export interface NewSubscription {
  id: string;
  customer: string;
  currency: string;
  created: number;
  testClock: string | null;
  collectionMethod: Stripe.Subscription.CollectionMethod;
  daysUntilDue: number | null;
  defaultPaymentMethod: string | null;
  billingCycleAnchor: number;
  trial: { start: number; end: number } | null;
  metadata: Stripe.Metadata;
  description: string | null;
  missingPaymentMethodAtTrialEnd: Stripe.Subscription.TrialSettings.EndBehavior.MissingPaymentMethod;
}

export function newSubscription(input: NewSubscription): Stripe.Subscription {
  return {
    id: input.id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: input.billingCycleAnchor,
    billing_cycle_anchor_config: null,
    billing_mode: {
      flexible: { proration_discounts: 'included' },
      type: 'flexible',
      updated_at: input.created,
    },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: input.collectionMethod,
    created: input.created,
    currency: input.currency,
    customer: input.customer,
    customer_account: null,
    days_until_due: input.daysUntilDue,
    default_payment_method: input.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: input.description,
    discounts: [],
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: 'self' },
    },
    items: {
      object: 'list',
      data: [],
      has_more: false,
      url: `/v1/subscription_items?subscription=${input.id}`,
    },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: 'off',
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: input.created,
    status: 'incomplete',
    test_clock: input.testClock,
    transfer_data: null,
    trial_end: input.trial?.end ?? null,
    trial_settings: {
      end_behavior: {
        billing_cycle_anchor: null,
        missing_payment_method: input.missingPaymentMethodAtTrialEnd,
      },
    },
    trial_start: input.trial?.start ?? null,
  };
}

export function newDiscount(input: {
  coupon: Stripe.Coupon;
  promotionCode: string | null;
  customer: string;
  subscription: string | null;
  invoice?: string | null;
  start: number;
  end: number | null;
}): Stripe.Discount {
  return {
    id: newId('di'),
    object: 'discount',
    checkout_session: null,
    customer: input.customer,
    customer_account: null,
    end: input.end,
    invoice: input.invoice ?? null,
    invoice_item: null,
    promotion_code: input.promotionCode,
    source: { coupon: input.coupon.id, type: 'coupon' },
    start: input.start,
    subscription: input.subscription,
    subscription_item: null,
  };
}
