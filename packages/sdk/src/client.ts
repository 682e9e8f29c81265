import { EntitlementCache, type EntitlementCacheOptions, type Entitlements } from './entitlement-cache.js';
import { RecurError } from './errors.js';
import type { paths } from './generated/api.gen.js';
import {
  createApi,
  type RecurApi,
  type TransportOptions,
  unwrap,
  type WriteOptions,
  writeInit,
} from './transport.js';
import { RecurWebhooks } from './webhooks.js';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type Operation<P extends keyof paths, M extends keyof paths[P]> = NonNullable<paths[P][M]>;
/** The JSON body a route takes, read from openapi.json's generated types. */
export type RequestBody<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { requestBody?: infer R } ? Json<NonNullable<R>> : never;
/** The query parameters a route takes. */
export type Query<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** One of the host app's users: its id, and optionally what fills in a new Stripe customer. */
export type UserRef = string | { id: string; email?: string; name?: string };

export interface RecurOptions extends TransportOptions {
  /**
   * The endpoint's signing secret(s) (`whsec_…`) for `webhooks.verify`; during a rotation give both,
   * newest first.
   */
  webhookSecret?: string | readonly string[];
  /** The in-process entitlement cache (see `entitlements.check`). */
  entitlements?: EntitlementCacheOptions;
}

const readEntitlements = (api: RecurApi, userId: string): Promise<Entitlements> =>
  unwrap(api.GET('/api/users/{externalId}/entitlements', { params: { path: { externalId: userId } } }));

const userOf = (user: UserRef) => (typeof user === 'string' ? { id: user } : user);

/**
 * Recur's API for the host app's server, with a service key. Every method returns the route's
 * typed answer or throws a `RecurError`; `api` reaches any route of openapi.json directly.
 */
export class Recur {
  readonly api: RecurApi;
  readonly webhooks: RecurWebhooks;
  readonly entitlements: RecurEntitlements;

  constructor(options: RecurOptions) {
    this.api = createApi(options);
    // A check waiting on Recur holds up the app's request: it tries twice, briefly, then falls back
    // on what the cache knows.
    const checkApi = createApi({
      ...options,
      retries: Math.min(options.retries ?? 1, 1),
      timeoutMs: options.entitlements?.readTimeoutMs ?? 2_000,
    });
    const cache = new EntitlementCache((userId) => readEntitlements(checkApi, userId), options.entitlements);
    this.entitlements = new RecurEntitlements(cache, (userId) => readEntitlements(this.api, userId));
    this.webhooks = new RecurWebhooks(options.webhookSecret, cache);
  }

  readonly plans = {
    /** The public catalog: active plans with their active prices. */
    list: () => unwrap(this.api.GET('/api/plans')),
    /** One plan by id or key. */
    get: (id: string) => unwrap(this.api.GET('/api/plans/{id}', { params: { path: { id } } })),
    create: (body: RequestBody<'/api/plans', 'post'>, options?: WriteOptions) =>
      unwrap(this.api.POST('/api/plans', { body, ...writeInit(options) })),
    update: (id: string, body: RequestBody<'/api/plans/{id}', 'patch'>, options?: WriteOptions) =>
      unwrap(
        this.api.PATCH('/api/plans/{id}', {
          params: { path: { id } },
          body,
          ...writeInit(options),
        }),
      ),
    /** Archives a plan that ever had subscribers; deletes one that never had. */
    archive: (id: string, options?: WriteOptions) =>
      unwrap(
        this.api.DELETE('/api/plans/{id}', {
          params: { path: { id } },
          ...writeInit(options),
        }),
      ),
  };

  /**
   * The app's organisations and their members, kept in step from the app's own: call `put` when one
   * is created or renamed, `members.put` and `members.remove` as people join, change role and leave.
   */
  readonly organizations = {
    put: (id: string, body: RequestBody<'/api/organizations/{id}', 'put'>, options?: WriteOptions) =>
      unwrap(
        this.api.PUT('/api/organizations/{id}', { params: { path: { id } }, body, ...writeInit(options) }),
      ),
    get: (id: string) => unwrap(this.api.GET('/api/organizations/{id}', { params: { path: { id } } })),
    /** Refused (409 `organization_has_live_subscription`) while a subscription has not ended. */
    delete: (id: string, options?: WriteOptions) =>
      unwrap(this.api.DELETE('/api/organizations/{id}', { params: { path: { id } }, ...writeInit(options) })),
    members: {
      list: (id: string) =>
        unwrap(this.api.GET('/api/organizations/{id}/members', { params: { path: { id } } })),
      /** Adds the user or changes their role or seat (409 `seat_limit_reached` when no seat is free). */
      put: (
        id: string,
        userId: string,
        body: RequestBody<'/api/organizations/{id}/members/{userId}', 'put'>,
        options?: WriteOptions,
      ) =>
        unwrap(
          this.api.PUT('/api/organizations/{id}/members/{userId}', {
            params: { path: { id, userId } },
            body,
            ...writeInit(options),
          }),
        ),
      remove: (id: string, userId: string, options?: WriteOptions) =>
        unwrap(
          this.api.DELETE('/api/organizations/{id}/members/{userId}', {
            params: { path: { id, userId } },
            ...writeInit(options),
          }),
        ),
    },
  };

