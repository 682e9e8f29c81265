/**
 * The API request being served, visible to code deep in a handler without threading it through
 * every call: events record `request.id` and `request.idempotency_key` from here, exactly as Stripe
 * does. Work done outside a request (a test clock advancing, a webhook retry) sees `undefined`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestInfo {
  id: string;
  idempotencyKey: string | null;
}

const storage = new AsyncLocalStorage<RequestInfo>();

export function runInRequest<T>(info: RequestInfo, work: () => T): T {
  return storage.run(info, work);
}

export function currentRequest(): RequestInfo | undefined {
  return storage.getStore();
}

/** Runs `work` as background work: events it emits carry no request, as a test clock's do. */
export function outsideRequest<T>(work: () => T): T {
  return storage.exit(work);
}
