import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { errorFromResponse, RecurError } from './errors.js';
import type { paths } from './generated/api.gen.js';

export interface TransportOptions {
  /** Recur's origin, e.g. `https://billing.example.com`. */
  baseUrl: string;
  /** A service (or admin) API key, `rk_…`; sent as `Authorization: Bearer …`. Server side only. */
  apiKey: string;
  /** Retries after a network error, a timeout or a 5xx, for requests that are safe to repeat. Default 3. */
  retries?: number;
  /** First retry delay in ms, doubling each retry (with full jitter), at most 5 s. Default 250. */
  retryDelayMs?: number;
  /** One attempt's time limit in ms. Default 10,000. */
  timeoutMs?: number;
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch;
}

export type RecurApi = Client<paths>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const MAX_DELAY_MS = 5_000;

/**
 * A request may be sent again when repeating it cannot do anything twice: a read, or a write that
 * carries an `Idempotency-Key` (Recur replays the first answer to a repeat and does not keep 5xx
 * answers, so a retry after a 5xx runs again).
 */
export function isRetryable(request: Request): boolean {
  return SAFE_METHODS.has(request.method) || request.headers.has('idempotency-key');
}

async function shouldRetry(response: Response): Promise<boolean> {
  if (response.status >= 500) return true;
  // The first attempt is still running on the server (its answer was lost on the way back).
  if (response.status !== 409) return false;
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { error?: { code?: unknown } } | null;
  return body?.error?.code === 'idempotency_in_progress';
}

/** A fetch that retries what is safe to retry, with exponential backoff and full jitter. */
export function retryingFetch(
  options: Pick<TransportOptions, 'retries' | 'retryDelayMs' | 'timeoutMs' | 'fetch'>,
): (request: Request) => Promise<Response> {
  const retries = options.retries ?? 3;
  const baseDelay = options.retryDelayMs ?? 250;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const send = options.fetch ?? globalThis.fetch;
  return async (request) => {
    const attempts = isRetryable(request) ? retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= attempts;
      const signal = AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]);
      try {
        const response = await send(new Request(last ? request : request.clone(), { signal }));
        if (last || !(await shouldRetry(response))) return response;
        await response.body?.cancel();
      } catch (error) {
        if (last || request.signal.aborted) throw error;
      }
      const ceiling = Math.min(MAX_DELAY_MS, baseDelay * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  };
}

/** The typed client of every route in openapi.json, authenticated with the API key. */
export function createApi(options: TransportOptions): RecurApi {
  const api = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: retryingFetch(options),
  });
  const auth: Middleware = {
    onRequest({ request }) {
      // A call made for a user (checkout, portal) brings that user's token instead.
      if (!request.headers.has('authorization'))
        request.headers.set('authorization', `Bearer ${options.apiKey}`);
      // Every write carries a key, so a retry can never do it twice.
      if (!SAFE_METHODS.has(request.method) && !request.headers.has('idempotency-key'))
        request.headers.set('idempotency-key', crypto.randomUUID());
      return request;
    },
  };
  api.use(auth);
  return api;
}

/** An openapi-fetch result as its data, or a thrown `RecurError`. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    throw new RecurError(
      0,
      'network_error',
      `Recur could not be reached: ${String(cause)}`,
      undefined,
      undefined,
      {
        cause,
      },
    );
  }
  const { data, error, response } = result;
  if (!response.ok || error !== undefined)
    throw errorFromResponse(response.status, error, response.headers.get('x-request-id'));
  return data as T;
}

/** Per-call options of every write. */
export interface WriteOptions {
  /** Sent as `Idempotency-Key`; one is made per call when none is given, and kept across its retries. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** A write's headers and signal, from its options. */
export function writeInit(options?: WriteOptions, extra: Record<string, string> = {}) {
  return {
    headers: { ...extra, ...(options?.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}) },
    ...(options?.signal ? { signal: options.signal } : {}),
  };
}
