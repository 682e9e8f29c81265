export {
  type Query,
  Recur,
  RecurEntitlements,
  type RecurOptions,
  type RequestBody,
  type UserRef,
} from './client.js';
export {
  type BenefitValue,
  type CheckOptions,
  EntitlementCache,
  type EntitlementCacheOptions,
  type EntitlementCheck,
  type Entitlements,
  isAllowed,
  type UnavailablePolicy,
} from './entitlement-cache.js';
export {
  RECUR_ERROR_CODES,
  RecurError,
  type RecurErrorCode,
  RecurWebhookError,
  type WebhookErrorReason,
} from './errors.js';
export type { paths } from './generated/api.gen.js';
export { type RecurApi, retryingFetch, type TransportOptions, type WriteOptions } from './transport.js';
export {
  type RecurEvent,
  type RecurEvents,
  type RecurEventType,
  RecurWebhooks,
  type WebhookHeaders,
} from './webhooks.js';
