import type { RequestBody } from '../client.js';
import type { Entitlements } from '../entitlement-cache.js';
import type { paths } from '../generated/api.gen.js';

export type Plans = paths['/api/plans']['get']['responses'][200]['content']['application/json']['data'];
export type Plan = Plans[number];
export type CheckoutChoice = Pick<
  RequestBody<'/api/checkout/sessions', 'post'>,
  'plan_id' | 'price_id' | 'interval' | 'interval_count' | 'currency' | 'quantity' | 'promotion_code'
>;

/** What the app's backend routes (`createRecurRoutes`) answered when they refused. */
export class RecurRouteError extends Error {
  override readonly name = 'RecurRouteError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ResourceState<T> {
  data: T | undefined;
  error: RecurRouteError | undefined;
  loading: boolean;
}

/** One shared read (plans, or the user's entitlements): loaded once for every component that asks. */
export class Resource<T> {
  private state: ResourceState<T>;
  private readonly listeners = new Set<() => void>();
  private pending: Promise<void> | null = null;

  constructor(
    private readonly fetcher: () => Promise<T>,
    initial?: T,
  ) {
    this.state = { data: initial, error: undefined, loading: false };
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = () => this.state;

  /** Loads unless loaded (or `force`); concurrent callers share the one request. */
  load(force = false): Promise<void> {
    if (this.pending) return this.pending;
    if (!force && (this.state.data !== undefined || this.state.error)) return Promise.resolve();
    this.set({ ...this.state, loading: true });
    this.pending = this.fetcher()
      .then(
        (data) => this.set({ data, error: undefined, loading: false }),
        (error: unknown) => this.set({ ...this.state, error: asRouteError(error), loading: false }),
      )
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }

  private set(state: ResourceState<T>) {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}

function asRouteError(error: unknown): RecurRouteError {
  if (error instanceof RecurRouteError) return error;
  return new RecurRouteError(0, 'network_error', error instanceof Error ? error.message : String(error));
}

export interface RecurBrowserClient {
  plans: Resource<Plans>;
  entitlements: Resource<Entitlements>;
  /** Starts Checkout: asks the app's backend for a session and sends the browser to it. */
  startCheckout(choice: CheckoutChoice): Promise<void>;
  /** Opens the Stripe Customer Portal the same way. */
  openPortal(): Promise<void>;
}

export interface BrowserClientOptions {
  /** Where the app serves `createRecurRoutes`. Default `/api/recur`. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Sends the browser to Stripe's page; default `window.location.assign`. */
  redirect?: (url: string) => void;
  /** Data the page already has (e.g. rendered on the server), shown before any request. */
  initialPlans?: Plans;
  initialEntitlements?: Entitlements;
}

/** The browser's side of the app's backend routes: same-origin calls with the app's own session cookie. */
export function createBrowserClient(options: BrowserClientOptions = {}): RecurBrowserClient {
  const base = (options.baseUrl ?? '/api/recur').replace(/\/+$/, '');
  const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const redirect = options.redirect ?? ((url: string) => window.location.assign(url));
  const call = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await send(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string };
    } | null;
    if (!response.ok)
      throw new RecurRouteError(
        response.status,
        answer?.error?.code ?? `http_${response.status}`,
        answer?.error?.message ?? `The server answered ${response.status}`,
      );
    return answer as T;
  };
  return {
    plans: new Resource(async () => (await call<{ data: Plans }>('/plans')).data, options.initialPlans),
    entitlements: new Resource(() => call<Entitlements>('/entitlements'), options.initialEntitlements),
    async startCheckout(choice) {
      redirect((await call<{ url: string }>('/checkout', choice)).url);
    },
    async openPortal() {
      redirect((await call<{ url: string }>('/portal', {})).url);
    },
  };
}
