/**
 * Billing portal configurations: the object with every field Stripe returns, the features a new
 * configuration starts with (each off unless given, as through the API), the implicit default
 * configuration (what the portal offers before anyone configures it), and applying updates.
 * `features.subscription_update.products` is kept beside the object: Stripe shows it only through
 * `expand[]=features.subscription_update.products`.
 */
import type Stripe from 'stripe';
import { newId } from '../../core/ids.js';
import { type MetadataUpdate, mergeMetadata } from '../../core/records.js';

export type Configuration = Stripe.BillingPortal.Configuration;
type Features = Configuration['features'];
type CancelFeature = Features['subscription_cancel'];
type UpdateFeature = Features['subscription_update'];
export type PortalProduct = NonNullable<UpdateFeature['products']>[number];

/** Feature parameters as the pipeline hands them over (SDK shapes, unset as null). */
export interface FeaturesInput {
  customer_update?: {
    allowed_updates?: Features['customer_update']['allowed_updates'] | null;
    enabled?: boolean;
  };
  invoice_history?: { enabled: boolean };
  payment_method_update?: { enabled: boolean; payment_method_configuration?: string | null };
  subscription_cancel?: {
    cancellation_reason?: {
      enabled: boolean;
      options?: CancelFeature['cancellation_reason']['options'] | null;
    };
    enabled?: boolean;
    mode?: CancelFeature['mode'];
    proration_behavior?: CancelFeature['proration_behavior'];
  };
  subscription_pause?: { enabled?: boolean };
  subscription_update?: {
    billing_cycle_anchor?: NonNullable<UpdateFeature['billing_cycle_anchor']>;
    default_allowed_updates?: UpdateFeature['default_allowed_updates'] | null;
    enabled?: boolean;
    products?: ProductInput[] | null;
    proration_behavior?: UpdateFeature['proration_behavior'];
    schedule_at_period_end?: { conditions?: UpdateFeature['schedule_at_period_end']['conditions'] | null };
    trial_update_behavior?: UpdateFeature['trial_update_behavior'];
  };
}

export interface ProductInput {
  product: string;
  prices: string[];
  adjustable_quantity?: { enabled: boolean; maximum?: number; minimum?: number };
}

export interface ConfigurationInput {
  active?: boolean;
  business_profile?: {
    headline?: string | null;
    privacy_policy_url?: string | null;
    terms_of_service_url?: string | null;
  };
  default_return_url?: string | null;
  features?: FeaturesInput;
  metadata?: MetadataUpdate | null;
  name?: string | null;
}

function disabledFeatures(): Features {
  return {
    customer_update: { allowed_updates: [], enabled: false },
    invoice_history: { enabled: false },
    payment_method_update: { enabled: false, payment_method_configuration: null },
    subscription_cancel: {
      cancellation_reason: { enabled: false, feedback_options: null, options: [] },
      enabled: false,
      mode: 'at_period_end',
      proration_behavior: 'none',
    },
    subscription_pause: { duration: { interval_options: [], type: 'indefinite' }, enabled: false },
    subscription_update: {
      billing_cycle_anchor: null,
      default_allowed_updates: [],
      enabled: false,
      proration_behavior: 'none',
      schedule_at_period_end: { conditions: [] },
      trial_update_behavior: 'end_trial',
    },
  };
}

/** What a portal offers until it is configured: invoices, card updates, cancel at period end, plan changes. */
export const DEFAULT_FEATURES: FeaturesInput = {
  invoice_history: { enabled: true },
  payment_method_update: { enabled: true },
  subscription_cancel: { enabled: true, mode: 'at_period_end', proration_behavior: 'none' },
  subscription_update: {
    enabled: true,
    default_allowed_updates: ['price'],
    proration_behavior: 'create_prorations',
  },
};

