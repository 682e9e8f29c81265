import { formatDateTime } from '../../src/format.js';
import type { AuditRow } from '../app/types.js';
import { Table } from '../components/Table.js';

function actorOf(row: AuditRow): string {
  if (row.actor.type === 'system') return `Recur (${row.actor.cause ?? 'unknown cause'})`;
  return `${row.actor.role ?? row.actor.type} ${row.actor.id ?? ''}`.trim();
}

const shown = (value: unknown): string =>
  value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);

/** Each changed field as `name: before → after` (one side only for a creation or a deletion). */
function Changes({ row }: { row: AuditRow }) {
  const fields = [...new Set([...Object.keys(row.before ?? {}), ...Object.keys(row.after ?? {})])];
  if (!fields.length) return <>—</>;
  return (
    <ul className="changes">
      {fields.map((field) => (
        <li key={field}>
          <code>{field}</code>: {row.before ? `${shown(row.before[field])} → ` : ''}
          {row.after ? shown(row.after[field]) : 'removed'}
        </li>
      ))}
    </ul>
  );
}

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <Table
      caption="Audit trail"
      columns={['When', 'Actor', 'Action', 'Object', 'Changes', 'Outcome', 'Request']}
    >
      {rows.map((row) => (
        <tr key={row.id} data-audit-id={row.id}>
          <td>{formatDateTime(row.at)}</td>
          <td>{actorOf(row)}</td>
          <th scope="row">
            <code>{row.action}</code>
          </th>
          <td>
            {row.object_type} <code>{row.object_id ?? ''}</code>
          </td>
          <td>
            <Changes row={row} />
          </td>
          <td>
            <span className={`badge ${row.outcome === 'failed' ? 'dead' : 'processed'}`}>{row.outcome}</span>
            {row.error && <span className="error-text"> {row.error}</span>}
          </td>
          <td>
            <code>{row.request_id ?? '—'}</code> {row.client_address ?? ''}
          </td>
        </tr>
      ))}
    </Table>
  );
}
