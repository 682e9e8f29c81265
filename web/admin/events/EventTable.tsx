import { formatDateTime } from '../../src/format.js';
import type { EventRow } from '../app/types.js';
import { Table } from '../components/Table.js';

export function EventTable({
  events,
  onReplay,
  onDiscard,
}: {
  events: EventRow[];
  onReplay(event: EventRow): void;
  onDiscard(event: EventRow): void;
}) {
  return (
    <Table
      caption="Events"
      columns={['Type', 'Object', 'Source', 'Occurred', 'Status', 'Attempts', 'Last error', 'Actions']}
    >
      {events.map((e) => (
        <tr key={e.id} data-event-id={e.id}>
          <th scope="row">
            <code>{e.type}</code>
          </th>
          <td>
            <code>{e.object_id ?? '—'}</code>
          </td>
          <td>{e.source}</td>
          <td>{formatDateTime(e.occurred_at)}</td>
          <td>
            <span className={`badge ${e.status}`}>{e.status}</span>
          </td>
          <td>{e.attempts}</td>
          <td className="error-text">{e.last_error ?? ''}</td>
          <td>
            <button type="button" onClick={() => onReplay(e)}>
              Replay
              <span className="visually-hidden">
                {' '}
                {e.type} ({e.id})
              </span>
            </button>
            {e.status === 'dead' && (
              <button type="button" onClick={() => onDiscard(e)}>
                Discard
                <span className="visually-hidden">
                  {' '}
                  {e.type} ({e.id})
                </span>
              </button>
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}
