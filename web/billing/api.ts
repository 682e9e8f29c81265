import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { createApi, unwrap } from '../src/api/client.js';
import type { paths } from '../src/api/schema.gen.js';
import { currentToken } from './session.js';

export const api = createApi(currentToken);

type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type Plan = Json<'/api/plans', 'get'>['data'][number];
export type Price = Plan['prices'][number];
export type Subscription = Json<'/api/me/subscriptions', 'get'>['data'][number];
export type Invoice = Json<'/api/me/invoices', 'get'>['data'][number];
export type Entitlements = Json<'/api/me/entitlements', 'get'>;
export type ChangePreview = Json<'/api/subscriptions/{id}/preview-change', 'post'>;

/** Every billing write carries a key of its own, so a retried click is applied once. */
export const once = () => ({ 'Idempotency-Key': crypto.randomUUID() });

export const keys = {
  plans: ['plans'] as const,
  subscriptions: ['me', 'subscriptions'] as const,
  entitlements: ['me', 'entitlements'] as const,
  invoices: ['me', 'invoices'] as const,
};

/** Everything an action on a subscription may have changed. */
export const afterBillingChange = [keys.subscriptions, keys.entitlements, keys.invoices];

export function usePlans() {
  return useQuery({
    queryKey: keys.plans,
    queryFn: async () => (await unwrap(api.GET('/api/plans'))).data.filter((p) => p.status === 'active'),
  });
}

/** While Checkout's webhook is on its way the new subscription is not there yet: `waitForOne` polls. */
export function useSubscriptions(waitForOne = false) {
  return useQuery({
    queryKey: keys.subscriptions,
    queryFn: async () => (await unwrap(api.GET('/api/me/subscriptions'))).data,
    refetchInterval: (query) =>
      waitForOne && !query.state.data?.some((s) => s.status !== 'cancelled') ? 1500 : false,
  });
}

export function useEntitlements() {
  return useQuery({
    queryKey: keys.entitlements,
    queryFn: () => unwrap(api.GET('/api/me/entitlements')),
  });
}

export function useInvoices() {
  return useInfiniteQuery({
    queryKey: keys.invoices,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/me/invoices', {
          params: { query: { limit: 10, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** Subscriptions that still bill or give access: not ended. */
export const liveSubscriptions = (all: Subscription[] | undefined) =>
  (all ?? []).filter((s) => s.status !== 'cancelled');
