import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from '../src/api/client.js';
import { App, NoToken } from './App.js';
import { takeReturnOutcome, takeTokenFromLocation, tokenHolder } from './session.js';
import './billing.css';

// Read before anything renders, so the token leaves the address bar at once.
const token = takeTokenFromLocation();
const outcome = takeReturnOutcome();
// A new link opened over this page changes only the fragment, which reloads nothing by itself.
window.addEventListener('hashchange', () => {
  if (takeTokenFromLocation() !== token) window.location.reload();
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A refused request (expired link, missing plan) is not worth asking again.
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
    },
    mutations: { retry: false },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      {token ? <App holder={tokenHolder(token)} outcome={outcome} /> : <NoToken />}
    </QueryClientProvider>
  </StrictMode>,
);
