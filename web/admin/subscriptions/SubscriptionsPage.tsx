import { useQuery } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatDate, formatMoney } from '../../src/format.js';
import { useApi } from '../app/session.js';
import { Empty, ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { Filters, SelectFilter, TextFilter } from '../components/Filters.js';
import { Pager, useCursorPager } from '../components/Pager.js';
import { Table } from '../components/Table.js';

const STATUSES = ['pending', 'active', 'action_required', 'suspended', 'cancelled'] as const;
type Status = (typeof STATUSES)[number];

/**
 * Newest first, each with its customer's name and email (linked to the customer); filtered by
 * customer, status and plan; open one for its detail and actions.
 */
export function SubscriptionsPage() {
  const api = useApi();
  const pager = useCursorPager();
  const [status, setStatus] = useState<Status | ''>('');
  const [planId, setPlanId] = useState('');
  // The customers page links here with ?customer=cus_… to show one customer's subscriptions.
  const search = useSearch({ strict: false }) as { customer?: string };
  const [customerId, setCustomerId] = useState(search.customer ?? '');
  const plans = useQuery({
    queryKey: ['plans', 'all'],
    queryFn: () => unwrap(api.GET('/api/plans', { params: { query: { status: 'all' } } })),
  });
  const query = {
    ...(status ? { status } : {}),
    ...(planId ? { plan_id: planId } : {}),
    ...(customerId.trim() ? { customer_id: customerId.trim() } : {}),
    ...(pager.cursor ? { cursor: pager.cursor } : {}),
    limit: 20,
  };
  const list = useQuery({
    queryKey: ['subscriptions', query],
    queryFn: () => unwrap(api.GET('/api/subscriptions', { params: { query } })),
  });
  const filter =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      pager.reset();
    };

  return (
    <section aria-labelledby="subscriptions-title">
      <h1 id="subscriptions-title">Subscriptions</h1>
      <Filters label="Filter subscriptions">
        <TextFilter
          label="Customer id"
          value={customerId}
          placeholder="cus_…"
          onChange={filter(setCustomerId)}
        />
        <SelectFilter
          label="Status"
          value={status}
          options={STATUSES}
          onChange={filter<Status | ''>(setStatus)}
        />
        <label>
          Plan
          <select value={planId} onChange={(e) => filter(setPlanId)(e.target.value)}>
            <option value="">Any</option>
            {plans.data?.data.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      </Filters>
      <ErrorAlert error={list.error} />
      {list.isPending ? (
        <Loading what="subscriptions" />
      ) : list.data?.data.length ? (
        <Table
          caption="Subscriptions"
          columns={['Subscription', 'Customer', 'Plan', 'Price', 'Status', 'Next billing', 'Created']}
        >
          {list.data.data.map((s) => (
            <tr key={s.id}>
              <th scope="row">
                <Link to="/subscriptions/$id" params={{ id: s.id }}>
                  <code>{s.id}</code>
                </Link>
              </th>
              <td>
                <Link to="/customers" search={{ q: s.customer_id }}>
                  {s.customer_name ?? s.customer_email ?? s.customer_id}
                </Link>
                {s.customer_name && s.customer_email && (
                  <span className="cell-secondary">{s.customer_email}</span>
                )}
              </td>
              <td>{s.plan_name ?? '—'}</td>
              <td>
                {s.unit_amount === null ? '—' : formatMoney(s.unit_amount * s.quantity, s.currency)}
                {s.interval ? ` / ${s.interval}` : ''}
              </td>
              <td>
                <span className={`badge ${s.status}`}>{s.status}</span>
                {s.cancel_at_period_end && ' (ends at period end)'}
              </td>
              <td>{formatDate(s.next_billing_date)}</td>
              <td>{formatDate(s.created_at)}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <Empty>No subscriptions match.</Empty>
      )}
      <Pager pager={pager} nextCursor={list.data?.next_cursor} label="Subscription list" />
    </section>
  );
}