  /**
   * Credits with an admin key: a grant by hand with a reason (audited), and a payer's balances per
   * feature with its ledger, newest first (`user_id` or `organization_id`), and its account credit.
   * `grantAccountCredit` credits money (minor units) to the payer's Stripe customer, which Stripe
   * takes off the next invoices.
   */
  readonly credits = {
    grant: (body: RequestBody<'/api/admin/credits', 'post'>, options?: WriteOptions) =>
      unwrap(this.api.POST('/api/admin/credits', { body, ...writeInit(options) })),
    grantAccountCredit: (body: RequestBody<'/api/admin/account-credit', 'post'>, options?: WriteOptions) =>
      unwrap(this.api.POST('/api/admin/account-credit', { body, ...writeInit(options) })),
    get: (query: Query<'/api/admin/credits', 'get'>) =>
      unwrap(this.api.GET('/api/admin/credits', { params: { query } })),
  };

  /**
   * Usage of metered features, with a service key: `track` counts one event or a batch (`events`,
   * up to 1,000), each once per idempotency key (a retry answers `duplicate`); a hold made by
   * `check({ reserve: true })` is settled with `confirm` (all its units, or `value` of them) or
   * `release`.
   */
  readonly usage = {
    track: (body: RequestBody<'/api/usage', 'post'>) => unwrap(this.api.POST('/api/usage', { body })),
    confirm: (
      reservationId: string,
      body: RequestBody<'/api/check/reservations/{id}/confirm', 'post'> = {},
    ) =>
      unwrap(
        this.api.POST('/api/check/reservations/{id}/confirm', {
          params: { path: { id: reservationId } },
          body,
        }),
      ),
    release: (reservationId: string) =>
      unwrap(
        this.api.POST('/api/check/reservations/{id}/release', { params: { path: { id: reservationId } } }),
      ),
  };

  /**
   * May the payer use `required` units of a feature now? Answers the balance; with `reserve: true`
   * the units are held (no overdraw under concurrency) until `usage.confirm` or `usage.release`.
   */
  check(body: RequestBody<'/api/check', 'post'>) {
    return unwrap(this.api.POST('/api/check', { body }));
  }

  readonly billingLinks = {
    /** A short-lived link that opens Recur's billing page as the user. */
    create: (body: RequestBody<'/api/billing/links', 'post'>, options?: WriteOptions) =>
      unwrap(
        this.api.POST('/api/billing/links', {
          body,
          ...writeInit(options),
        }),
      ),
  };

  /**
   * Checkout and the portal are the user's own acts: the SDK makes a one-minute billing-link token
   * for the user with the service key and calls the user route with it, so the app needs no JWT
   * set-up of its own.
   */
  private async userAuthorization(user: UserRef): Promise<string> {
    const { id, email, name } = userOf(user);
    const link = await this.billingLinks.create({
      user_id: id,
      expires_in: 60,
      ...(email ? { email } : {}),
      ...(name ? { name } : {}),
    });
    const token = new URLSearchParams(new URL(link.url).hash.slice(1)).get('token');
    if (!token) throw new RecurError(0, 'invalid_response', 'The billing link carried no token');
    return `Bearer ${token}`;
  }

  readonly checkout = {
    /** A Stripe Checkout session for the user: send them to the answer's `url`. */
    create: async (
      user: UserRef,
      body: RequestBody<'/api/checkout/sessions', 'post'>,
      options?: WriteOptions,
    ) => {
      const authorization = await this.userAuthorization(user);
      return unwrap(
        this.api.POST('/api/checkout/sessions', {
          body,
          ...writeInit(options, { authorization }),
        }),
      );
    },
  };

