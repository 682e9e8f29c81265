import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.gen.js';

/** The one error shape the API answers with, kept whole so pages can show Stripe's words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type ErrorBody = { error?: { code?: string; message?: string; details?: unknown; request_id?: string } };

/** Turns a failed call's body into an `ApiError` with the server's own message. */
export function toApiError(status: number, body: unknown): ApiError {
  const error = (body as ErrorBody | undefined)?.error;
  return new ApiError(
    status,
    error?.code ?? `http_${status}`,
    error?.message ?? `The server answered ${status}`,
    error?.details,
    error?.request_id,
  );
}

/**
 * A typed client of Recur's API. `credential` is read on every call (an admin key or a user
 * token), so signing in and out needs no new client.
 */
export function createApi(credential: () => string | null, baseUrl = '') {
  const client = createClient<paths>({ baseUrl });
  const auth: Middleware = {
    onRequest({ request }) {
      const value = credential();
      if (value) request.headers.set('Authorization', `Bearer ${value}`);
      return request;
    },
  };
  client.use(auth);
  return client;
}

export type Api = ReturnType<typeof createApi>;

/** Unwraps an openapi-fetch result: the data, or an `ApiError` thrown for the page to show. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) throw toApiError(response.status, error);
  return data as T;
}
