import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatDateTime } from '../../src/format.js';
import { idempotency, useApi } from '../app/session.js';
import type { SyncRun } from '../app/types.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Empty, ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { SlicePager, useSlicePager } from '../components/Pager.js';
import { Table } from '../components/Table.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';
import { SettingToggle } from '../settings/SettingToggle.js';
import { countsText } from './counts.js';
import { SyncProgress } from './SyncProgress.js';

type Mode = 'incremental' | 'full';

/** Pulling Stripe's state into the mirror: the schedule, a run on demand with its progress, past runs. */
export function SyncPage() {
  const api = useApi();
  const [mode, setMode] = useState<Mode>('incremental');
  const [watching, setWatching] = useState<string | null>(null);
  const runs = useQuery({
    queryKey: ['sync'],
    queryFn: () => unwrap(api.GET('/api/admin/sync')),
    refetchInterval: (q) => (q.state.data?.data.some((r) => r.status === 'running') ? 2_000 : false),
  });
  const run = useConfirmedAction(
    (chosen: Mode) => unwrap(api.POST('/api/admin/sync', { body: { mode: chosen }, ...idempotency() })),
    { invalidate: [['sync']], onSuccess: (started) => setWatching(started.id) },
  );
  const running = runs.data?.data.find((r) => r.status === 'running');
  const { rows, controls } = useSlicePager(runs.data?.data, 10);
  const schedule = runs.data?.schedule;

  return (
    <section aria-labelledby="sync-title">
      <h1 id="sync-title">Sync</h1>
      <ErrorAlert error={runs.error} />
      <div className="card">
        <h2>Schedule</h2>
        {schedule && (
          <p>
            <SettingToggle setting="auto_sync_enabled" value={schedule.auto_sync_enabled} />{' '}
            {schedule.auto_sync_enabled
              ? `every ${Math.round(schedule.interval_seconds / 60)} min; next ${formatDateTime(schedule.next_run_at)}`
              : 'scheduled syncs are off'}
          </p>
        )}
        <h2>Run now</h2>
        <div className="filters">
          <label>
            Mode
            <select value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
              <option value="incremental">Incremental (changes since the last run)</option>
              <option value="full">Full (every object)</option>
            </select>
          </label>
          <button
            type="button"
            className="primary"
            disabled={Boolean(running)}
            onClick={() => run.open(mode)}
          >
            Run sync now
          </button>
        </div>
        {(watching ?? running?.id) && <SyncProgress id={(watching ?? running?.id)!} />}
      </div>
      <h2>Recent runs</h2>
      {runs.isPending ? (
        <Loading what="sync runs" />
      ) : rows?.length ? (
        <RunTable runs={rows} />
      ) : (
        <Empty>No sync has run yet.</Empty>
      )}
      <SlicePager controls={controls} label="Sync runs" />
      {run.target && (
        <ConfirmDialog
          title={`Run a ${run.target} sync now?`}
          confirmLabel="Run sync"
          busy={run.busy}
          error={run.error}
          onConfirm={run.confirm}
          onClose={run.close}
        >
          <p>Recur reads Stripe at a paced rate and updates the mirror; webhooks keep flowing meanwhile.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function RunTable({ runs }: { runs: SyncRun[] }) {
  return (
    <Table
      caption="Recent sync runs"
      columns={['Started', 'Mode', 'Trigger', 'Status', 'Duration', 'Objects', 'Error']}
    >
      {runs.map((r) => (
        <tr key={r.id}>
          <th scope="row">{formatDateTime(r.started_at)}</th>
          <td>{r.mode}</td>
          <td>{r.trigger}</td>
          <td>
            <span className={`badge ${r.status}`}>{r.status}</span>
          </td>
          <td>{Math.round(r.duration_seconds)} s</td>
          <td>{countsText(r.counts)}</td>
          <td className="error-text">{r.error ?? ''}</td>
        </tr>
      ))}
    </Table>
  );
}
