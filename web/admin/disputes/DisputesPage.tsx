import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatDate, formatMoney } from '../../src/format.js';
import { useApi } from '../app/session.js';
import type { Dispute } from '../app/types.js';
import { Empty, ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { Filters, SelectFilter } from '../components/Filters.js';
import { Pager, useCursorPager } from '../components/Pager.js';
import { Table } from '../components/Table.js';
import { DisputeRates } from './DisputeRates.js';

const STATUSES = [
  'needs_response',
  'under_review',
  'won',
  'lost',
  'warning_needs_response',
  'warning_under_review',
  'warning_closed',
  'prevented',
] as const;

/** Stripe's words for a dispute's state, as a person reads them. */
const STATUS_LABELS: Record<string, string> = {
  needs_response: 'Needs response',
  under_review: 'Under review',
  won: 'Won',
  lost: 'Lost',
  warning_needs_response: 'Inquiry: needs response',
  warning_under_review: 'Inquiry: under review',
  warning_closed: 'Inquiry closed',
  prevented: 'Prevented',
};

const label = (text: string) => text.charAt(0).toUpperCase() + text.slice(1).replaceAll('_', ' ');

export function DisputesPage() {
  const api = useApi();
  const pager = useCursorPager();
  const [status, setStatus] = useState<(typeof STATUSES)[number] | ''>('');
  const query = {
    ...(status ? { status } : {}),
    ...(pager.cursor ? { cursor: pager.cursor } : {}),
    limit: 20,
  };
  const list = useQuery({
    queryKey: ['disputes', query],
    queryFn: () => unwrap(api.GET('/api/admin/disputes', { params: { query } })),
  });
  return (
    <section aria-labelledby="disputes-title">
      <h1 id="disputes-title">Disputes</h1>
      <Filters label="Filter disputes">
        <SelectFilter
          label="Status"
          value={status}
          options={STATUSES}
          onChange={(v) => {
            setStatus(v);
            pager.reset();
          }}
        />
      </Filters>
      <ErrorAlert error={list.error} />
      {list.isPending ? (
        <Loading what="disputes" />
      ) : list.data?.data.length ? (
        <DisputeTable disputes={list.data.data} />
      ) : (
        <Empty>No disputes match.</Empty>
      )}
      <Pager pager={pager} nextCursor={list.data?.next_cursor} label="Dispute list" />
      <DisputeRates />
    </section>
  );
}

function DisputeTable({ disputes }: { disputes: Dispute[] }) {
  return (
    <Table
      caption="Disputes"
      columns={[
        'Dispute',
        'Amount',
        'Reason',
        'Status',
        'Evidence due',
        'Subscription',
        'Customer',
        'Access',
      ]}
    >
      {disputes.map((d) => (
        <tr key={d.id}>
          <th scope="row">
            <code>{d.id}</code>
          </th>
          <td>{formatMoney(d.amount, d.currency)}</td>
          <td>{label(d.reason)}</td>
          <td>
            <span className={`badge ${d.status}`}>{STATUS_LABELS[d.status] ?? label(d.status)}</span>
          </td>
          <td>{d.evidence_due_by ? formatDate(d.evidence_due_by) : '—'}</td>
          <td>
            {d.subscription_id ? (
              <Link to="/subscriptions/$id" params={{ id: d.subscription_id }}>
                <code>{d.subscription_id}</code>
              </Link>
            ) : (
              '—'
            )}
          </td>
          <td>
            {d.customer_id ? (
              <Link to="/customers" search={{ q: d.customer_id }}>
                {d.user_id ?? d.customer_id}
              </Link>
            ) : (
              '—'
            )}
          </td>
          <td>{d.access_frozen ? 'Suspended' : '—'}</td>
        </tr>
      ))}
    </Table>
  );
}
