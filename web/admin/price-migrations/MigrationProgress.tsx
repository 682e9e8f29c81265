import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { unwrap } from '../../src/api/client.js';
import { useApi } from '../app/session.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { awaitsRenewals } from './labels.js';
import { countsText } from './MigrationList.js';

/**
 * One migration followed live: polled every second while it runs (then the list is refreshed once),
 * and every 10 s while its moves wait for their renewals.
 */
export function MigrationProgress({ id }: { id: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const migration = useQuery({
    queryKey: ['price-migrations', id],
    queryFn: () => unwrap(api.GET('/api/admin/price-migrations/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => {
      const m = q.state.data;
      if (!m || m.status === 'running') return 1_000;
      return awaitsRenewals(m) ? 10_000 : false;
    },
  });
  const status = migration.data?.status;
  useEffect(() => {
    if (status && status !== 'running')
      void queryClient.invalidateQueries({ queryKey: ['price-migrations'], exact: true });
  }, [status, queryClient]);
  const m = migration.data;
  return (
    <section aria-labelledby="progress-title" className="card">
      <h2 id="progress-title">Progress</h2>
      <ErrorAlert error={migration.error} />
      {m && (
        <>
          <progress
            aria-label="Subscriptions moved"
            max={Math.max(m.subscriptions, 1)}
            value={m.done}
            className="migration-progress"
          />
          <p aria-live="polite">
            <span className={`badge ${m.status}`}>{m.status}</span> {m.done} of {m.subscriptions} moved
            {' — '}
            {countsText(m.counts)}
          </p>
        </>
      )}
    </section>
  );
}
