import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatDate, formatMoney } from '../../src/format.js';
import { useAllPlans } from '../app/catalog.js';
import { useApi } from '../app/session.js';
import { CustomerLink } from '../components/CustomerLink.js';
import { type Column, DataTable } from '../components/DataTable.js';
import { DateRangeFilter, dateRangeQuery, Filters, SelectFilter, TextFilter } from '../components/Filters.js';
import { ListBody } from '../components/ListBody.js';
import { useListState } from '../components/useListState.js';

const STATUSES = ['pending', 'active', 'action_required', 'suspended', 'cancelled'] as const;
type Status = (typeof STATUSES)[number];
const PROVIDERS = ['stripe', 'external'] as const;
type SortKey = 'created' | 'status';

/**
 * Newest first (or by status), each with its customer's name and email (linked to the customer's
 * page); filtered by customer, status, plan, provider and creation date; open one for its detail.
 */
export function SubscriptionsPage() {
  const api = useApi();
  const navigate = useNavigate();
  const list = useListState<SortKey>('created');
  const [status, setStatus] = useState<Status | ''>('');
  const [provider, setProvider] = useState<(typeof PROVIDERS)[number] | ''>('');
  const [planId, setPlanId] = useState('');
  const [created, setCreated] = useState({ from: '', to: '' });
  // A customer's page links here with ?customer=cus_… to show that customer's subscriptions.
  const search = useSearch({ strict: false }) as { customer?: string };
  const [customerId, setCustomerId] = useState(search.customer ?? '');
  const plans = useAllPlans();
  const query = {
    ...(status ? { status } : {}),
    ...(provider ? { provider } : {}),
    ...(planId ? { plan_id: planId } : {}),
    ...(customerId.trim() ? { customer_id: customerId.trim() } : {}),
    ...dateRangeQuery(created),
    ...list.query,
    limit: 20,
  };
  const page = useQuery({
    queryKey: ['subscriptions', query],
    queryFn: () => unwrap(api.GET('/api/subscriptions', { params: { query } })),
  });
  type Subscription = NonNullable<typeof page.data>['data'][number];
  const columns: Column<Subscription, SortKey>[] = [
    {
      id: 'id',
      header: 'Subscription',
      cell: (s) => (
        <Link to="/subscriptions/$id" params={{ id: s.id }}>
          <code>{s.id}</code>
        </Link>
      ),
    },
    {
      id: 'customer',
      header: 'Customer',
      cell: (s) => (
        <>
          <CustomerLink id={s.customer_id}>
            {s.customer_name ?? s.customer_email ?? s.customer_id}
          </CustomerLink>
          {s.customer_name && s.customer_email && <span className="cell-secondary">{s.customer_email}</span>}
        </>
      ),
    },
    { id: 'plan', header: 'Plan', cell: (s) => s.plan_name ?? '—' },
    {
      id: 'price',
      header: 'Price',
      cell: (s) =>
        `${s.unit_amount === null ? '—' : formatMoney(s.unit_amount * s.quantity, s.currency)}${s.interval ? ` / ${s.interval}` : ''}`,
    },
    {
      id: 'status',
      header: 'Status',
      sortKey: 'status',
      cell: (s) => (
        <>
          <span className={`badge ${s.status}`}>{s.status.replaceAll('_', ' ')}</span>
          {s.cancel_at_period_end && <span className="cell-secondary">ends at period end</span>}
        </>
      ),
    },
    { id: 'next', header: 'Next billing', cell: (s) => formatDate(s.next_billing_date) },
    { id: 'created', header: 'Created', sortKey: 'created', cell: (s) => formatDate(s.created_at) },
  ];

  return (
    <section aria-labelledby="subscriptions-title">
      <h1 id="subscriptions-title">Subscriptions</h1>
      <Filters label="Filter subscriptions">
        <TextFilter
          label="Customer id"
          value={customerId}
          placeholder="cus_…"
          onChange={list.filter(setCustomerId)}
        />
        <SelectFilter
          label="Status"
          value={status}
          options={STATUSES}
          onChange={list.filter<Status | ''>(setStatus)}
        />
        <label>
          Plan
          <select value={planId} onChange={(e) => list.filter(setPlanId)(e.target.value)}>
            <option value="">Any</option>
            {plans.data?.data.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <SelectFilter
          label="Provider"
          value={provider}
          options={PROVIDERS}
          onChange={list.filter<(typeof PROVIDERS)[number] | ''>(setProvider)}
        />
        <DateRangeFilter
          label="Created"
          from={created.from}
          to={created.to}
          onChange={list.filter(setCreated)}
        />
      </Filters>
      <ListBody what="subscriptions" list={page} pager={list.pager} pagerLabel="Subscription list">
        {(rows) => (
          <DataTable
            caption="Subscriptions"
            rows={rows}
            rowId={(s) => s.id}
            rowName={(s) => s.id}
            columns={columns}
            sort={list.sort}
            onSort={list.setSort}
            actions={(s) => [
              {
                label: 'Open subscription',
                onSelect: () => navigate({ to: '/subscriptions/$id', params: { id: s.id } }),
              },
              {
                label: 'Invoices of this subscription',
                onSelect: () => navigate({ to: '/invoices', search: { subscription: s.id } }),
              },
              {
                label: 'Other subscriptions of the customer',
                onSelect: () => list.filter(setCustomerId)(s.customer_id),
              },
            ]}
          />
        )}
      </ListBody>
    </section>
  );
}
