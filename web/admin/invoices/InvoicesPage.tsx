import { useQuery } from '@tanstack/react-query';
import { useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { unwrap } from '../../src/api/client.js';
import { useApi } from '../app/session.js';
import type { Invoice } from '../app/types.js';
import { DateRangeFilter, dateRangeQuery, Filters, SelectFilter, TextFilter } from '../components/Filters.js';
import { ListBody } from '../components/ListBody.js';
import { useListState } from '../components/useListState.js';
import { type InvoiceSortKey, InvoiceTable } from './InvoiceTable.js';
import { RefundDialog } from './RefundDialog.js';

const STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;

/** Newest first (or by total), filtered by status, customer, subscription and creation date. */
export function InvoicesPage() {
  const api = useApi();
  const list = useListState<InvoiceSortKey>('created');
  // A subscription's row links here with ?subscription=sub_…, a customer's with ?customer=cus_….
  const search = useSearch({ strict: false }) as { customer?: string; subscription?: string };
  const [status, setStatus] = useState<(typeof STATUSES)[number] | ''>('');
  const [customerId, setCustomerId] = useState(search.customer ?? '');
  const [subscriptionId, setSubscriptionId] = useState(search.subscription ?? '');
  const [created, setCreated] = useState({ from: '', to: '' });
  const [refunding, setRefunding] = useState<Invoice | null>(null);
  const query = {
    ...(status ? { status } : {}),
    ...(customerId.trim() ? { customer_id: customerId.trim() } : {}),
    ...(subscriptionId.trim() ? { subscription_id: subscriptionId.trim() } : {}),
    ...dateRangeQuery(created),
    ...list.query,
    limit: 20,
  };
  const page = useQuery({
    queryKey: ['invoices', query],
    queryFn: () => unwrap(api.GET('/api/invoices', { params: { query } })),
  });
  return (
    <section aria-labelledby="invoices-title">
      <h1 id="invoices-title">Invoices</h1>
      <Filters label="Filter invoices">
        <TextFilter
          label="Customer id"
          value={customerId}
          placeholder="cus_…"
          onChange={list.filter(setCustomerId)}
        />
        <TextFilter
          label="Subscription id"
          value={subscriptionId}
          placeholder="sub_…"
          onChange={list.filter(setSubscriptionId)}
        />
        <SelectFilter
          label="Status"
          value={status}
          options={STATUSES}
          onChange={list.filter<(typeof STATUSES)[number] | ''>(setStatus)}
        />
        <DateRangeFilter
          label="Created"
          from={created.from}
          to={created.to}
          onChange={list.filter(setCreated)}
        />
      </Filters>
      <ListBody what="invoices" list={page} pager={list.pager} pagerLabel="Invoice list">
        {(rows) => (
          <InvoiceTable invoices={rows} onRefund={setRefunding} sort={list.sort} onSort={list.setSort} />
        )}
      </ListBody>
      {refunding && <RefundDialog invoice={refunding} onClose={() => setRefunding(null)} />}
    </section>
  );
}