export function newConfiguration(input: ConfigurationInput, at: number, isDefault: boolean): Configuration {
  const configuration: Configuration = {
    id: newId('bpc'),
    object: 'billing_portal.configuration',
    active: true,
    application: null,
    business_profile: { headline: null, privacy_policy_url: null, terms_of_service_url: null },
    created: at,
    default_return_url: null,
    features: disabledFeatures(),
    is_default: isDefault,
    livemode: false,
    login_page: { enabled: false, url: null },
    metadata: {},
    name: null,
    updated: at,
  };
  return changedConfiguration(configuration, input, at);
}

/** The configuration with `input` applied: nested features merge key by key, as Stripe's update does. */
export function changedConfiguration(
  current: Configuration,
  input: ConfigurationInput,
  at: number,
): Configuration {
  const next = structuredClone(current);
  if (input.active !== undefined) next.active = input.active;
  if (input.business_profile) {
    for (const key of ['headline', 'privacy_policy_url', 'terms_of_service_url'] as const) {
      const value = input.business_profile[key];
      if (value !== undefined) next.business_profile[key] = value || null;
    }
  }
  if (input.default_return_url !== undefined) next.default_return_url = input.default_return_url || null;
  if (input.name !== undefined) next.name = input.name || null;
  if (input.metadata !== undefined) next.metadata = mergeMetadata(current.metadata, input.metadata);
  if (input.features) applyFeatures(next.features, input.features);
  next.updated = at;
  return next;
}

function applyFeatures(features: Features, input: FeaturesInput): void {
  const {
    customer_update,
    invoice_history,
    payment_method_update,
    subscription_cancel,
    subscription_update,
  } = input;
  if (customer_update) {
    if (customer_update.enabled !== undefined) features.customer_update.enabled = customer_update.enabled;
    if (customer_update.allowed_updates !== undefined) {
      features.customer_update.allowed_updates = customer_update.allowed_updates ?? [];
    }
  }
  if (invoice_history) features.invoice_history.enabled = invoice_history.enabled;
  if (payment_method_update) {
    features.payment_method_update.enabled = payment_method_update.enabled;
    if (payment_method_update.payment_method_configuration !== undefined) {
      features.payment_method_update.payment_method_configuration =
        payment_method_update.payment_method_configuration || null;
    }
  }
  if (input.subscription_pause?.enabled !== undefined) {
    features.subscription_pause.enabled = input.subscription_pause.enabled;
  }
  if (subscription_cancel) {
    const cancel = features.subscription_cancel;
    if (subscription_cancel.enabled !== undefined) cancel.enabled = subscription_cancel.enabled;
    if (subscription_cancel.mode) cancel.mode = subscription_cancel.mode;
    if (subscription_cancel.proration_behavior)
      cancel.proration_behavior = subscription_cancel.proration_behavior;
    const reason = subscription_cancel.cancellation_reason;
    if (reason) {
      cancel.cancellation_reason.enabled = reason.enabled;
      if (reason.options !== undefined) cancel.cancellation_reason.options = reason.options ?? [];
    }
  }
  if (subscription_update) {
    const update = features.subscription_update;
    if (subscription_update.enabled !== undefined) update.enabled = subscription_update.enabled;
    if (subscription_update.default_allowed_updates !== undefined) {
      update.default_allowed_updates = subscription_update.default_allowed_updates ?? [];
    }
    if (subscription_update.proration_behavior)
      update.proration_behavior = subscription_update.proration_behavior;
    if (subscription_update.billing_cycle_anchor)
      update.billing_cycle_anchor = subscription_update.billing_cycle_anchor;
    if (subscription_update.trial_update_behavior) {
      update.trial_update_behavior = subscription_update.trial_update_behavior;
    }
    if (subscription_update.schedule_at_period_end?.conditions !== undefined) {
      update.schedule_at_period_end = {
        conditions: subscription_update.schedule_at_period_end.conditions ?? [],
      };
    }
  }
}

export function toPortalProducts(input: ProductInput[]): PortalProduct[] {
  return input.map((product) => ({
    adjustable_quantity: {
      enabled: product.adjustable_quantity?.enabled ?? false,
      maximum: product.adjustable_quantity?.maximum ?? null,
      minimum: product.adjustable_quantity?.minimum ?? 1,
    },
    prices: product.prices,
    product: product.product,
  }));
}
