import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode, useEffect, useRef } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from '../src/api/client.js';
import { router } from './app/router.js';
import { SessionProvider, useSession } from './app/session.js';
import './styles.css';

const isUnauthorized = (error: unknown) => error instanceof ApiError && error.status === 401;

/** A 401 from any call means the key no longer works: back to sign-in, saying why. */
function SignOutOnUnauthorized({ client }: { client: QueryClient }) {
  const { signOut } = useSession();
  const signOutRef = useRef(signOut);
  signOutRef.current = signOut;
  useEffect(() => {
    const onError = (error: unknown) => {
      if (isUnauthorized(error)) signOutRef.current('The admin key was not accepted. Sign in again.');
    };
    const queries = client.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') onError(event.action.error);
    });
    const mutations = client.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') onError(event.action.error);
    });
    return () => {
      queries();
      mutations();
    };
  }, [client]);
  return null;
}

const client = new QueryClient({
  queryCache: new QueryCache(),
  mutationCache: new MutationCache(),
  defaultOptions: {
    queries: {
      // A 4xx will answer the same again; only transient failures are worth a retry.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      staleTime: 10_000,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={client}>
      <SessionProvider onSignOut={() => client.clear()}>
        <SignOutOnUnauthorized client={client} />
        <RouterProvider router={router} />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
