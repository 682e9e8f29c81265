import { formatDateTime, formatMoney } from '../../src/format.js';
import type { PriceMigration } from '../app/types.js';
import { Table } from '../components/Table.js';
import { timingLabel } from './labels.js';

/** The states with subscriptions in them, in words: "3 scheduled, 1 skipped". */
export function countsText(counts: PriceMigration['counts']): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`);
  return parts.length ? parts.join(', ') : 'nothing yet';
}

/** Past migrations, newest first; a finished one at renewal can be undone. */
export function MigrationList(props: {
  migrations: PriceMigration[];
  onWatch(id: string): void;
  onUndo(migration: PriceMigration): void;
}) {
  return (
    <Table caption="Past price migrations" columns={['Started', 'When', 'Status', 'Moved', 'MRR', 'Actions']}>
      {props.migrations.map((m) => (
        <tr key={m.id}>
          <th scope="row">{formatDateTime(m.created_at)}</th>
          <td>{timingLabel(m.timing)}</td>
          <td>
            <span className={`badge ${m.status}`}>{m.status}</span>
          </td>
          <td>
            {m.done} of {m.subscriptions} ({countsText(m.counts)})
          </td>
          <td>
            {formatMoney(m.mrr_before, m.currency)} → {formatMoney(m.mrr_after, m.currency)}
          </td>
          <td>
            <button
              type="button"
              onClick={() => props.onWatch(m.id)}
              aria-label={`Show progress of the migration started ${formatDateTime(m.created_at)}`}
            >
              Progress
            </button>{' '}
            {m.status === 'completed' && m.timing === 'renewal' && (
              <button
                type="button"
                className="danger"
                onClick={() => props.onUndo(m)}
                aria-label={`Undo the migration started ${formatDateTime(m.created_at)}`}
              >
                Undo
              </button>
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}
