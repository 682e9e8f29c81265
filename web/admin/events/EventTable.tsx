import { formatDateTime } from '../../src/format.js';
import type { EventRow } from '../app/types.js';
import { type Column, DataTable, type Sort } from '../components/DataTable.js';

export type EventSortKey = 'received' | 'occurred';

const columns: Column<EventRow, EventSortKey>[] = [
  { id: 'type', header: 'Type', cell: (e) => <code>{e.type}</code> },
  { id: 'object', header: 'Object', cell: (e) => <code>{e.object_id ?? '—'}</code> },
  { id: 'source', header: 'Source', cell: (e) => e.source },
  { id: 'occurred', header: 'Occurred', sortKey: 'occurred', cell: (e) => formatDateTime(e.occurred_at) },
  { id: 'received', header: 'Received', sortKey: 'received', cell: (e) => formatDateTime(e.received_at) },
  { id: 'status', header: 'Status', cell: (e) => <span className={`badge ${e.status}`}>{e.status}</span> },
  { id: 'attempts', header: 'Attempts', cell: (e) => e.attempts },
  {
    id: 'error',
    header: 'Last error',
    cell: (e) => <span className="error-text">{e.last_error ?? ''}</span>,
  },
];

/** The webhook log's rows; every event can be replayed, a dead letter also discarded. */
export function EventTable({
  events,
  onReplay,
  onDiscard,
  sort,
  onSort,
}: {
  events: EventRow[];
  onReplay(event: EventRow): void;
  onDiscard(event: EventRow): void;
  sort: Sort<EventSortKey>;
  onSort(sort: Sort<EventSortKey>): void;
}) {
  return (
    <DataTable
      caption="Events"
      rows={events}
      rowId={(e) => e.id}
      rowName={(e) => `${e.type} (${e.id})`}
      columns={columns}
      sort={sort}
      onSort={onSort}
      actions={(e) => [
        { label: 'Replay', onSelect: () => onReplay(e) },
        ...(e.status === 'dead' ? [{ label: 'Discard', onSelect: () => onDiscard(e) }] : []),
      ]}
    />
  );
}
