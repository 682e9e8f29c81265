import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { unwrap } from '../../src/api/client.js';
import { useApi } from '../app/session.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { countsText } from './counts.js';

/** One run followed live: polled every second while it runs, then the run list is refreshed once. */
export function SyncProgress({ id }: { id: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const run = useQuery({
    queryKey: ['sync', id],
    queryFn: () => unwrap(api.GET('/api/admin/sync/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data?.status === 'running' || !q.state.data ? 1_000 : false),
  });
  const status = run.data?.status;
  useEffect(() => {
    if (status && status !== 'running')
      void queryClient.invalidateQueries({ queryKey: ['sync'], exact: true });
  }, [status, queryClient]);
  return (
    <div className="progress" aria-live="polite">
      <ErrorAlert error={run.error} />
      {run.data && (
        <p>
          Sync {run.data.mode}: <span className={`badge ${run.data.status}`}>{run.data.status}</span> —{' '}
          {countsText(run.data.counts)}
          {run.data.error && <span className="error-text"> {run.data.error}</span>}
        </p>
      )}
    </div>
  );
}
