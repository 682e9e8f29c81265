export {
  DELETED_METADATA,
  PLAN_ID_METADATA,
  PLAN_KEY_METADATA,
  type PriceSpec,
  type ProductSpec,
  StripeCatalog,
} from './catalog.js';
export { createStripeClient, type Stripe, type StripeTarget, stripeIdempotencyKey } from './client.js';
export { callStripe, translateStripeError } from './errors.js';
export { FEATURE_METADATA, type MeterEventSpec, type MeteredPriceSpec, StripeMeters } from './meters.js';
