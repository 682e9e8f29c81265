import { useQuery } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { formatDate } from '../../src/format.js';
import { idempotency, useApi } from '../app/session.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Empty, ErrorAlert, Loading } from '../components/ErrorAlert.js';
import { Filters, TextFilter } from '../components/Filters.js';
import { Pager, useCursorPager } from '../components/Pager.js';
import { Table } from '../components/Table.js';
import { useConfirmedAction } from '../components/useConfirmedAction.js';

type Customer = { id: string; email: string | null };

/**
 * Stripe customers mirrored by Recur, searched by part of an email, its domain, a name or an id
 * (the API decrypts and matches; see GET /api/customers `q`), or by the app's user id.
 */
export function CustomersPage() {
  const api = useApi();
  const pager = useCursorPager();
  // A subscription's customer links here with ?q=cus_…
  const search = useSearch({ strict: false }) as { q?: string };
  const [term, setTerm] = useState(search.q ?? '');
  const [externalId, setExternalId] = useState('');
  const query = {
    ...(term.trim().length >= 2 ? { q: term.trim() } : {}),
    ...(externalId.trim() ? { external_id: externalId.trim() } : {}),
    ...(pager.cursor ? { cursor: pager.cursor } : {}),
    limit: 20,
  };
  const list = useQuery({
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
          onChange={(v) => {
            setTerm(v);
            pager.reset();
          }}
        />
        <TextFilter
          label="User id"
          value={externalId}
          onChange={(v) => {
            setExternalId(v);
            pager.reset();
          }}
        />
      </Filters>
      <ErrorAlert error={list.error} />
      {list.isPending ? (
        <Loading what="customers" />
      ) : list.data?.data.length ? (
        <Table
          caption="Customers"
          columns={['Customer', 'Email', 'Name', 'Payer', 'Currency', 'Created', 'Subscriptions', 'Actions']}
        >
          {list.data.data.map((c) => (
            <tr key={c.id}>
              <th scope="row">
                <Link to="/customers/$id" params={{ id: c.id }}>
                  <code>{c.id}</code>
                </Link>
                {c.erased_at ? ' (erased)' : c.deleted && ' (deleted)'}
              </th>
              <td>{c.email ?? '—'}</td>
              <td>{c.name ?? '—'}</td>
              <td>
                {c.organization_id
                  ? `Organisation ${c.organization_id}`
                  : c.external_id
                    ? `User ${c.external_id}`
                    : '—'}
              </td>
              <td>{c.currency?.toUpperCase() ?? '—'}</td>
              <td>{formatDate(c.created_at)}</td>
              <td>
                <Link to="/subscriptions" search={{ customer: c.id }}>
                  Subscriptions<span className="visually-hidden"> of {c.email ?? c.id}</span>
                </Link>
              </td>
              <td>
                {!c.erased_at && (
                  <button type="button" onClick={() => erase.open(c)}>
                    Erase personal data<span className="visually-hidden"> of {c.email ?? c.id}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      ) : (
        <Empty>No customers match.</Empty>
      )}
      <Pager pager={pager} nextCursor={list.data?.next_cursor} label="Customer list" />
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
