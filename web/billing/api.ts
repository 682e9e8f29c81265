import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { createApi, unwrap } from '../src/api/client.js';
import type { paths } from '../src/api/schema.gen.js';
import { type Org, orgQuery } from './org-context.js';
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
export type Membership = Json<'/api/me/organizations', 'get'>['data'][number];

/** Every billing write carries a key of its own, so a retried click is applied once. */
export const once = () => ({ 'Idempotency-Key': crypto.randomUUID() });

/** Each /api/me/* read is kept per context: `[...keys.subscriptions, org ?? 'personal']`. */
export const keys = {
  plans: ['plans'] as const,
  subscriptions: ['me', 'subscriptions'] as const,
  entitlements: ['me', 'entitlements'] as const,
  invoices: ['me', 'invoices'] as const,
  organizations: ['me', 'organizations'] as const,
  credits: ['me', 'credits'] as const,
};

const inContext = (key: readonly string[], org: Org) => [...key, org ?? 'personal'];

/** Everything an action on a subscription may have changed (in every context: these are prefixes). */
export const afterBillingChange = [keys.subscriptions, keys.entitlements, keys.invoices];

export function usePlans() {
  return useQuery({
    queryKey: keys.plans,
    queryFn: async () => (await unwrap(api.GET('/api/plans'))).data.filter((p) => p.status === 'active'),
  });
}

/** The organisations the user belongs to, with their role in each (for the context switcher). */
export function useMemberships() {
  return useQuery({
    queryKey: keys.organizations,
    queryFn: async () => (await unwrap(api.GET('/api/me/organizations'))).data,
  });
}

/** While Checkout's webhook is on its way the new subscription is not there yet: `waitForOne` polls. */
export function useSubscriptions(org: Org, waitForOne = false) {
  return useQuery({
    queryKey: inContext(keys.subscriptions, org),
    queryFn: async () =>
      (await unwrap(api.GET('/api/me/subscriptions', { params: { query: { ...orgQuery(org) } } }))).data,
    refetchInterval: (query) =>
      waitForOne && !query.state.data?.some((s) => s.status !== 'cancelled') ? 1500 : false,
  });
}

/** What the user may do in this context: their own, or what the organisation pays for. */
export function useEntitlements(org: Org) {
  return useQuery({
    queryKey: inContext(keys.entitlements, org),
    queryFn: () => unwrap(api.GET('/api/me/entitlements', { params: { query: { ...orgQuery(org) } } })),
  });
}

export type Credits = Json<'/api/me/credits', 'get'>;

/**
 * The credit balances in this context, with the newest ledger row. Back from Checkout, the grant's
 * webhook may still be on its way: `pollUntil` polls until `arrived` says it came, for a minute at most.
 */
export function useCredits(org: Org, pollUntil: ((credits: Credits) => boolean) | null = null) {
  const [since] = useState(Date.now);
  return useQuery({
    queryKey: inContext(keys.credits, org),
    queryFn: () => unwrap(api.GET('/api/me/credits', { params: { query: { limit: 1, ...orgQuery(org) } } })),
    refetchInterval: (query) =>
      pollUntil && Date.now() - since < 60_000 && !(query.state.data && pollUntil(query.state.data))
        ? 1500
        : false,
  });
}

export function useInvoices(org: Org) {
  return useInfiniteQuery({
    queryKey: inContext(keys.invoices, org),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/me/invoices', {
          params: { query: { limit: 10, ...(pageParam ? { cursor: pageParam } : {}), ...orgQuery(org) } },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** Subscriptions that still bill or give access: not ended. */
export const liveSubscriptions = (all: Subscription[] | undefined) =>
  (all ?? []).filter((s) => s.status !== 'cancelled');
