import { createContext, type ReactNode, useContext, useEffect, useMemo, useSyncExternalStore } from 'react';
import { isAllowed } from '../entitlement-cache.js';
import {
  type BrowserClientOptions,
  createBrowserClient,
  type RecurBrowserClient,
  type Resource,
} from './store.js';

const RecurContext = createContext<RecurBrowserClient | null>(null);

export interface RecurProviderProps extends BrowserClientOptions {
  children: ReactNode;
  /** A client made beforehand (tests, or sharing one between roots); otherwise one is made from the options. */
  client?: RecurBrowserClient;
}

/** Gives the hooks and components below it the app's backend routes (`createRecurRoutes`). */
export function RecurProvider({ children, client, ...options }: RecurProviderProps) {
  // The options are read once: a provider keeps its client (and what it loaded) for its lifetime.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  const value = useMemo(() => client ?? createBrowserClient(options), [client]);
  return <RecurContext.Provider value={value}>{children}</RecurContext.Provider>;
}

export function useRecur(): RecurBrowserClient {
  const client = useContext(RecurContext);
  if (!client) throw new Error('Recur: wrap the component in <RecurProvider>');
  return client;
}

function useResource<T>(resource: Resource<T>) {
  const state = useSyncExternalStore(resource.subscribe, resource.snapshot, resource.snapshot);
  useEffect(() => {
    void resource.load();
  }, [resource]);
  // Loading until the first answer, also in the server's render.
  return {
    ...state,
    loading: state.loading || (state.data === undefined && !state.error),
    refresh: () => resource.load(true),
  };
}

/** The signed-in user's entitlements, with `has(key)` (a flag on, a number above 0, a non-empty text). */
export function useEntitlements() {
  const { data, error, loading, refresh } = useResource(useRecur().entitlements);
  return {
    entitlements: data,
    has: (key: string) => isAllowed(data?.benefits[key]),
    value: (key: string) => data?.benefits[key] ?? null,
    error,
    loading,
    refresh,
  };
}

/** The public plan catalog. */
export function usePlans() {
  const { data, error, loading, refresh } = useResource(useRecur().plans);
  return { plans: data, error, loading, refresh };
}