  readonly portal = {
    /** A Stripe Customer Portal session for the user (404 `customer_not_found` before a first Checkout). */
    create: async (
      user: UserRef,
      body: RequestBody<'/api/portal/sessions', 'post'> = {},
      options?: WriteOptions,
    ) => {
      const authorization = await this.userAuthorization(user);
      return unwrap(
        this.api.POST('/api/portal/sessions', {
          body,
          ...writeInit(options, { authorization }),
        }),
      );
    },
  };

  readonly subscriptions = {
    list: (query: Query<'/api/subscriptions', 'get'> = {}) =>
      unwrap(this.api.GET('/api/subscriptions', { params: { query } })),
    get: (id: string) => unwrap(this.api.GET('/api/subscriptions/{id}', { params: { path: { id } } })),
    create: (body: RequestBody<'/api/subscriptions', 'post'>, options?: WriteOptions) =>
      unwrap(
        this.api.POST('/api/subscriptions', {
          body,
          ...writeInit(options),
        }),
      ),
    previewChange: (id: string, body: RequestBody<'/api/subscriptions/{id}/preview-change', 'post'>) =>
      unwrap(
        this.api.POST('/api/subscriptions/{id}/preview-change', {
          params: { path: { id } },
          body,
          ...writeInit(),
        }),
      ),
    change: (
      id: string,
      body: RequestBody<'/api/subscriptions/{id}/change', 'post'>,
      options?: WriteOptions,
    ) =>
      unwrap(
        this.api.POST('/api/subscriptions/{id}/change', {
          params: { path: { id } },
          body,
          ...writeInit(options),
        }),
      ),
    cancel: (
      id: string,
      body: RequestBody<'/api/subscriptions/{id}/cancel', 'post'> = {},
      options?: WriteOptions,
    ) =>
      unwrap(
        this.api.POST('/api/subscriptions/{id}/cancel', {
          params: { path: { id } },
          body,
          ...writeInit(options),
        }),
      ),
    resume: (id: string, options?: WriteOptions) =>
      unwrap(
        this.api.POST('/api/subscriptions/{id}/resume', {
          params: { path: { id } },
          ...writeInit(options),
        }),
      ),
    reactivate: (id: string, options?: WriteOptions) =>
      unwrap(
        this.api.POST('/api/subscriptions/{id}/reactivate', {
          params: { path: { id } },
          ...writeInit(options),
        }),
      ),
  };

  readonly invoices = {
    list: (query: Query<'/api/invoices', 'get'> = {}) =>
      unwrap(this.api.GET('/api/invoices', { params: { query } })),
    get: (id: string) => unwrap(this.api.GET('/api/invoices/{id}', { params: { path: { id } } })),
  };

  /** The reports (an admin key is needed for these). */
  readonly reports = {
    subscriptions: (query: Query<'/api/reports/subscriptions', 'get'> = {}) =>
      unwrap(this.api.GET('/api/reports/subscriptions', { params: { query } })),
    mrr: (query: Query<'/api/reports/mrr', 'get'> = {}) =>
      unwrap(this.api.GET('/api/reports/mrr', { params: { query } })),
    churn: (query: Query<'/api/reports/churn', 'get'> = {}) =>
      unwrap(this.api.GET('/api/reports/churn', { params: { query } })),
    arpu: (query: Query<'/api/reports/arpu', 'get'> = {}) =>
      unwrap(this.api.GET('/api/reports/arpu', { params: { query } })),
    retention: (query: Query<'/api/reports/retention', 'get'> = {}) =>
      unwrap(this.api.GET('/api/reports/retention', { params: { query } })),
    revenue: (query: Query<'/api/reports/revenue', 'get'> = {}) =>
      unwrap(this.api.GET('/api/reports/revenue', { params: { query } })),
    payments: (query: Query<'/api/reports/payments', 'get'> = {}) =>
      unwrap(this.api.GET('/api/reports/payments', { params: { query } })),
    trials: (query: Query<'/api/reports/trials', 'get'> = {}) =>
      unwrap(this.api.GET('/api/reports/trials', { params: { query } })),
  };
}

/** What a user may do: the HTTP read, and the in-process check kept current by webhooks. */
export class RecurEntitlements {
  constructor(
    readonly cache: EntitlementCache,
    /** GET /api/users/:id/entitlements, every call. */
    readonly get: (userId: string) => Promise<Entitlements>,
  ) {}

  /** See `EntitlementCache.check`: answered from memory, refetched when its TTL ran out. */
  check: EntitlementCache['check'] = (userId, key, options) => this.cache.check(userId, key, options);
}
