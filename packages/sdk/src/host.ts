import type { Recur, RequestBody, UserRef } from './client.js';
import type { UnavailablePolicy } from './entitlement-cache.js';
import { RecurError, RecurWebhookError } from './errors.js';
import type { RecurEvent, WebhookHeaders } from './webhooks.js';

/**
 * What the framework adapters share: the entitlement gate and the routes the host app serves to its
 * own browser pages (the React components call these; the service key never leaves the server).
 */

export type MaybePromise<T> = T | Promise<T>;

export interface RequireEntitlementOptions<Req> {
  /** The signed-in user of the request, by the app's own session; nothing means not signed in (401). */
  getUserId: (request: Req) => MaybePromise<string | null | undefined>;
  /** When Recur cannot be reached and nothing recent is cached: let the request through or not. Default 'deny'. */
  onUnavailable?: UnavailablePolicy;
}

export interface HostAnswer {
  status: number;
  body: unknown;
}

const refusal = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) => ({
  status,
  body: { error: { code, message, ...extra } },
});

/**
 * null when the user may go on; otherwise the answer: 401 without a user, 402
 * `entitlement_required` (with the feature) without the entitlement, 503 `entitlements_unavailable`
 * when Recur could not say and the policy is to deny.
 */
export async function entitlementGate(
  recur: Recur,
  feature: string,
  userId: string | null | undefined,
  onUnavailable: UnavailablePolicy = 'deny',
): Promise<HostAnswer | null> {
  if (!userId) return refusal(401, 'unauthorized', 'Sign in first');
  const check = await recur.entitlements.check(userId, feature, { onUnavailable });
  if (check.allowed) return null;
  if (check.source === 'unavailable')
    return refusal(503, 'entitlements_unavailable', 'Entitlements cannot be checked now; try again shortly', {
      feature,
    });
  return refusal(402, 'entitlement_required', `This needs the "${feature}" entitlement`, {
    feature,
    value: check.value,
  });
}

export interface RecurRoutesOptions<Req> {
  /** The signed-in user of the request (id, or id with email and name for a new Stripe customer). */
  getUser: (request: Req) => MaybePromise<UserRef | null | undefined>;
  /** Where Checkout returns on success / cancel, and the portal returns to. Default: Recur's `RECUR_APP_URL`. */
  successUrl?: string;
  cancelUrl?: string;
  returnUrl?: string;
  /**
   * Serve `POST /webhooks` too: verified deliveries update the entitlement cache, then go to this
   * function (answer 200 after it resolves; a throw answers 500 and Recur retries).
   */
  onEvent?: (event: RecurEvent) => MaybePromise<void>;
}

type CheckoutBody = RequestBody<'/api/checkout/sessions', 'post'>;
/** What the browser may choose in a Checkout; return URLs are the server's to set. */
const CHECKOUT_FIELDS = [
  'plan_id',
  'price_id',
  'interval',
  'interval_count',
  'currency',
  'quantity',
  'promotion_code',
] as const;

function checkoutBody(body: unknown, options: RecurRoutesOptions<unknown>): CheckoutBody | null {
  if (typeof body !== 'object' || body === null) return null;
  const chosen = Object.fromEntries(
    CHECKOUT_FIELDS.filter((field) => field in body).map((field) => [field, (body as never)[field]]),
  ) as Partial<CheckoutBody>;
  if (typeof chosen.plan_id !== 'string') return null;
  return {
    ...chosen,
    plan_id: chosen.plan_id,
    ...(options.successUrl ? { success_url: options.successUrl } : {}),
    ...(options.cancelUrl ? { cancel_url: options.cancelUrl } : {}),
  };
}

/** Recur's refusals pass through with their code; its outages are the app's 502. */
function failure(error: unknown): HostAnswer {
  if (error instanceof RecurError && error.status >= 400 && error.status < 500)
    return refusal(error.status, error.code, error.message, error.details ? { details: error.details } : {});
  return refusal(502, 'recur_unavailable', 'Billing is unavailable right now; try again shortly');
}

/** The routes under the adapter's prefix: `GET /plans`, `GET /entitlements`, `POST /checkout`, `POST /portal`. */
export async function hostRoute<Req>(
  recur: Recur,
  options: RecurRoutesOptions<Req>,
  request: Req,
  route: { method: string; path: string; body?: unknown },
): Promise<HostAnswer | null> {
  const key = `${route.method.toUpperCase()} ${route.path.replace(/\/+$/, '')}`;
  if (!['GET /plans', 'GET /entitlements', 'POST /checkout', 'POST /portal'].includes(key)) return null;
  try {
    if (key === 'GET /plans') return { status: 200, body: await recur.plans.list() };
    const user = await options.getUser(request);
    if (!user) return refusal(401, 'unauthorized', 'Sign in first');
    const userId = typeof user === 'string' ? user : user.id;
    if (key === 'GET /entitlements') return { status: 200, body: await recur.entitlements.get(userId) };
    if (key === 'POST /portal') {
      const body = options.returnUrl ? { return_url: options.returnUrl } : {};
      return { status: 200, body: await recur.portal.create(user, body) };
    }
    const body = checkoutBody(route.body, options as RecurRoutesOptions<unknown>);
    if (!body) return refusal(400, 'validation_failed', 'plan_id is required');
    return { status: 200, body: await recur.checkout.create(user, body) };
  } catch (error) {
    return failure(error);
  }
}

/** `POST /webhooks`: 400 for a delivery that fails verification, 200 once `onEvent` has taken it. */
export async function hostWebhook(
  recur: Recur,
  options: Pick<RecurRoutesOptions<unknown>, 'onEvent'>,
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
): Promise<HostAnswer> {
  let event: RecurEvent;
  try {
    event = recur.webhooks.handle(rawBody, headers);
  } catch (error) {
    if (error instanceof RecurWebhookError) return refusal(400, error.reason, error.message);
    throw error;
  }
  await options.onEvent?.(event);
  return { status: 200, body: { received: true } };
}
