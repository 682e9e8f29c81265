import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatDate } from '../../src/format.js';
import { idempotency, useApi } from '../app/session.js';
import type { Customer } from '../app/types.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { CustomerLink, customerPath } from '../components/CustomerLink.js';
import { type Column, DataTable } from '../components/DataTable.js';
import { DateRangeFilter, dateRangeQuery, Filters, TextFilter } from '../components/Filters.js';
import { ListBody } from '../components/ListBody.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';
import { useListState } from '../components/useListState.js';

const columns: Column<Customer, 'created'>[] = [
  {
    id: 'id',
    header: 'Customer',
    cell: (c) => (
      <>
        <CustomerLink id={c.id} />
        {c.erased_at ? ' (erased)' : c.deleted && ' (deleted)'}
      </>
    ),
  },
  { id: 'email', header: 'Email', cell: (c) => c.email ?? '—' },
  { id: 'name', header: 'Name', cell: (c) => c.name ?? '—' },
  {
    id: 'payer',
    header: 'Payer',
    cell: (c) =>
      c.organization_id ? `Organisation ${c.organization_id}` : c.external_id ? `User ${c.external_id}` : '—',
  },
  { id: 'currency', header: 'Currency', cell: (c) => c.currency?.toUpperCase() ?? '—' },
  { id: 'created', header: 'Created', sortKey: 'created', cell: (c) => formatDate(c.created_at) },
];

/**
 * Stripe customers mirrored by Recur, newest first (or oldest), searched by part of an email, its
 * domain, a name or an id (the API decrypts and matches; see GET /api/customers `q`), or by the
 * app's user id, deletion and creation date; each links to the customer's page.
 */
export function CustomersPage() {
  const api = useApi();
  const navigate = useNavigate();
  const list = useListState<'created'>('created');
  // A subscription's customer links here with ?q=cus_…
  const search = useSearch({ strict: false }) as { q?: string };
  const [term, setTerm] = useState(search.q ?? '');
  const [externalId, setExternalId] = useState('');
  const [deleted, setDeleted] = useState<'true' | 'false' | ''>('');
  const [created, setCreated] = useState({ from: '', to: '' });
  const query = {
    ...(term.trim().length >= 2 ? { q: term.trim() } : {}),
    ...(externalId.trim() ? { external_id: externalId.trim() } : {}),
    ...(deleted ? { deleted } : {}),
    ...dateRangeQuery(created),
    ...list.query,
    limit: 20,
  };
  const page = useQuery({
    queryKey: ['customers', query],
    queryFn: () => unwrap(api.GET('/api/customers', { params: { query } })),
  });
  const erase = useConfirmedAction(
    (c: Customer) =>
      unwrap(api.POST('/api/customers/{id}/erase', { params: { path: { id: c.id } }, ...idempotency() })),
    { invalidate: [['customers']] },
  );
  return (
    <section aria-labelledby="customers-title">
      <h1 id="customers-title">Customers</h1>
      <Filters label="Search customers">
        <TextFilter
          label="Email, name or id"
          value={term}
          placeholder="ann@, example.com, Lee"
          onChange={list.filter(setTerm)}
        />
        <TextFilter label="User id" value={externalId} onChange={list.filter(setExternalId)} />
        <label>
          Deleted in Stripe
          <select
            value={deleted}
            onChange={(e) => list.filter(setDeleted)(e.target.value as 'true' | 'false' | '')}
          >
            <option value="">Either</option>
            <option value="false">Not deleted</option>
            <option value="true">Deleted</option>
          </select>
        </label>
        <DateRangeFilter
          label="Created"
          from={created.from}
          to={created.to}
          onChange={list.filter(setCreated)}
        />
      </Filters>
      <ListBody what="customers" list={page} pager={list.pager} pagerLabel="Customer list">
        {(rows) => (
          <DataTable
            caption="Customers"
            rows={rows}
            rowId={(c) => c.id}
            rowName={(c) => c.email ?? c.id}
            columns={columns}
            sort={list.sort}
            onSort={list.setSort}
            actions={(c) => [
              { label: 'Open customer', onSelect: () => window.location.assign(customerPath(c.id)) },
              {
                label: 'Subscriptions',
                onSelect: () => navigate({ to: '/subscriptions', search: { customer: c.id } }),
              },
              {
                label: 'Invoices',
                onSelect: () => navigate({ to: '/invoices', search: { customer: c.id } }),
              },
              ...(c.erased_at ? [] : [{ label: 'Erase personal data', onSelect: () => erase.open(c) }]),
            ]}
          />
        )}
      </ListBody>
      {erase.target && (
        <ConfirmDialog
          title={`Erase the personal data of ${erase.target.email ?? erase.target.id}?`}
          confirmLabel="Erase personal data"
          danger
          busy={erase.busy}
          error={erase.error}
          onConfirm={erase.confirm}
          onClose={erase.close}
        >
          <p>
            The customer is deleted in Stripe, which keeps its invoices. Recur forgets the name, the email and
            the user it belonged to, and removes them from its stored events. This cannot be undone; a
            customer with a live subscription is refused until it is cancelled.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
